/**
 * Cross-tenant access (tenant-access-isolation): between namespaces of different tenants (the
 * `palisade.dev/tenant` label the components set), every permission a subject of one tenant holds
 * in another tenant's namespace must come from a RoleBinding in that namespace that names the
 * subject. Everything else is a path to report:
 * - a ClusterRoleBinding (it grants in every namespace, the other tenant's included);
 * - a RoleBinding naming a broad group (system:serviceaccounts, system:authenticated,
 *   system:unauthenticated) rather than the subject;
 * - an escalation: a step (pod creation, exec, impersonation, bind/escalate, token minting, a
 *   legacy token Secret) to an identity of another tenant or of none, holding in another tenant's
 *   namespace something the subject was not granted there by name; an unbounded step (any role,
 *   impersonation) into another tenant's namespace; or a path to cluster-admin-equivalent.
 *   Becoming an identity of one's own tenant is not reported: that identity's grants are judged
 *   as its own.
 * Tenant subjects: ServiceAccounts of a tenant's namespaces, the group
 * system:serviceaccounts:<ns> of one, and users and groups bound only by RoleBindings in one
 * tenant's namespaces. Naming system:serviceaccounts:<ns> counts as naming the peer: it names one
 * namespace of one tenant, as a NetworkPolicy peer that names the namespace does
 * (tenant-network-isolation), and only that namespace's owners can add ServiceAccounts to it.
 */
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import { TENANT_LABEL } from "../network/endpoints";
import type { BindingEntry } from "./bindings";
import { buildEscalationGraph, CLUSTER_ADMIN, type EscalationEdge } from "./escalation";
import { describeChain, type AccessModel, type EffectivePermission } from "./model";
import { ALL_SERVICE_ACCOUNTS, AUTHENTICATED, identityOf, subjectKey, UNAUTHENTICATED, type SubjectRef } from "./types";

export interface TenantFinding {
  /** The object to fix: the binding that grants, or the one behind the escalation's first step. */
  readonly object: KubeObject;
  /** `subjects[2]` of that binding, when one subject is the cause. */
  readonly path?: string;
  /** What is wrong, naming the path. */
  readonly what: string;
  /** `ServiceAccount:a/app (tenant a) in "b" (tenant b)` examples. */
  readonly pairs: readonly string[];
}

const BROAD_GROUPS = new Set([ALL_SERVICE_ACCOUNTS, AUTHENTICATED, UNAUTHENTICATED]);

/** Namespace → tenant, from the Namespace objects' labels. */
export function tenantsOf(stack: StackIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, object] of stack.namespaces) {
    const tenant = object.metadata?.labels?.[TENANT_LABEL];
    if (typeof tenant === "string" && tenant !== "") out.set(name, tenant);
  }
  return out;
}

/**
 * The tenant of each subject, or undefined for shared and platform identities: a ServiceAccount
 * (and system:serviceaccounts:<ns>) is its namespace's tenant's; a user or group is a tenant's
 * when every binding naming it is a RoleBinding of that tenant. One pass over the bindings.
 */
