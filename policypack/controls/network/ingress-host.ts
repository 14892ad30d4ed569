import { dig, isRecord } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { ingressRules } from "./ingress-hosts";

/**
 * Every Ingress rule names its host, without wildcards. A rule without a host (or a default
 * backend) answers for every hostname that reaches the controller, and a `*.` host claims a whole
 * subdomain: both let one Ingress capture traffic meant for others. Uniqueness across the set is
 * network-ingress-host-unique.
 */
export const networkIngressHost = resourceControl({
  id: "network-ingress-host",
  title: "Ingress rules name a host, without wildcards",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-012",
  },
  remediation:
    "Set rules[].host to the exact hostname the Ingress serves; replace a default backend by a rule for that host.",
  kinds: ["Ingress"],
  cel: {
    // spec.backend (extensions/v1beta1) is not in any served version, so only defaultBackend is read.
    validations: [
      {
        expression: "!has(object.spec) || !has(object.spec.defaultBackend)",
        message: "spec.defaultBackend serves every hostname",
      },
      {
        expression:
          "!has(object.spec) || !has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host != '' && !r.host.contains('*'))",
        message: "every rule names its host, without wildcards",
      },
    ],
  },
  check(object) {
    const out: Violation[] = [];
    for (const field of ["defaultBackend", "backend"]) {
      if (isRecord(dig(object, "spec", field))) {
        out.push({
          message: `spec.${field} is set: it serves every hostname that reaches the controller`,
          path: `spec.${field}`,
        });
      }
    }
    for (const rule of ingressRules(object)) {
      if (rule.host === undefined) {
        out.push({ message: `rule ${rule.index} has no host: it serves every hostname`, path: rule.path });
      } else if (rule.host.includes("*")) {
        out.push({
          message: `rules[${rule.index}].host ${JSON.stringify(rule.host)} is a wildcard: name the exact host`,
          path: `${rule.path}.host`,
        });
      }
    }
    return out;
  },
});
