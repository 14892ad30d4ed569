import { arr, join, rec, str } from "../../engine/access";
import type { PolicyVersion } from "../../engine/psa-version";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { podSecurityPath } from "./psa";

/** check_sysctls.go: each safe sysctl with the policy version that admits it (sets are cumulative). */
export const SAFE_SYSCTLS: readonly (readonly [name: string, since: number])[] = [
  ["kernel.shm_rmid_forced", 0],
  ["net.ipv4.ip_local_port_range", 0],
  ["net.ipv4.ip_unprivileged_port_start", 0],
  ["net.ipv4.tcp_syncookies", 0],
  ["net.ipv4.ping_group_range", 0],
  ["net.ipv4.ip_local_reserved_ports", 27],
  ["net.ipv4.tcp_keepalive_time", 29],
  ["net.ipv4.tcp_fin_timeout", 29],
  ["net.ipv4.tcp_keepalive_intvl", 29],
  ["net.ipv4.tcp_keepalive_probes", 29],
  ["net.ipv4.tcp_rmem", 32],
  ["net.ipv4.tcp_wmem", 32],
  ["net.ipv4.tcp_slow_start_after_idle", 37],
  ["net.ipv4.tcp_notsent_lowat", 37],
];

export function safeSysctls(version: PolicyVersion): ReadonlySet<string> {
  return new Set(SAFE_SYSCTLS.filter(([, since]) => version >= since).map(([name]) => name));
}

/**
 * PSS Baseline `sysctls` (policy 1.0; the safe set grows at 1.27, 1.29, 1.32 and 1.37).
 * Restricted field: spec.securityContext.sysctls[*].name (sysctls exist only at pod level).
 * Allowed values: the safe set of the policy version, exact names.
 */
export const podSysctls = resourceControl({
  id: "pod-sysctls",
  title: "Only safe sysctls",
  family: "pod-security",
  level: "baseline",
  severity: "medium",
  references: {
    catalog: "POD-016",
    pss: "sysctls (v1.0; safe set grows at v1.27, v1.29, v1.32, v1.37)",
  },
  remediation:
    "Remove sysctls outside the namespaced safe set from spec.securityContext.sysctls; node-level tuning belongs in the node configuration.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression: `variables.podSpec.?securityContext.?sysctls.orValue([]).all(s, s.?name.orValue('') in ${JSON.stringify(SAFE_SYSCTLS.map(([name]) => name))})`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const safe = safeSysctls(ctx.policyVersion);
    const out: Violation[] = [];
    arr(pod.securityContext["sysctls"]).forEach((s, i) => {
      const entry = rec(s);
      if (entry === undefined) return;
      const name = str(entry["name"]) ?? "";
      if (safe.has(name)) return;
      out.push({
        message: `forbidden sysctl ${JSON.stringify(name)}: pods may set only the safe sysctls of the policy version`,
        path: join(join(podSecurityPath(pod, "sysctls"), i), "name"),
      });
    });
    return out;
  },
});
