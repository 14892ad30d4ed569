import { bool, join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { accountIndex, accountKey, accountOf } from "./accounts";
import { BindingIndex } from "../rbac/roles";

/**
 * The API token is mounted unless switched off: the effective value is the pod's
 * `automountServiceAccountToken`, else its ServiceAccount's, else true, and it must be false.
 * The ServiceAccount is resolved in the set (same namespace; an unset name is "default"), with
 * patches applied. Trivy passes the unset default and Checkov ignores the ServiceAccount's
 * setting; both are wrong. Pods that need a token set the pod field to true or, better, mount a
 * projected token with an audience. A pod whose ServiceAccount the set itself binds to a role (by
 * name, not through a group) calls the API server: the mounted token is how it authenticates (it
 * is already a projected, expiring token), so it is not reported; the role controls judge what
 * that token can do.
 */
export const saTokenAutomount = stackControl({
  id: "sa-token-automount",
  title: "Service account tokens are not auto-mounted",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-001",
    nsaCisa: "Kubernetes Pod security › Protecting Pod service account tokens",
    cis: "5.1.6",
  },
  remediation:
    "Set automountServiceAccountToken: false on the ServiceAccount (or the pod); pods that call the API mount a projected serviceAccountToken volume with an audience instead.",
  kinds: POD_KINDS,
  checkStack(stack) {
    const accounts = accountIndex(stack);
    const bindings = new BindingIndex(stack);
    const callsTheApi = (namespace: string, name: string): boolean =>
      bindings.forServiceAccount(namespace, name).some((ref) => ref.subject.kind === "ServiceAccount");
    const out: Violation[] = [];
    for (const w of stack.workloads) {
      // A patch need not repeat the fields that decide this; its workload is judged where declared.
      if (stack.isPatch(w.object)) continue;
      const path = join(w.pod.specPath, "automountServiceAccountToken");
      const own = bool(w.pod.spec["automountServiceAccountToken"]);
      if (own === false) continue;
      if (callsTheApi(w.namespace, accountOf(w.pod).name)) continue;
      if (own === true) {
        out.push({
          message: "automountServiceAccountToken=true mounts the ServiceAccount token into every container",
          path,
          object: w.object,
        });
        continue;
      }
      const account = accountOf(w.pod);
      const entry = accounts.get(accountKey(w.namespace, account.name));
      if (entry?.automount === false) continue;
      const sa = `ServiceAccount ${JSON.stringify(account.name)}`;
      const why =
        entry === undefined
          ? `${sa} is not in this set, so nothing shows it turns automount off`
          : entry.automount === true
            ? `${sa} sets automountServiceAccountToken=true`
            : `neither the pod nor ${sa} sets automountServiceAccountToken=false (the default mounts it)`;
      out.push({ message: `the ServiceAccount token is mounted: ${why}`, path, object: w.object });
    }
    return out;
  },
});
