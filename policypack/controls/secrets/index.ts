import type { Control } from "../../engine/control";
import { secretEnvVars } from "./env-vars";
import { plaintextCredentials } from "./plaintext-credentials";
import { secretConfigMapRefsExist } from "./refs-exist";

/** The secrets family, in catalog order. */
export const secretsControls: readonly Control[] = [secretEnvVars, plaintextCredentials, secretConfigMapRefsExist];
