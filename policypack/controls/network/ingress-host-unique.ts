import { arr, dig, isRecord, join, str } from "../../engine/access";
import { describe, isBuiltinKind, resourceRef } from "../../engine/kinds";
import type { KubeObject, Violation } from "../../engine/types";
import { stackControl } from "../define";
import { ingressRules } from "./ingress-hosts";

interface Claim {
  readonly object: KubeObject;
  readonly namespace: string;
}

/**
 * A hostname belongs to one namespace: the first Ingress of the set that serves it (in input
 * order) owns it, and an Ingress of another namespace serving the same host is reported, since
 * it would capture (or share) that tenant's traffic. Within one namespace, Ingresses may split a
 * host by path, but the same host and path in two Ingresses is reported: which one wins is up to
 * the controller.
 */
export const networkIngressHostUnique = stackControl({
  id: "network-ingress-host-unique",
  title: "Ingress hosts are unique across namespaces, host and path unique within one",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-012",
  },
  remediation:
    "Serve each hostname from Ingresses of a single namespace, and give each host and path to one Ingress only.",
  kinds: ["Ingress"],
  checkStack(stack) {
    const hosts = new Map<string, Claim>();
    const paths = new Map<string, KubeObject>();
    const out: Violation[] = [];
    for (const object of stack.byKind("Ingress")) {
      if (!isBuiltinKind(object) || stack.isPatch(object)) continue;
      const namespace = stack.namespaceOf(object) ?? stack.defaultNamespace;
      for (const rule of ingressRules(object)) {
        if (rule.host === undefined) continue;
        const owner = hosts.get(rule.host);
        if (owner === undefined) {
          hosts.set(rule.host, { object, namespace });
        } else if (owner.namespace !== namespace) {
          out.push({
            message: `rules[${rule.index}].host ${JSON.stringify(rule.host)} is already served by ${describe(resourceRef(owner.object))} in namespace ${JSON.stringify(owner.namespace)}`,
            path: `${rule.path}.host`,
            object,
          });
          continue;
        }
        arr(dig(rule.rule, "http", "paths")).forEach((p, j) => {
          if (!isRecord(p)) return;
          const key = `${rule.host}\u0000${str(p["path"]) ?? ""}`;
          const first = paths.get(key);
          if (first === undefined) paths.set(key, object);
          else if (first !== object) {
            out.push({
              message: `host ${JSON.stringify(rule.host)} path ${JSON.stringify(str(p["path"]) ?? "")} is also served by ${describe(resourceRef(first))}`,
              path: join(join(`${rule.path}.http`, "paths"), j),
              object,
            });
          }
        });
      }
    }
    return out;
  },
});
