/**
 * Binding subjects and roleRefs, read defensively, with the authorizer's matching rules
 * (plugin/pkg/auth/authorizer/rbac appliesToUser): a ServiceAccount subject without a namespace
 * means the binding's own namespace in a RoleBinding and matches nobody in a ClusterRoleBinding.
 */
import { arr, isRecord, join, str } from "../../engine/access";
import { globMatch } from "../../engine/exemptions";
import type { KubeObject } from "../../engine/types";

export interface Subject {
  readonly index: number;
  /** `subjects[1]`. */
  readonly path: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

export function subjectsOf(binding: KubeObject): Subject[] {
  const out: Subject[] = [];
  arr(binding["subjects"]).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const namespace = str(entry["namespace"]);
    out.push({
      index,
      path: join("subjects", index),
      kind: str(entry["kind"]),
      name: str(entry["name"]),
      namespace: namespace === "" ? undefined : namespace,
      apiGroup: str(entry["apiGroup"]),
    });
  });
  return out;
}

export interface RoleRef {
  readonly kind?: string;
  readonly name?: string;
  readonly apiGroup?: string;
}

export function roleRefOf(binding: KubeObject): RoleRef | undefined {
  const ref = binding["roleRef"];
  if (!isRecord(ref)) return undefined;
  return { kind: str(ref["kind"]), name: str(ref["name"]), apiGroup: str(ref["apiGroup"]) };
}

/** Whether the binding's roleRef names the built-in cluster-admin ClusterRole. */
export function refersToClusterAdmin(binding: KubeObject): boolean {
  const ref = roleRefOf(binding);
  return ref?.kind === "ClusterRole" && ref.name === "cluster-admin";
}

/** The namespace a ServiceAccount subject denotes, or undefined when it matches nobody. */
export function serviceAccountNamespace(
  binding: KubeObject,
  subject: Subject,
  bindingNamespace?: string,
): string | undefined {
  if (subject.namespace !== undefined) return subject.namespace;
  return binding.kind === "RoleBinding" ? bindingNamespace : undefined;
}

/** The binding's own namespace as written (resource controls cannot see the configured default). */
export function writtenNamespace(object: KubeObject): string | undefined {
  const ns = object.metadata?.namespace;
  return typeof ns === "string" && ns !== "" ? ns : undefined;
}

/** `User "alice"`, `Group "devs"`, `ServiceAccount "ci/deployer"`. */
export function describeSubject(binding: KubeObject, subject: Subject, bindingNamespace?: string): string {
  const kind = subject.kind ?? "(no kind)";
  const name = subject.name ?? "(no name)";
  if (kind !== "ServiceAccount") return `${kind} ${JSON.stringify(name)}`;
  const ns = serviceAccountNamespace(binding, subject, bindingNamespace) ?? "(no namespace)";
  return `${kind} ${JSON.stringify(`${ns}/${name}`)}`;
}

/**
 * How allowlists name a subject: `User:alice`, `Group:platform-admins`,
 * `ServiceAccount:kube-system/deployer`.
 */
export function subjectId(binding: KubeObject, subject: Subject, bindingNamespace?: string): string {
  const kind = subject.kind ?? "";
  const name = subject.name ?? "";
  if (kind !== "ServiceAccount") return `${kind}:${name}`;
  return `${kind}:${serviceAccountNamespace(binding, subject, bindingNamespace) ?? ""}/${name}`;
}

/** Allowlist entries are exact ids or globs (`*`, `?`): `Group:oidc:platform-*`. */
export function isAllowed(patterns: readonly string[], id: string): boolean {
  return patterns.some((p) => p === id || globMatch(p, id));
}

export const SUBJECT_ID_FORMAT =
  '"User:<name>", "Group:<name>" or "ServiceAccount:<namespace>/<name>"; `*` and `?` are wildcards';

/** `ClusterRole "view"`, or `its role` when the roleRef is unreadable. */
export function describeRoleRef(binding: KubeObject): string {
  const ref = roleRefOf(binding);
  if (ref?.name === undefined) return "its role";
  return `${ref.kind ?? "(no kind)"} ${JSON.stringify(ref.name)}`;
}
