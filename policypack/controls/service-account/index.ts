import type { Control } from "../../engine/control";

/** The service-account family, in catalog order. */
export const serviceAccountControls: readonly Control[] = [];
