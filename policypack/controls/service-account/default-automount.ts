import { copyPlain } from "../../engine/copy";
import type { KubeObject } from "../../engine/types";
import { resourceControl } from "../define";

/**
 * The `default` ServiceAccount of every namespace switches token automount off, so a pod that
 * names no ServiceAccount gets no API token (CIS 5.1.5). A safe fix: pods that really need the
 * default account's token can still set automountServiceAccountToken: true themselves. Whether
 * each workload namespace has such a ServiceAccount (or ServiceAccountPatch) at all is
 * sa-default-declared.
 */
export const saDefaultAutomount = resourceControl({
  id: "sa-default-automount",
  title: "The default ServiceAccount does not auto-mount its token",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-003",
    nsaCisa: "Kubernetes Pod security › Protecting Pod service account tokens",
    cis: "5.1.5",
  },
  remediation:
    "Set automountServiceAccountToken: false on the default ServiceAccount (a ServiceAccountPatch on the existing one will do).",
  kinds: ["ServiceAccount"],
  cel: {
    validations: [
      {
        expression:
          "!has(object.metadata.name) || object.metadata.name != 'default' || (has(object.automountServiceAccountToken) && object.automountServiceAccountToken == false)",
      },
    ],
  },
  check(object) {
    if (object.metadata?.name !== "default" || object["automountServiceAccountToken"] === false) return [];
    return [
      {
        message:
          object["automountServiceAccountToken"] === true
            ? "the default ServiceAccount sets automountServiceAccountToken=true"
            : "the default ServiceAccount does not set automountServiceAccountToken=false: its token is mounted into every pod that names no ServiceAccount",
        path: "automountServiceAccountToken",
      },
    ];
  },
  fix(object) {
    if (object.metadata?.name !== "default") return object;
    const copy: KubeObject = copyPlain(object);
    copy["automountServiceAccountToken"] = false;
    return copy;
  },
});
