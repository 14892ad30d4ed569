import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { hostCovers, ingressRules, tlsSections } from "./ingress-hosts";

/**
 * An Ingress terminates TLS for every host it serves: `spec.tls` is set and each rule's host is
 * listed in (or matched by a `*.` wildcard of) some TLS section's hosts. A TLS section without
 * hosts covers every host (the controller's wildcard setting), and only it covers a rule that
 * has no host.
 */
export const networkIngressTls = resourceControl({
  id: "network-ingress-tls",
  title: "Ingress terminates TLS for every host",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-011",
    nsaCisa: "Network separation and hardening › Encryption",
  },
  remediation:
    "Add a spec.tls section whose hosts list every rules[].host, with a secretName holding the certificate (or a cert-manager annotation that issues it).",
  kinds: ["Ingress"],
  cel: {
    variables: [
      { name: "tls", expression: "has(object.spec) && has(object.spec.tls) ? object.spec.tls : []" },
      { name: "rules", expression: "has(object.spec) && has(object.spec.rules) ? object.spec.rules : []" },
      // toLowerCase also folds the Kelvin sign (U+212A) to an ASCII k; lowerAscii does not.
      {
        name: "patterns",
        expression:
          "variables.tls.map(t, has(t.hosts) ? t.hosts : []).flatten().map(p, p.replace('\u212a', 'k').lowerAscii())",
      },
    ],
    validations: [
      { expression: "size(variables.tls) > 0", message: "spec.tls is unset: the Ingress serves plain HTTP" },
      {
        expression:
          "variables.tls.exists(t, !has(t.hosts) || size(t.hosts) == 0) || variables.rules.all(r, has(r.host) && r.host != '' && " +
          "[r.host.replace('\u212a', 'k').lowerAscii()].all(h, variables.patterns.exists(p, p == h || (p.startsWith('*.') && h.indexOf('.') > 0 && !h.startsWith('*.') && h.substring(h.indexOf('.')) == p.substring(1)))))",
        message: "every rule host is listed in spec.tls[].hosts",
      },
    ],
  },
  check(object) {
    const sections = tlsSections(object);
    if (sections.length === 0) {
      return [{ message: "spec.tls is unset: the Ingress serves plain HTTP", path: "spec.tls" }];
    }
    const catchAll = sections.some((s) => s.hosts.length === 0);
    if (catchAll) return [];
    const patterns = sections.flatMap((s) => s.hosts);
    const out: Violation[] = [];
    for (const rule of ingressRules(object)) {
      if (rule.host === undefined) {
        out.push({
          message: `rule ${rule.index} has no host and no spec.tls section without hosts covers it: it is served over plain HTTP`,
          path: rule.path,
        });
      } else if (!patterns.some((p) => hostCovers(p, rule.host as string))) {
        out.push({
          message: `rules[${rule.index}].host ${JSON.stringify(rule.host)} is not listed in any spec.tls[].hosts: it is served over plain HTTP`,
          path: `${rule.path}.host`,
        });
      }
    }
    return out;
  },
});
