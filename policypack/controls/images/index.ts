import type { Control } from "../../engine/control";

/** The images family, in catalog order. */
export const imagesControls: readonly Control[] = [];
