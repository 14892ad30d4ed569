import type { Control } from "../../engine/control";

/** The namespace family, in catalog order. */
export const namespaceControls: readonly Control[] = [];
