/**
 * What the namespace-level stack controls share (here and in the network and service-account
 * families): the object a namespace finding is reported on, and the labels a namespace ends up
 * with after its documents and patches.
 */
import { isRecord } from "../../engine/access";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";

/**
 * The Namespace a finding about namespace `name` is reported on: the declared one, else a
 * synthesized `v1/Namespace` (so exemptions by name still apply and the report names it).
 */
export function namespaceSubject(stack: StackIndex, name: string): KubeObject {
  return stack.namespaces.get(name) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

/** `namespace "shop"`, plus a note when the set does not declare it. */
export function namespaceLabel(stack: StackIndex, name: string): string {
  const declared = stack.namespaces.has(name) ? "" : " (not declared in this set)";
  return `namespace ${JSON.stringify(name)}${declared}`;
}

/**
 * The labels after one more document: a full document replaces the label set (what `kubectl
 * apply` of a later copy does), a patch merges over it and a null value removes a key.
 */
export function applyLabels(
  current: Readonly<Record<string, unknown>>,
  document: KubeObject,
  isPatch: boolean,
): Record<string, unknown> {
  const own = document.metadata?.labels;
  const next: Readonly<Record<string, unknown>> = isRecord(own) ? own : {};
  if (!isPatch) return { ...next };
  const out = { ...current };
  for (const [k, v] of Object.entries(next)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** The labels after all documents, in order (see applyLabels). */
export function mergedLabels(stack: StackIndex, documents: readonly KubeObject[]): Record<string, unknown> {
  return documents.reduce<Record<string, unknown>>((labels, d) => applyLabels(labels, d, stack.isPatch(d)), {});
}

/** The set's objects of a kind in a namespace that are not patches. */
export function declaredIn(stack: StackIndex, kind: string, namespace: string): KubeObject[] {
  return stack.inNamespace(kind, namespace).filter((o) => !stack.isPatch(o));
}

/** The namespaces every cluster has, which the platform runs. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

/**
 * A system namespace the set adds to without declaring it (an add-on installed into
 * kube-system): its guardrails (default-deny, quota, LimitRange, default ServiceAccount) are the
 * platform's, not this set's, so the namespace-wide stack controls pass over it. A set that
 * declares the namespace is judged like any other.
 */
export function isUndeclaredSystemNamespace(stack: StackIndex, name: string): boolean {
  return SYSTEM_NAMESPACES.includes(name) && (stack.namespaceDocuments.get(name) ?? []).length === 0;
}
