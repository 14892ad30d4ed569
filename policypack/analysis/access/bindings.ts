/**
 * The bindings of a set, indexed by the identity each subject matches as the authorizer's
 * appliesToUser does: a User by name, a Group by name, a ServiceAccount by the user name its token
 * carries (system:serviceaccount:<ns>:<name>), its namespace defaulting to the binding's in a
 * RoleBinding and matching nobody in a ClusterRoleBinding without one. Other kinds match nobody.
 */
import { roleRefOf, serviceAccountNamespace, subjectsOf } from "../../controls/rbac/subjects";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import { serviceAccountUser, type SubjectRef } from "./types";

export interface BindingEntry {
  readonly object: KubeObject;
  readonly kind: "RoleBinding" | "ClusterRoleBinding";
  /** The RoleBinding's namespace; undefined for a ClusterRoleBinding. */
  readonly namespace?: string;
  readonly name: string;
  /** `ClusterRoleBinding/<name>` or `RoleBinding/<ns>/<name>`. */
  readonly id: string;
  readonly bootstrap: boolean;
  /** A bootstrap binding of a control-plane identity: decided on, never listed among the set's subjects. */
  readonly controlPlane: boolean;
  readonly roleRef?: { readonly kind?: string; readonly name?: string };
  /** Its subjects that can match anyone, resolved. */
  readonly subjects: readonly { readonly ref: SubjectRef; readonly path: string }[];
}

/** `u\0<user>` or `g\0<group>`: the keys the index answers. */
export const userKey = (user: string): string => `u\u0000${user}`;
export const groupKey = (group: string): string => `g\u0000${group}`;

export class BindingTable {
  readonly all: readonly BindingEntry[];
  private readonly byKey = new Map<string, { entry: BindingEntry; subject: SubjectRef }[]>();
  /** ClusterRoleBindings by key, and RoleBindings by key and namespace: what one request can use. */
  private readonly scoped = new Map<string, { entry: BindingEntry; subject: SubjectRef }[]>();

  constructor(
    stack: StackIndex,
    bootstrapBindings: readonly KubeObject[],
    controlPlaneBindings: readonly KubeObject[] = [],
  ) {
    const all: BindingEntry[] = [];
    const declared = new Set<string>();
    const add = (object: KubeObject, bootstrap: boolean, controlPlane = false): void => {
      const kind = object.kind;
      if (kind !== "RoleBinding" && kind !== "ClusterRoleBinding") return;
      const name = object.metadata?.name;
      if (typeof name !== "string" || name === "") return;
      const namespace = kind === "RoleBinding" ? stack.namespaceOf(object) : undefined;
      if (kind === "RoleBinding" && namespace === undefined) return;
      const id = kind === "RoleBinding" ? `RoleBinding/${namespace ?? ""}/${name}` : `ClusterRoleBinding/${name}`;
      // One object per id, like the server holds; the set's own declaration wins over the bootstrap one.
      if (declared.has(id)) return;
      declared.add(id);
      const subjects: { ref: SubjectRef; path: string }[] = [];
      for (const s of subjectsOf(object)) {
        if (s.name === undefined || s.name === "") continue;
        if (s.kind === "User" || s.kind === "Group")
          subjects.push({ ref: { kind: s.kind, name: s.name }, path: s.path });
        else if (s.kind === "ServiceAccount") {
          const ns = serviceAccountNamespace(object, s, namespace);
          if (ns !== undefined)
            subjects.push({ ref: { kind: "ServiceAccount", name: s.name, namespace: ns }, path: s.path });
        }
      }
      const ref = roleRefOf(object);
      const entry: BindingEntry = {
        object,
        kind,
        ...(namespace !== undefined ? { namespace } : {}),
        name,
        id,
        bootstrap,
        controlPlane,
        ...(ref !== undefined ? { roleRef: ref } : {}),
        subjects,
      };
      all.push(entry);
      for (const { ref: subject } of subjects) {
        const key =
          subject.kind === "Group"
            ? groupKey(subject.name)
            : userKey(
                subject.kind === "User" ? subject.name : serviceAccountUser(subject.namespace ?? "", subject.name),
              );
        const list = this.byKey.get(key);
        if (list === undefined) this.byKey.set(key, [{ entry, subject }]);
        else if (list[list.length - 1]?.entry === entry) continue;
        else list.push({ entry, subject });
        const scopedKey = `${key}\u0000${namespace ?? ""}`;
        const scopedList = this.scoped.get(scopedKey);
        if (scopedList === undefined) this.scoped.set(scopedKey, [{ entry, subject }]);
        else scopedList.push({ entry, subject });
      }
    };
    for (const kind of ["ClusterRoleBinding", "RoleBinding"])
      for (const object of stack.byKind(kind)) if (!stack.isPatch(object)) add(object, false);
    for (const object of bootstrapBindings) add(object, true);
    for (const object of controlPlaneBindings) add(object, true, true);
    this.all = all;
  }

  /**
   * The bindings one key matches that can grant in a namespace (its RoleBindings) or, with
   * namespace undefined, cluster-wide (the ClusterRoleBindings).
   */
  lookupScoped(
    key: string,
    namespace: string | undefined,
  ): readonly { readonly entry: BindingEntry; readonly subject: SubjectRef }[] {
    return this.scoped.get(`${key}\u0000${namespace ?? ""}`) ?? [];
  }

  /** The bindings one key matches, with the subject that matched. */
  lookup(key: string): readonly { readonly entry: BindingEntry; readonly subject: SubjectRef }[] {
    return this.byKey.get(key) ?? [];
  }
}
