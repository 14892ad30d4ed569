/**
 * Ingress hosts as the network controls read them: each rule's host with its path, and the TLS
 * sections' hosts. Hosts compare case-insensitively; a `*.` wildcard covers exactly one label.
 */
import { arr, dig, isRecord, join, str, strings, type Rec } from "../../engine/access";
import type { KubeObject } from "../../engine/types";

export interface IngressRule {
  readonly rule: Rec;
  readonly index: number;
  readonly path: string;
  /** Lower-cased; undefined when unset or empty (the rule matches every host). */
  readonly host: string | undefined;
}

export function ingressRules(object: KubeObject): IngressRule[] {
  const out: IngressRule[] = [];
  arr(dig(object, "spec", "rules")).forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const host = str(rule["host"]);
    out.push({
      rule,
      index,
      path: join("spec.rules", index),
      host: host === undefined || host === "" ? undefined : host.toLowerCase(),
    });
  });
  return out;
}

/** Does a certificate host pattern (`a.example.com`, `*.example.com`) cover a rule host? */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p === host) return true;
  if (!p.startsWith("*.")) return false;
  const dot = host.indexOf(".");
  return dot > 0 && !host.startsWith("*.") && host.slice(dot) === p.slice(1);
}

export interface TlsSection {
  readonly hosts: readonly string[];
}

export function tlsSections(object: KubeObject): TlsSection[] {
  return arr(dig(object, "spec", "tls"))
    .filter(isRecord)
    .map((t) => ({ hosts: strings(t["hosts"]) }));
}
