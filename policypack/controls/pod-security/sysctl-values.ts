import { arr, join, rec, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { podSecurityPath } from "./psa";

/** `+` and `=` let a value smuggle a second key=value past the name check (CRI-O, CVE-2022-0811). */
const INJECTION = /[+=\n\r]/;

/**
 * Not a PSS check (PSA reads names only): cr8escape (CVE-2022-0811) set a safe sysctl to a value
 * carrying `+kernel.core_pattern=…`, which vulnerable CRI-O versions applied as a second sysctl,
 * escaping to the node. No safe sysctl takes a value with `+`, `=` or a line break.
 */
export const podSysctlValues = resourceControl({
  id: "pod-sysctl-values",
  title: "Sysctl values free of injection",
  family: "pod-security",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "POD-016",
  },
  remediation: "Give each sysctl a plain value (numbers separated by spaces); never `+`, `=` or line breaks.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression:
          "variables.podSpec.?securityContext.?sysctls.orValue([]).all(s, !s.?value.orValue('').matches('[+=\\\\n\\\\r]'))",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    arr(pod.securityContext["sysctls"]).forEach((s, i) => {
      const value = str(rec(s)?.["value"]);
      if (value === undefined || !INJECTION.test(value)) return;
      out.push({
        message: `sysctl ${JSON.stringify(str(rec(s)?.["name"]) ?? "")} has value ${JSON.stringify(value)}: "+", "=" and line breaks can inject further sysctls (CVE-2022-0811)`,
        path: join(join(podSecurityPath(pod, "sysctls"), i), "value"),
      });
    });
    return out;
  },
});
