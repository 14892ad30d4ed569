/**
 * Role resolution for the access analysis: a roleRef to the rules it grants, each rule with the
 * ClusterRole it was written in, so a grant through an aggregated role names its origin. The
 * aggregation semantics are the catalog's (controls/rbac/roles.ts RoleResolver: the rules of every
 * non-aggregated ClusterRole the selectors reach, transitively); the provenance is what this adds.
 */
import { isBuiltinClusterRoleName } from "../../controls/rbac/builtin-roles";
import { aggregationSelectors, selectorMatches } from "../../controls/rbac/roles";
import { rulesOf, type Rule } from "../../controls/rbac/rules";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";

/** A rule of a resolved role; `via` names the ClusterRole it came from through aggregation. */
export interface SourcedRule {
  readonly rule: Rule;
  readonly via?: string;
}

export interface AccessRole {
  readonly kind: "Role" | "ClusterRole";
  readonly name: string;
  readonly namespace?: string;
  /** `ClusterRole/<name>` or `Role/<ns>/<name>`. */
  readonly id: string;
  /** Created by the API server, not declared in the set. */
  readonly bootstrap: boolean;
  /** A bootstrap ClusterRole whose rules are not modelled: it exists, but what it grants is unknown here. */
  readonly unmodelled: boolean;
  readonly rules: readonly SourcedRule[];
}

function labelsOf(object: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(object.metadata?.labels ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

export class AccessRoles {
  private readonly clusterRoles = new Map<string, { object: KubeObject; bootstrap: boolean }>();
  private readonly clusterMemo = new Map<string, AccessRole | undefined>();
  private readonly roleMemo = new Map<string, AccessRole | undefined>();
  private readonly selectedMemo = new Map<string, readonly string[]>();

  constructor(
    private readonly stack: StackIndex,
    bootstrapRoles: readonly KubeObject[],
    private readonly bootstrap: boolean,
  ) {
    for (const object of stack.byKind("ClusterRole")) {
      const name = object.metadata?.name;
      if (typeof name !== "string" || name === "" || stack.isPatch(object) || this.clusterRoles.has(name)) continue;
      this.clusterRoles.set(name, { object, bootstrap: false });
    }
    // A set that declares a bootstrap name (a cluster dump) wins over the model, as a server
    // holding that object would.
    for (const object of bootstrapRoles) {
      const name = object.metadata?.name as string;
      if (!this.clusterRoles.has(name)) this.clusterRoles.set(name, { object, bootstrap: true });
    }
  }

  clusterRole(name: string): AccessRole | undefined {
    if (this.clusterMemo.has(name)) return this.clusterMemo.get(name);
    const entry = this.clusterRoles.get(name);
    let resolved: AccessRole | undefined;
    if (entry !== undefined) {
      const rules: SourcedRule[] = [];
      for (const n of [name, ...this.reachable(name)]) {
        if (this.isAggregated(n)) continue;
        const own = rulesOf(this.clusterRoles.get(n)?.object);
        for (const rule of own) rules.push(n === name ? { rule } : { rule, via: n });
      }
      resolved = {
        kind: "ClusterRole",
        name,
        id: `ClusterRole/${name}`,
        bootstrap: entry.bootstrap,
        unmodelled: false,
        rules,
      };
    } else if (this.bootstrap && isBuiltinClusterRoleName(name)) {
      resolved = { kind: "ClusterRole", name, id: `ClusterRole/${name}`, bootstrap: true, unmodelled: true, rules: [] };
    }
    this.clusterMemo.set(name, resolved);
    return resolved;
  }

  role(namespace: string, name: string): AccessRole | undefined {
    const key = `${namespace}\u0000${name}`;
    if (this.roleMemo.has(key)) return this.roleMemo.get(key);
    const object = this.stack.get("Role", namespace, name);
    const resolved: AccessRole | undefined =
      object === undefined || this.stack.isPatch(object)
        ? undefined
        : {
            kind: "Role",
            name,
            namespace,
            id: `Role/${namespace}/${name}`,
            bootstrap: false,
            unmodelled: false,
            rules: rulesOf(object).map((rule) => ({ rule })),
          };
    this.roleMemo.set(key, resolved);
    return resolved;
  }

  private isAggregated(name: string): boolean {
    const object = this.clusterRoles.get(name)?.object;
    return object !== undefined && aggregationSelectors(object) !== undefined;
  }

  private selected(name: string): readonly string[] {
    const memo = this.selectedMemo.get(name);
    if (memo !== undefined) return memo;
    const out: string[] = [];
    const object = this.clusterRoles.get(name)?.object;
    const selectors = object === undefined ? undefined : aggregationSelectors(object);
    if (selectors !== undefined && selectors.length > 0)
      for (const [other, entry] of this.clusterRoles) {
        if (other === name) continue;
        const labels = labelsOf(entry.object);
        if (selectors.some((s) => selectorMatches(s, labels))) out.push(other);
      }
    out.sort();
    this.selectedMemo.set(name, out);
    return out;
  }

  private reachable(name: string): string[] {
    const seen = new Set([name]);
    const out: string[] = [];
    const todo = [...this.selected(name)].reverse();
    while (todo.length > 0) {
      const next = todo.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      todo.push(...[...this.selected(next)].reverse());
    }
    return out;
  }
}
