import { join, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/** Common names of sandboxed RuntimeClasses: gVisor (GKE Sandbox: gvisor) and Kata (AKS: kata-*). */
const SANDBOXED = [
  "gvisor",
  "runsc",
  "kata",
  "kata-qemu",
  "kata-clh",
  "kata-fc",
  "kata-vm-isolation",
  "kata-mshv-vm-isolation",
];

/**
 * spec.runtimeClassName names a sandboxed runtime from the allowlist. Optional: it needs such a
 * runtime on the nodes, and fits untrusted workloads rather than everything. Whether the
 * RuntimeClass exists is for the cluster (and the scheduler) to say.
 */
export const podRuntimeClassAllowlist = resourceControl({
  id: "pod-runtime-class-allowlist",
  title: "Sandboxed runtimeClass",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-030",
    nsaCisa: "Kubernetes Pod security › Hardening container environments",
  },
  remediation:
    "Set spec.runtimeClassName to a sandboxed RuntimeClass (gVisor, Kata Containers) installed on the nodes, and list it in runtimeClasses.",
  kinds: POD_KINDS,
  optional: true,
  config: {
    runtimeClasses: {
      type: "array",
      items: { type: "string" },
      description: "RuntimeClass names that count as sandboxed.",
      default: SANDBOXED,
    },
  },
  cel: {
    validations: [
      {
        expression:
          "has(variables.podSpec.runtimeClassName) && variables.podSpec.runtimeClassName != '' && variables.podSpec.runtimeClassName in params.spec.runtimeClasses",
        message: "pod must set runtimeClassName to a sandboxed runtime",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const allowed = configStrings(ctx.config, "runtimeClasses");
    const name = str(pod.spec["runtimeClassName"]);
    if (name !== undefined && name !== "" && allowed.includes(name)) return [];
    const list = allowed.map((a) => JSON.stringify(a)).join(", ");
    return [
      {
        message:
          name === undefined || name === ""
            ? `pod must set runtimeClassName to a sandboxed runtime (one of ${list || "none configured"})`
            : `pod runtimeClassName ${JSON.stringify(name)} is not a sandboxed runtime (one of ${list || "none configured"})`,
        path: join(pod.specPath, "runtimeClassName"),
      },
    ];
  },
});
