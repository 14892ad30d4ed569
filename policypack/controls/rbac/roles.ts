/**
 * Joins of the stack rows (RBAC-005, RBAC-021, RBAC-029): roleRef → role with the authorizer's
 * rules (a RoleBinding may reference a ClusterRole, kube-linter's blind spot), ClusterRole
 * aggregation as the controller computes it, built-in roles modelled, and the bindings of a
 * ServiceAccount found through an index built once.
 */
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import { ClusterRoleAggregation } from "./aggregation";
import { BUILTIN_CLUSTER_ROLES } from "./builtin-roles";
import { BIND, IMPERSONATE, NODES_PROXY, POD_CREATION, POD_EXEC } from "./permissions";
import { allows, RBAC_GROUP, requestsOf, rulesOf, type GrantScope, type Rule, type Sensitive } from "./rules";
import { roleRefOf, serviceAccountNamespace, subjectsOf, type Subject } from "./subjects";

export interface ResolvedRole {
  readonly kind: "Role" | "ClusterRole";
  readonly name: string;
  readonly namespace?: string;
  /** Modelled built-in (not declared in the stack). */
  readonly builtin: boolean;
  /** Its rules; for an aggregated ClusterRole, those of the ClusterRoles it selects (as the controller fills it). */
  readonly rules: readonly Rule[];
}

/** `Role "ns/name"` or `ClusterRole "name"` (+ " (built-in)"). */
export function describeRole(role: ResolvedRole): string {
  const id = role.kind === "Role" ? `${role.namespace ?? ""}/${role.name}` : role.name;
  return `${role.kind} ${JSON.stringify(id)}${role.builtin ? " (built-in)" : ""}`;
}

export { aggregationSelectors, selectorMatches } from "./selectors";

/**
 * Resolves roleRefs against the stack's roles and the modelled built-ins. Everything is computed
 * once per role name, so resolving every binding of a large stack stays linear in the bindings
 * (aggregated ClusterRoles cost one pass over the ClusterRoles each).
 */
export class RoleResolver {
  private readonly builtins = new Set<string>();
  private readonly aggregation: ClusterRoleAggregation;
  private readonly clusterMemo = new Map<string, ResolvedRole | undefined>();
  private readonly roleMemo = new Map<string, ResolvedRole | undefined>();

  constructor(private readonly stack: StackIndex) {
    const roles = new Map<string, KubeObject>();
    for (const object of stack.byKind("ClusterRole")) {
      const name = object.metadata?.name;
      if (typeof name !== "string" || stack.isPatch(object) || roles.has(name)) continue;
      roles.set(name, object);
    }
    // A stack that declares a built-in name (a cluster dump, say) wins over the model.
    for (const object of BUILTIN_CLUSTER_ROLES) {
      const name = object.metadata?.name as string;
      if (roles.has(name)) continue;
      roles.set(name, object);
      this.builtins.add(name);
    }
    this.aggregation = new ClusterRoleAggregation(roles, (name, object) =>
      rulesOf(object, `ClusterRole ${JSON.stringify(name)} rules`),
    );
  }

  clusterRole(name: string): ResolvedRole | undefined {
    if (this.clusterMemo.has(name)) return this.clusterMemo.get(name);
    const resolved: ResolvedRole | undefined = this.aggregation.has(name)
      ? {
          kind: "ClusterRole",
          name,
          builtin: this.builtins.has(name),
          rules: this.aggregation.effective(name).map((r) => r.rule),
        }
      : undefined;
    this.clusterMemo.set(name, resolved);
    return resolved;
  }

  role(namespace: string, name: string): ResolvedRole | undefined {
    const key = `${namespace}\u0000${name}`;
    if (this.roleMemo.has(key)) return this.roleMemo.get(key);
    const object = this.stack.get("Role", namespace, name);
    const resolved: ResolvedRole | undefined =
      object === undefined
        ? undefined
        : {
            kind: "Role",
            name,
            namespace,
            builtin: false,
            rules: rulesOf(object, `Role ${JSON.stringify(`${namespace}/${name}`)} rules`),
          };
    this.roleMemo.set(key, resolved);
    return resolved;
  }

  /** The role a binding grants, or undefined when its roleRef is invalid or unknown. */
  resolveBinding(binding: KubeObject): ResolvedRole | undefined {
    const ref = roleRefOf(binding);
    if (ref?.name === undefined || ref.name === "") return undefined;
    if (ref.kind === "ClusterRole") return this.clusterRole(ref.name);
    if (ref.kind === "Role" && binding.kind === "RoleBinding") {
      const ns = this.stack.namespaceOf(binding);
      return ns === undefined ? undefined : this.role(ns, ref.name);
    }
    return undefined;
  }
}

/** Where a binding's grants apply. */
export function bindingScope(binding: KubeObject): GrantScope {
  return binding.kind === "ClusterRoleBinding" ? "cluster" : "namespace";
}

const WRITES = ["create", "update", "patch"];

