import { configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { accountIndex, accountKey, accountOf } from "./accounts";

/**
 * The ServiceAccount a pod names exists in its namespace: in the set (declared or patched), or
 * assumed to pre-exist by `namespace/name` pattern. `default` is assumed by default, because the
 * ServiceAccount controller creates it in every namespace. A missing account stops the pod from
 * being created, and whoever creates that name later decides what the pod may do.
 */
export const saExists = stackControl({
  id: "sa-exists",
  title: "Referenced ServiceAccounts exist",
  family: "service-account",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "SA-005",
  },
  remediation:
    "Declare the ServiceAccount in the same namespace as the workload, or fix the name the workload refers to.",
  kinds: POD_KINDS,
  config: {
    assumeExisting: {
      type: "array",
      items: { type: "string" },
      description:
        'ServiceAccounts ("namespace/name", with * and ? wildcards) that exist outside this set, e.g. created by a platform stack.',
      default: ["*/default"],
    },
  },
  checkStack(stack, ctx) {
    const accounts = accountIndex(stack);
    const assumed = configStrings(ctx.config, "assumeExisting");
    const out: Violation[] = [];
    for (const w of stack.workloads) {
      // A patch need not repeat the fields that decide this; its workload is judged where declared.
      if (stack.isPatch(w.object)) continue;
      const account = accountOf(w.pod);
      if (accounts.has(accountKey(w.namespace, account.name))) continue;
      const id = `${w.namespace}/${account.name}`;
      if (assumed.some((p) => globMatch(p, id))) continue;
      out.push({
        message: `ServiceAccount ${JSON.stringify(account.name)} is not in namespace ${JSON.stringify(w.namespace)} of this set`,
        path: account.path,
        object: w.object,
      });
    }
    return out;
  },
});
