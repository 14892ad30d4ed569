import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { editPod } from "../fix";
import { resourceControl } from "../define";

/**
 * `spec.serviceAccount` is the deprecated alias of `serviceAccountName`: readers and tools that
 * only look at one field disagree about which account a pod runs as. Flagged when it is set alone
 * or differs from serviceAccountName. The fix moves the value to
 * serviceAccountName when that is unset (the API does the same), and drops the alias otherwise
 * (serviceAccountName already wins).
 */
export const saDeprecatedField = resourceControl({
  id: "sa-deprecated-field",
  title: "No deprecated serviceAccount field",
  family: "service-account",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "SA-006",
  },
  remediation: "Replace spec.serviceAccount with spec.serviceAccountName.",
  kinds: POD_KINDS,
  cel: {
    unsupported:
      "the API server's v1 conversion copies serviceAccountName into the deprecated serviceAccount field before admission, so CEL sees the alias on every pod that names an account and cannot tell whether the manifest used it",
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    const value = pod === undefined ? undefined : str(pod.spec["serviceAccount"]);
    if (pod === undefined || value === undefined || value === "") return [];
    // The API server writes the alias beside serviceAccountName on every object it returns, so an
    // alias equal to serviceAccountName is how live objects (kubectl get -o yaml) look: no finding.
    if (str(pod.spec["serviceAccountName"]) === value) return [];
    return [
      {
        message: `spec.serviceAccount (${JSON.stringify(value)}) is deprecated: use serviceAccountName`,
        path: join(pod.specPath, "serviceAccount"),
      },
    ];
  },
  fix(object) {
    return editPod(object, ({ spec }) => {
      const alias = str(spec["serviceAccount"]);
      const name = str(spec["serviceAccountName"]);
      if (alias !== undefined && alias !== "" && (name === undefined || name === ""))
        spec["serviceAccountName"] = alias;
      delete spec["serviceAccount"];
    });
  },
});
