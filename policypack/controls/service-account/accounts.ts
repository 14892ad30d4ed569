/**
 * What the service-account controls share: which ServiceAccount a pod runs as (with the
 * deprecated `serviceAccount` alias), and the set's ServiceAccounts indexed once by namespace and
 * name with their effective `automountServiceAccountToken` after documents and patches.
 */
import { bool, join, str } from "../../engine/access";
import { isBuiltinKind } from "../../engine/kinds";
import type { PodView } from "../../engine/pod";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";

export interface AccountRef {
  /** The ServiceAccount's name; "default" when the pod sets none. */
  readonly name: string;
  /** Which field named it; undefined when neither is set. */
  readonly field: "serviceAccountName" | "serviceAccount" | undefined;
  /** Path of that field (of serviceAccountName when neither is set). */
  readonly path: string;
}

/**
 * `spec.serviceAccountName`, else the deprecated `spec.serviceAccount` (the v1 conversion uses it
 * when serviceAccountName is empty), else "default", as the ServiceAccount admission plugin does.
 */
export function accountOf(pod: PodView): AccountRef {
  const name = str(pod.spec["serviceAccountName"]);
  if (name !== undefined && name !== "") {
    return { name, field: "serviceAccountName", path: join(pod.specPath, "serviceAccountName") };
  }
  const alias = str(pod.spec["serviceAccount"]);
  if (alias !== undefined && alias !== "") {
    return { name: alias, field: "serviceAccount", path: join(pod.specPath, "serviceAccount") };
  }
  return { name: "default", field: undefined, path: join(pod.specPath, "serviceAccountName") };
}

export interface AccountEntry {
  /** Every document of the ServiceAccount (declarations and patches), in input order. */
  readonly documents: KubeObject[];
  /** True when some document is not a patch. */
  declared: boolean;
  /** The effective automountServiceAccountToken: a declaration replaces it, a patch sets it when it sets it. */
  automount: boolean | undefined;
}

export function accountKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/** The set's ServiceAccounts by accountKey(namespace, name). */
export function accountIndex(stack: StackIndex): ReadonlyMap<string, AccountEntry> {
  const out = new Map<string, AccountEntry>();
  for (const sa of stack.byKind("ServiceAccount")) {
    if (!isBuiltinKind(sa)) continue;
    const name = str(sa.metadata?.name);
    const namespace = stack.namespaceOf(sa);
    if (name === undefined || namespace === undefined) continue;
    const key = accountKey(namespace, name);
    let entry = out.get(key);
    if (entry === undefined) {
      entry = { documents: [], declared: false, automount: undefined };
      out.set(key, entry);
    }
    entry.documents.push(sa);
    const value = bool(sa["automountServiceAccountToken"]);
    if (stack.isPatch(sa)) {
      if (value !== undefined) entry.automount = value;
    } else {
      entry.declared = true;
      entry.automount = value;
    }
  }
  return out;
}
