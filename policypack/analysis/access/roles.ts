/**
 * Role resolution for the access analysis: a roleRef to the rules it grants, each rule with the
 * ClusterRole it was written in, so a grant through an aggregated role names its origin. Label
 * selection is the catalog's (controls/rbac/roles.ts selectorMatches); the aggregation follows the
 * controller more closely than the catalog's RoleResolver does (an aggregated role that selects
 * nothing keeps its own rules), and the provenance is what this adds.
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

  /** Bootstrap Roles by namespace/name: kube-system's and kube-public's, unless the set declares them. */
  private readonly bootstrapNamespaced = new Map<string, KubeObject>();

  constructor(
    private readonly stack: StackIndex,
    bootstrapRoles: readonly KubeObject[],
    private readonly bootstrap: boolean,
    bootstrapNamespacedRoles: readonly KubeObject[] = [],
  ) {
    for (const object of bootstrapNamespacedRoles)
      this.bootstrapNamespaced.set(`${object.metadata?.namespace ?? ""}\u0000${object.metadata?.name ?? ""}`, object);
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
      const rules = this.effective(name, new Set());
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

  /**
   * The rules a ClusterRole holds once the aggregation controller has run: a plain role its own;
   * an aggregated one the union of what the roles its selectors pick hold (themselves aggregated
   * the same way), its own rules replaced — unless that union is empty: the controller then
   * applies an empty rule list, which leaves the rules the role was created with in place
   * (measured on kube-apiserver 1.35, test/cluster/access-differential.test.ts). A role already
   * on the path (a cycle) contributes nothing more. Rules reached twice count once, as the
   * controller adds a rule only once.
   */
  private effective(name: string, path: Set<string>): SourcedRule[] {
    const object = this.clusterRoles.get(name)?.object;
    if (object === undefined) return [];
    const own = (): SourcedRule[] => rulesOf(object).map((rule) => (path.size === 0 ? { rule } : { rule, via: name }));
    if (!this.isAggregated(name)) return own();
    const inner = new Set([...path, name]);
    const out: SourcedRule[] = [];
    const seen = new Set<string>();
    for (const other of this.selected(name)) {
      if (inner.has(other)) continue;
      for (const r of this.effective(other, inner)) {
        const key = `${r.via ?? other}\u0000${r.rule.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(r.via === undefined ? { rule: r.rule, via: other } : r);
      }
    }
    return out.length > 0 ? out : own();
  }

  role(namespace: string, name: string): AccessRole | undefined {
    const key = `${namespace}\u0000${name}`;
    if (this.roleMemo.has(key)) return this.roleMemo.get(key);
    const declared = this.stack.get("Role", namespace, name);
    const builtin = declared === undefined ? this.bootstrapNamespaced.get(key) : undefined;
    const object = declared ?? builtin;
    const resolved: AccessRole | undefined =
      object === undefined || this.stack.isPatch(object)
        ? undefined
        : {
            kind: "Role",
            name,
            namespace,
            id: `Role/${namespace}/${name}`,
            bootstrap: builtin !== undefined,
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
}
