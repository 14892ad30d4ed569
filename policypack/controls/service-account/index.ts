import type { Control } from "../../engine/control";
import { saDedicated } from "./dedicated";
import { saDefaultAutomount } from "./default-automount";
import { saDefaultDeclared } from "./default-declared";
import { saDefaultNotBound } from "./default-not-bound";
import { saDeprecatedField } from "./deprecated-field";
import { saExists } from "./exists";
import { saProjectedToken } from "./projected-token";
import { saTokenAutomount } from "./token-automount";
import { saTokenSecrets } from "./token-secrets";

/** The service-account family, in catalog order. */
export const serviceAccountControls: readonly Control[] = [
  saTokenAutomount,
  saDedicated,
  saDefaultAutomount,
  saDefaultDeclared,
  saDefaultNotBound,
  saExists,
  saDeprecatedField,
  saTokenSecrets,
  saProjectedToken,
];
