import type { Control } from "../../engine/control";
import { podHostNetwork } from "./host-network";

/** The pod-security family (the Pod Security Standards), in catalog order. */
export const podSecurityControls: readonly Control[] = [podHostNetwork];
