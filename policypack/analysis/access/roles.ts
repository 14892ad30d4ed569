/**
 * Role resolution for the access analysis: a roleRef to the rules it grants, each rule with the
 * ClusterRole it was written in, so a grant through an aggregated role names its origin. The
 * aggregation itself is the catalog's (controls/rbac/aggregation.ts), so `palisade access` and the
 * RBAC controls hold the same rules for every role; what this adds is bootstrap provenance.
 */
import { isBuiltinClusterRoleName } from "../../controls/rbac/builtin-roles";
import { ClusterRoleAggregation, type SourcedRule } from "../../controls/rbac/aggregation";
import { rulesOf } from "../../controls/rbac/rules";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";

export type { SourcedRule };

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

export class AccessRoles {
  private readonly clusterRoles = new Map<string, { object: KubeObject; bootstrap: boolean }>();
  private readonly aggregation: ClusterRoleAggregation;
  private readonly clusterMemo = new Map<string, AccessRole | undefined>();
  private readonly roleMemo = new Map<string, AccessRole | undefined>();

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
    const objects = new Map([...this.clusterRoles].map(([name, entry]) => [name, entry.object]));
    this.aggregation = new ClusterRoleAggregation(objects, (_name, object) => rulesOf(object));
  }

  clusterRole(name: string): AccessRole | undefined {
    if (this.clusterMemo.has(name)) return this.clusterMemo.get(name);
    const entry = this.clusterRoles.get(name);
    let resolved: AccessRole | undefined;
    if (entry !== undefined) {
      const rules = this.aggregation.effective(name);
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
}
