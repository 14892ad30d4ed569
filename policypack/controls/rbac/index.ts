import type { Control } from "../../engine/control";

/** The rbac family, in catalog order. */
export const rbacControls: readonly Control[] = [];
