/**
 * Which subjects and namespaces a set names or implies: ServiceAccount objects, the subjects of
 * bindings, the ServiceAccounts pods run as (`default` when a pod names none), and the implicit
 * groups their tokens carry (system:serviceaccounts, system:serviceaccounts:<ns>,
 * system:authenticated).
 */
import { str } from "../../engine/access";
import type { StackIndex } from "../../engine/stack";
import type { BindingEntry } from "./bindings";
import { ALL_SERVICE_ACCOUNTS, AUTHENTICATED, subjectKey, type SubjectRef } from "./types";

export interface KnownSubjects {
  readonly subjects: readonly SubjectRef[];
  readonly namespaces: readonly string[];
  /** ServiceAccounts by namespace (names sorted). */
  readonly serviceAccounts: ReadonlyMap<string, readonly string[]>;
  /** ServiceAccounts pods run as, by namespace. */
  readonly podServiceAccounts: ReadonlyMap<string, readonly string[]>;
  /** Legacy token Secrets (kubernetes.io/service-account-token): namespace → secret name → ServiceAccount name. */
  readonly tokenSecrets: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const KIND_ORDER: Record<string, number> = { User: 0, Group: 1, ServiceAccount: 2 };

export function compareSubjects(a: SubjectRef, b: SubjectRef): number {
  return (
    (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) ||
    (a.namespace ?? "").localeCompare(b.namespace ?? "") ||
    a.name.localeCompare(b.name)
  );
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}

function sortedMap(map: Map<string, Set<string>>): Map<string, string[]> {
  return new Map([...map].map(([k, v]) => [k, [...v].sort()]));
}

export function discoverSubjects(stack: StackIndex, bindings: readonly BindingEntry[]): KnownSubjects {
  const byKey = new Map<string, SubjectRef>();
  const add = (s: SubjectRef): void => {
    const key = subjectKey(s);
    if (!byKey.has(key)) byKey.set(key, s);
  };
  const namespaces = new Set<string>();
  const accounts = new Map<string, Set<string>>();
  const podAccounts = new Map<string, Set<string>>();
  const tokens = new Map<string, Map<string, string>>();
  for (const name of stack.namespaces.keys()) namespaces.add(name);
  for (const object of stack.byKind("ServiceAccount")) {
    const ns = stack.namespaceOf(object);
    const name = object.metadata?.name;
    if (ns !== undefined && typeof name === "string" && name !== "") addTo(accounts, ns, name);
  }
  for (const w of stack.workloads) {
    const spec = w.pod.spec;
    // serviceAccount is the deprecated alias the API server still honours when serviceAccountName is unset.
    const name = str(spec["serviceAccountName"]) || str(spec["serviceAccount"]) || "default";
    addTo(accounts, w.namespace, name);
    addTo(podAccounts, w.namespace, name);
  }
  for (const object of stack.byKind("Secret")) {
    if (object["type"] !== "kubernetes.io/service-account-token") continue;
    const ns = stack.namespaceOf(object);
    const name = object.metadata?.name;
    const sa = object.metadata?.annotations?.["kubernetes.io/service-account.name"];
    if (ns === undefined || typeof name !== "string" || typeof sa !== "string" || sa === "") continue;
    let m = tokens.get(ns);
    if (m === undefined) tokens.set(ns, (m = new Map()));
    m.set(name, sa);
    addTo(accounts, ns, sa);
  }
  for (const b of bindings) {
    // The control plane's own identities are decided on, not listed: no manifest set acts as them.
    if (b.controlPlane) continue;
    if (b.namespace !== undefined) namespaces.add(b.namespace);
    for (const { ref } of b.subjects) {
      if (ref.kind === "ServiceAccount" && ref.namespace !== undefined) addTo(accounts, ref.namespace, ref.name);
      else add(ref);
    }
  }
  for (const [ns, names] of accounts) {
    namespaces.add(ns);
    for (const name of names) add({ kind: "ServiceAccount", namespace: ns, name });
    add({ kind: "Group", name: `${ALL_SERVICE_ACCOUNTS}:${ns}` });
  }
  if (accounts.size > 0) add({ kind: "Group", name: ALL_SERVICE_ACCOUNTS });
  add({ kind: "Group", name: AUTHENTICATED });
  return {
    subjects: [...byKey.values()].sort(compareSubjects),
    namespaces: [...namespaces].sort(),
    serviceAccounts: sortedMap(accounts),
    podServiceAccounts: sortedMap(podAccounts),
    tokenSecrets: tokens,
  };
}
