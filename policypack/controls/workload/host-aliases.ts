import { arr, join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/**
 * spec.hostAliases unset (or empty): entries are written into the pod's /etc/hosts and override
 * DNS for those names, a quiet way to redirect traffic that no NetworkPolicy or DNS log shows.
 * No fix: a pod that sets them resolves those names through them.
 */
export const podHostAliases = resourceControl({
  id: "pod-host-aliases",
  title: "No hostAliases (/etc/hosts management)",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "POD-031",
  },
  remediation:
    "Remove spec.hostAliases and publish the names through DNS (a Service, an ExternalName Service or CoreDNS).",
  kinds: POD_KINDS,
  cel: {
    validations: [{ expression: "!has(variables.podSpec.hostAliases) || size(variables.podSpec.hostAliases) == 0" }],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const aliases = arr(pod.spec["hostAliases"]);
    if (aliases.length === 0) return [];
    return [
      {
        message: `pod must not set hostAliases (${aliases.length} ${aliases.length === 1 ? "entry" : "entries"} override /etc/hosts)`,
        path: join(pod.specPath, "hostAliases"),
      },
    ];
  },
});
