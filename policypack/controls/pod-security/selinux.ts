import { rec, str, type Rec } from "../../engine/access";
import type { PolicyVersion } from "../../engine/psa-version";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel, containerSecurityPath, podSecurityPath } from "./psa";

const TYPES_1_0: readonly string[] = ["", "container_t", "container_init_t", "container_kvm_t"];
/** Policy 1.31 adds container_engine_t (for container engines running inside pods). */
const TYPES_1_31: readonly string[] = [...TYPES_1_0, "container_engine_t"];

export function allowedSELinuxTypes(version: PolicyVersion): readonly string[] {
  return version >= 31 ? TYPES_1_31 : TYPES_1_0;
}

/**
 * PSS Baseline `seLinuxOptions` (policy 1.0; 1.31 adds container_engine_t).
 * Restricted fields: spec.securityContext.seLinuxOptions and ctr.securityContext.seLinuxOptions:
 * `type` ∈ {"", container_t, container_init_t, container_kvm_t (, container_engine_t)};
 * `user` and `role` unset or empty. `level` is free.
 */
export const podSELinux = resourceControl({
  id: "pod-selinux",
  title: "SELinux options restricted",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-013",
    pss: "seLinuxOptions (v1.0; container_engine_t from v1.31)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Leave seLinuxOptions.user and .role unset and use type container_t (or container_init_t, container_kvm_t, container_engine_t); never spc_t or unconfined_t.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    variables: [
      {
        name: "seLinuxOptions",
        expression:
          "(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.seLinuxOptions) ? [variables.podSpec.securityContext.seLinuxOptions] : []) + " +
          "variables.containers.filter(c, has(c.securityContext) && has(c.securityContext.seLinuxOptions)).map(c, c.securityContext.seLinuxOptions)",
      },
    ],
    validations: [
      {
        expression: `variables.seLinuxOptions.all(o, o.?type.orValue('') in ${JSON.stringify(TYPES_1_31)} && o.?user.orValue('') == '' && o.?role.orValue('') == '')`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const types = allowedSELinuxTypes(ctx.policyVersion);
    const out: Violation[] = [];
    const inspect = (options: Rec | undefined, who: string, pathOf: (field: string) => string): void => {
      if (options === undefined) return;
      const type = str(options["type"]) ?? "";
      if (!types.includes(type)) {
        out.push({
          message: `${who} must not set securityContext.seLinuxOptions.type to ${JSON.stringify(type)}`,
          path: pathOf("type"),
        });
      }
      for (const field of ["user", "role"]) {
        const value = str(options[field]);
        if (value !== undefined && value !== "") {
          out.push({ message: `${who} must not set securityContext.seLinuxOptions.${field}`, path: pathOf(field) });
        }
      }
    };
    inspect(rec(pod.securityContext["seLinuxOptions"]), "pod", (f) => podSecurityPath(pod, "seLinuxOptions", f));
    for (const c of pod.containers) {
      inspect(rec(c.securityContext["seLinuxOptions"]), containerLabel(c), (f) =>
        containerSecurityPath(c, "seLinuxOptions", f),
      );
    }
    return out;
  },
});
