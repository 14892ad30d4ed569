import { arr, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/**
 * Long-lived ServiceAccount tokens stay valid until the Secret is deleted, survive the pod, and
 * leak with any read of Secrets. Use bound, expiring tokens (TokenRequest, projected volumes)
 * instead: no Secret of type `kubernetes.io/service-account-token`, and no ServiceAccount that
 * lists token Secrets in `secrets` (imagePullSecrets is a different field and is fine).
 */
export const saTokenSecrets = resourceControl({
  id: "sa-token-secrets",
  title: "No long-lived ServiceAccount token Secrets",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-007",
    nsaCisa: "Authentication and authorization › Authentication",
    cis: "5.1.13",
  },
  remediation:
    "Delete service-account-token Secrets and ServiceAccount.secrets entries; mount a projected serviceAccountToken (or call the TokenRequest API) for short-lived tokens.",
  kinds: ["Secret", "ServiceAccount"],
  cel: {
    validations: [
      {
        expression:
          "object.kind == 'Secret' ? !(has(object.type) && object.type == 'kubernetes.io/service-account-token') : (!has(object.secrets) || size(object.secrets) == 0)",
      },
    ],
  },
  check(object) {
    const out: Violation[] = [];
    if (object.kind === "Secret" && str(object["type"]) === "kubernetes.io/service-account-token") {
      out.push({
        message: 'type is "kubernetes.io/service-account-token": a long-lived token that never expires',
        path: "type",
      });
    }
    if (object.kind === "ServiceAccount" && arr(object["secrets"]).length > 0) {
      out.push({
        message: "secrets lists token Secrets for the ServiceAccount: long-lived tokens that never expire",
        path: "secrets",
      });
    }
    return out;
  },
});
