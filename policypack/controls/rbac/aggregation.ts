/**
 * ClusterRole aggregation as kube-controller-manager's clusterrole-aggregation controller computes
 * it, shared by the catalog's RoleResolver (RBAC-005, RBAC-021, RBAC-029) and the access analysis
 * (`palisade access`, tenant-access-isolation), so the two can never disagree on what a role holds.
 * Plain data in, rules out.
 */
import { rec } from "../../engine/access";
import type { KubeObject } from "../../engine/types";
import { aggregationSelectors, selectorMatches } from "./selectors";
import type { Rule } from "./rules";

/** A rule of a resolved ClusterRole; `via` names the ClusterRole it came from through aggregation. */
export interface SourcedRule {
  readonly rule: Rule;
  readonly via?: string;
}

function labelsOf(object: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const labels = rec(object.metadata?.labels);
  if (labels !== undefined) for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  return out;
}

export class ClusterRoleAggregation {
  private readonly selectedMemo = new Map<string, readonly string[]>();
  private readonly effectiveMemo = new Map<string, readonly SourcedRule[]>();

  /**
   * @param roles every ClusterRole the cluster would hold, by name (declared ones and modelled built-ins)
   * @param rulesFor a role's own rules (the caller chooses how their paths read in findings)
   */
  constructor(
    private readonly roles: ReadonlyMap<string, KubeObject>,
    private readonly rulesFor: (name: string, object: KubeObject) => Rule[],
  ) {}

  has(name: string): boolean {
    return this.roles.has(name);
  }

  isAggregated(name: string): boolean {
    const object = this.roles.get(name);
    return object !== undefined && aggregationSelectors(object) !== undefined;
  }

  /**
   * The rules a ClusterRole holds once the controller has run: a plain role its own; an aggregated
   * one the union of what the roles its selectors pick hold (themselves aggregated the same way),
   * its own rules replaced — unless that union is empty: the controller then applies an empty rule
   * list, which leaves the rules the role was created with in place (measured on kube-apiserver
   * 1.35, test/cluster/access-differential.test.ts). The controller walks the selected roles by
   * name and adds a rule once; a role already on the path (a cycle) adds nothing more, since in a
   * cycle the server's answer depends on the order the controller happens to run in.
   */
  effective(name: string): readonly SourcedRule[] {
    let memo = this.effectiveMemo.get(name);
    if (memo === undefined) {
      memo = this.walk(name, new Set());
      this.effectiveMemo.set(name, memo);
    }
    return memo;
  }

  /** The ClusterRoles an aggregationRule selects, by name (one pass over the roles, once per role). */
  selected(name: string): readonly string[] {
    const memo = this.selectedMemo.get(name);
    if (memo !== undefined) return memo;
    const out: string[] = [];
    const object = this.roles.get(name);
    const selectors = object === undefined ? undefined : aggregationSelectors(object);
    if (selectors !== undefined && selectors.length > 0)
      for (const [other, candidate] of this.roles) {
        if (other === name) continue;
        const labels = labelsOf(candidate);
        if (selectors.some((s) => selectorMatches(s, labels))) out.push(other);
      }
    out.sort();
    this.selectedMemo.set(name, out);
    return out;
  }

  private walk(name: string, path: ReadonlySet<string>): SourcedRule[] {
    const object = this.roles.get(name);
    if (object === undefined) return [];
    const own = (): SourcedRule[] =>
      this.rulesFor(name, object).map((rule) => (path.size === 0 ? { rule } : { rule, via: name }));
    if (!this.isAggregated(name)) return own();
    const inner = new Set([...path, name]);
    const out: SourcedRule[] = [];
    const seen = new Set<string>();
    for (const other of this.selected(name)) {
      if (inner.has(other)) continue;
      for (const r of this.walk(other, inner)) {
        const origin = r.via ?? other;
        const key = `${origin}\u0000${r.rule.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ rule: r.rule, via: origin });
      }
    }
    return out.length > 0 ? out : own();
  }
}