function subjectTenants(
  model: AccessModel,
  tenants: ReadonlyMap<string, string>,
): (s: SubjectRef) => string | undefined {
  const bound = new Map<string, string | null>();
  for (const b of model.bindings) {
    if (b.bootstrap) continue;
    const t = b.namespace === undefined ? undefined : tenants.get(b.namespace);
    for (const { ref } of b.subjects) {
      const key = subjectKey(ref);
      const before = bound.get(key);
      bound.set(key, t === undefined || (before !== undefined && before !== t) ? null : t);
    }
  }
  return (s) => {
    if (s.kind === "ServiceAccount") return s.namespace === undefined ? undefined : tenants.get(s.namespace);
    if (s.kind === "Group" && s.name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`))
      return tenants.get(s.name.slice(ALL_SERVICE_ACCOUNTS.length + 1));
    if (s.name.startsWith("system:")) return undefined;
    return bound.get(subjectKey(s)) ?? undefined;
  };
}

/** Whether the binding's matched subject names `s` (or, for a ServiceAccount, its namespace's group). */
function namesSubject(p: EffectivePermission, s: SubjectRef): boolean {
  if (p.subject === subjectKey(s)) return true;
  return s.kind === "ServiceAccount" && p.subject === `Group:${ALL_SERVICE_ACCOUNTS}:${s.namespace ?? ""}`;
}

function bindingPath(entry: BindingEntry | undefined, subject: string): string | undefined {
  return entry?.subjects.find((x) => subjectKey(x.ref) === subject)?.path;
}

/**
 * What `target` may do in `namespace` that `subject` may not (one example), or undefined when the
 * subject holds everything the target does there. Asked request by request through `can`, so
 * wildcards and resourceNames compare as the authorizer reads them.
 */
function gainedIn(model: AccessModel, subject: SubjectRef, target: SubjectRef, namespace: string): string | undefined {
  const id = identityOf(subject);
  for (const p of model.permissionsOf(target)) {
    if (p.bootstrap || (p.scope !== "*" && p.scope !== namespace)) continue;
    const names = p.resourceNames.length > 0 ? p.resourceNames : [undefined];
    for (const verb of p.verbs)
      for (const apiGroup of p.apiGroups)
        for (const r of p.resources)
          for (const name of names) {
            const slash = r.indexOf("/");
            const request = {
              user: id.user ?? "",
              groups: id.groups,
              verb,
              apiGroup,
              resource: slash < 0 ? r : r.slice(0, slash),
              ...(slash < 0 ? {} : { subresource: r.slice(slash + 1) }),
              ...(name !== undefined ? { name } : {}),
              namespace,
            };
            if (!model.can(request).allowed)
              return `${verb} ${r}${apiGroup !== "" ? `.${apiGroup}` : ""}${name !== undefined ? ` "${name}"` : ""} (${describeChain(p)})`;
          }
  }
  return undefined;
}

export function tenantAccessFindings(model: AccessModel): TenantFinding[] {
  const tenants = tenantsOf(model.stack);
  if (new Set(tenants.values()).size < 2) return [];
  const byId = new Map(model.bindings.map((b) => [b.id, b]));
  const causes = new Map<string, { object: KubeObject; path?: string; what: string; pairs: string[] }>();
  const note = (key: string, cause: { object: KubeObject; path?: string; what: string }, pair: string): void => {
    const found = causes.get(key) ?? { ...cause, pairs: [] };
    if (!found.pairs.includes(pair)) found.pairs.push(pair);
    causes.set(key, found);
  };
  const namespacesOfOthers = (tenant: string): string[] =>
    [...tenants]
      .filter(([, t]) => t !== tenant)
      .map(([n]) => n)
      .sort();
  let graph: ReturnType<typeof buildEscalationGraph> | undefined;
  const subjectTenant = subjectTenants(model, tenants);
  const subjectsByKey = new Map(model.subjects.map((s) => [subjectKey(s), s]));

  // Where a target holds grants (non-bootstrap) among the given namespaces: only there can it add
  // anything; a ClusterRoleBinding's grants are asked in one of them, as they are alike in all.
  const scopesMemo = new Map<string, { scopes: Set<string>; cluster: boolean }>();
  const scopesOf = (target: SubjectRef, among: readonly string[]): string[] => {
    const key = subjectKey(target);
    let m = scopesMemo.get(key);
    if (m === undefined) {
      m = { scopes: new Set(), cluster: false };
      for (const p of model.permissionsOf(target))
        if (!p.bootstrap) {
          if (p.scope === "*") m.cluster = true;
          else m.scopes.add(p.scope);
        }
      scopesMemo.set(key, m);
    }
    const hit = among.filter((ns) => m.scopes.has(ns));
    const first = among[0];
    if (m.cluster && first !== undefined && !hit.includes(first)) hit.push(first);
    return hit;
  };
  for (const s of model.subjects) {
    const tenant = subjectTenant(s);
    if (tenant === undefined) continue;
    const key = subjectKey(s);
    const others = namespacesOfOthers(tenant);
    const who = `${key} (tenant ${tenant})`;
    // Direct grants.
    for (const p of model.permissionsOf(s)) {
      if (p.bootstrap) continue;
      const entry = byId.get(p.binding);
      if (entry === undefined) continue;
      const path = bindingPath(entry, p.subject);
      if (p.scope === "*") {
        if (others.length > 0)
          note(
            `crb\u0000${p.binding}\u0000${p.subject}`,
            {
              object: entry.object,
              ...(path !== undefined ? { path } : {}),
              what: `${p.binding} grants ${p.role} in every namespace${p.subject !== key ? ` to ${p.subject}` : ""}, other tenants' included`,
            },
            `${who} in ${others.length === 1 ? `"${others[0] ?? ""}" (tenant ${tenants.get(others[0] ?? "") ?? ""})` : `${others.length} namespaces of other tenants`}`,
          );
        continue;
      }
      const target = tenants.get(p.scope);
      if (target === undefined || target === tenant || namesSubject(p, s)) continue;
      const group = p.subject.startsWith("Group:") ? p.subject.slice("Group:".length) : "";
      note(
        `broad\u0000${p.binding}\u0000${p.subject}`,
        {
          object: entry.object,
          ...(path !== undefined ? { path } : {}),
          what: `${p.binding} grants ${p.role} to ${p.subject}${BROAD_GROUPS.has(group) ? " (every identity of that group, any tenant's)" : ""} instead of naming the subject`,
        },
        `${who} in "${p.scope}" (tenant ${target})`,
      );
    }
    // Escalations: breadth-first over can-become edges from the subject.
    graph ??= buildEscalationGraph(model);
    const seen = new Set([key]);
    const queue: { node: string; path: EscalationEdge[] }[] = [{ node: key, path: [] }];
    while (queue.length > 0) {
      const { node, path } = queue.shift() as { node: string; path: EscalationEdge[] };
      for (const e of graph.edgesFrom(node)) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        const steps = [...path, e];
        const first = steps[0] as EscalationEdge;
        const entry = first.grant !== undefined ? byId.get(first.grant.binding) : undefined;
        // An unbounded step (any role, impersonation) reaches more than its example target: say what it does instead.
        const step = (x: EscalationEdge): string =>
          x.kind === "any-role" ? `${x.permission} (${x.how.split(",")[0] ?? x.how})` : `${x.permission} → ${x.to}`;
        const described = steps.map(step).join(" → ");
        const report = (where: string, gained: string): void => {
          if (entry === undefined) return;
          const path = bindingPath(entry, first.grant?.subject ?? "");
          note(
            `esc\u0000${first.grant?.binding ?? ""}\u0000${first.permission}\u0000${where}`,
            {
              object: entry.object,
              ...(path !== undefined ? { path } : {}),
              what: `an escalation path: ${described}${gained}`,
            },
            `${who} → ${where}`,
          );
        };
        if (e.to === CLUSTER_ADMIN) {
          report("every tenant", " (cluster-admin-equivalent)");
          continue;
        }
        const targetNs = e.permission.match(/in "([^"]+)"$/)?.[1];
        // Unbounded steps into another tenant's namespace (any role, impersonation) are findings themselves.
        if ((e.kind === "any-role" || e.kind === "impersonate") && targetNs !== undefined) {
          const t = tenants.get(targetNs);
          if (t !== undefined && t !== tenant) report(`"${targetNs}" (tenant ${t})`, "");
        }
        const target = subjectsByKey.get(e.to);
        // Becoming another identity of the same tenant stays inside the tenant: what that identity
        // holds elsewhere is judged as its own grants (named, or reported for it).
        if (target !== undefined && subjectTenant(target) !== tenant)
          for (const ns of scopesOf(target, others)) {
            const gained = gainedIn(model, s, target, ns);
            if (gained !== undefined)
              report(`"${ns}" (tenant ${tenants.get(ns) ?? ""})`, `, which may ${gained} there`);
          }
        queue.push({ node: e.to, path: steps });
      }
    }
  }
  return [...causes.values()];
}