function firstFull(rules: readonly Rule[], verbs: readonly string[], resource: string): Rule | undefined {
  for (const verb of verbs) {
    const rule = allows(rules, { verb, group: RBAC_GROUP, resource }, true);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

function anyFull(rules: readonly Rule[], sensitive: Sensitive): Rule | undefined {
  for (const request of requestsOf(sensitive, "cluster")) {
    const rule = allows(rules, request, true);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

/**
 * Why a role is admin-equivalent where it is bound, or undefined. Admin-equivalent: every verb on
 * every resource in every group, or a one-step path to it — impersonating users/groups (then
 * system:masters), escalate plus a write on roles, bind plus a write on bindings, and, granted
 * cluster-wide, creating pods or exec (run as, or take the token of, any kube-system controller)
 * or nodes/proxy. Grants limited by resourceNames are not counted: they name the objects reached.
 */
export function adminEquivalence(rules: readonly Rule[], scope: GrantScope): string | undefined {
  for (const rule of rules) {
    if (
      rule.resourceNames.length === 0 &&
      rule.verbs.includes("*") &&
      rule.resources.includes("*") &&
      rule.apiGroups.includes("*")
    )
      return `${rule.path} grants every verb on every resource in every API group`;
  }
  const cluster = scope === "cluster";
  if (cluster) {
    for (const request of requestsOf(IMPERSONATE, "cluster")) {
      if (request.resource !== "users" && request.resource !== "groups") continue;
      const rule = allows(rules, request, true);
      if (rule !== undefined) return `${rule.path} grants "impersonate" on "${request.resource}" (then system:masters)`;
    }
  }
  for (const resource of cluster ? ["roles", "clusterroles"] : ["roles"]) {
    const escalate = allows(rules, { verb: "escalate", group: RBAC_GROUP, resource }, true);
    const write = firstFull(rules, WRITES, resource);
    if (escalate !== undefined && write !== undefined)
      return `${escalate.path} grants "escalate" and ${write.path} a write on "${resource}"`;
  }
  let bind: Rule | undefined;
  for (const request of requestsOf(BIND, scope)) bind ??= allows(rules, request, true);
  const bindingWrite =
    firstFull(rules, WRITES, "rolebindings") ?? (cluster ? firstFull(rules, WRITES, "clusterrolebindings") : undefined);
  if (bind !== undefined && bindingWrite !== undefined)
    return `${bind.path} grants "bind" and ${bindingWrite.path} a write on role bindings`;
  if (cluster) {
    const creates = anyFull(rules, POD_CREATION);
    if (creates !== undefined)
      return `${creates.path} creates pods in every namespace (as any ServiceAccount, kube-system's included)`;
    const exec = anyFull(rules, POD_EXEC);
    if (exec !== undefined) return `${exec.path} reaches into every pod (kube-system's included)`;
    const proxy = anyFull(rules, NODES_PROXY);
    if (proxy !== undefined) return `${proxy.path} grants nodes/proxy (exec on every node)`;
  }
  return undefined;
}

export interface BindingRef {
  readonly binding: KubeObject;
  /** The subject through which the binding applies. */
  readonly subject: Subject;
}

/**
 * Bindings by the identities a pod's ServiceAccount token carries: the ServiceAccount itself and
 * its groups system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated.
 * Built once per stack; a lookup is a few map reads.
 */
export class BindingIndex {
  private readonly bySubject = new Map<string, BindingRef[]>();

  constructor(stack: StackIndex) {
    for (const kind of ["RoleBinding", "ClusterRoleBinding"]) {
      for (const binding of stack.byKind(kind)) {
        if (stack.isPatch(binding)) continue;
        const ns = kind === "RoleBinding" ? stack.namespaceOf(binding) : undefined;
        for (const subject of subjectsOf(binding)) {
          if (subject.name === undefined) continue;
          let key: string | undefined;
          if (subject.kind === "ServiceAccount") {
            const saNs = serviceAccountNamespace(binding, subject, ns);
            if (saNs !== undefined) key = `sa\u0000${saNs}/${subject.name}`;
          } else if (subject.kind === "Group") key = `group\u0000${subject.name}`;
          if (key === undefined) continue;
          const list = this.bySubject.get(key);
          const ref = { binding, subject };
          if (list === undefined) this.bySubject.set(key, [ref]);
          else list.push(ref);
        }
      }
    }
  }

  /** Every binding that applies to the ServiceAccount namespace/name, each once. */
  forServiceAccount(namespace: string, name: string): BindingRef[] {
    const keys = [
      `sa\u0000${namespace}/${name}`,
      `group\u0000system:serviceaccounts:${namespace}`,
      "group\u0000system:serviceaccounts",
      "group\u0000system:authenticated",
    ];
    const seen = new Set<KubeObject>();
    const out: BindingRef[] = [];
    for (const key of keys)
      for (const ref of this.bySubject.get(key) ?? []) {
        if (seen.has(ref.binding)) continue;
        seen.add(ref.binding);
        out.push(ref);
      }
    return out;
  }
}
