/**
 * The access model of one object set: bindings indexed by identity, roles resolved once, and the
 * authorizer's decision for any request (`can`), with the chain behind every grant.
 */
import { StackIndex, type StackIndexOptions } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import { BindingTable, groupKey, userKey, type BindingEntry } from "./bindings";
import {
  BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  BOOTSTRAP_CLUSTER_ROLE_OBJECTS,
  BOOTSTRAP_ROLE_OBJECTS,
  CONTROL_PLANE_BINDINGS,
  CONTROL_PLANE_CLUSTER_ROLES,
} from "./bootstrap";
import { ruleAllows } from "./match";
import { AccessRoles, type AccessRole } from "./roles";
import { discoverSubjects, type KnownSubjects } from "./subjects";
import {
  identityOf,
  MASTERS,
  subjectKey,
  type AccessDecision,
  type AccessGrant,
  type AccessRequest,
  type Identity,
  type SubjectRef,
} from "./types";

/** The kinds the access analysis reads, besides pod-bearing ones (their ServiceAccounts). */
export const ACCESS_KINDS: readonly string[] = [
  "Namespace",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ServiceAccount",
  "Secret",
];

export interface AccessOptions {
  /**
   * Include what the API server creates at start-up: the bootstrap ClusterRoles and the
   * ClusterRoleBindings that grant ordinary subjects (system:authenticated and friends).
   * @default true
   */
  readonly bootstrap?: boolean;
  /** How the object set is indexed (default namespace, patches). */
  readonly stack?: StackIndexOptions;
}

/** One rule a subject holds, where, and through which binding and role. */
export interface EffectivePermission extends AccessGrant {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A who-can question: a request without its requester. */
export type WhoCanQuery = Omit<AccessRequest, "user" | "groups">;

export interface WhoCanAnswer {
  readonly subject: SubjectRef;
  readonly decision: AccessDecision;
}

export interface AccessModel {
  /** The kube-apiserver's answer (RBAC, plus system:masters) to a resource request. */
  can(request: AccessRequest): AccessDecision;
  /** Every subject the set names or implies, sorted by kind then name. */
  readonly subjects: readonly SubjectRef[];
  /** Namespaces the set declares or uses, sorted. */
  readonly namespaces: readonly string[];
  readonly bindings: readonly BindingEntry[];
  /** Every rule the subject's identity holds (its own bindings and its groups'). */
  permissionsOf(subject: SubjectRef): readonly EffectivePermission[];
  /** The subjects (of `subjects`) the request is allowed for, each with its identity's decision. */
  whoCan(query: WhoCanQuery): readonly WhoCanAnswer[];
  /** Objects the model was built from, indexed. */
  readonly stack: StackIndex;
  /** Known subjects with where they come from. */
  readonly known: KnownSubjects;
  /** Resolved role of a binding, or undefined when its roleRef does not resolve (it then grants nothing). */
  roleOf(binding: BindingEntry): AccessRole | undefined;
}

/** A binding that applies to an identity, with the subject of it that matched. */
type Hit = { readonly entry: BindingEntry; readonly subject: SubjectRef };

class Model implements AccessModel {
  readonly stack: StackIndex;
  readonly subjects: readonly SubjectRef[];
  readonly namespaces: readonly string[];
  readonly bindings: readonly BindingEntry[];
  readonly known: KnownSubjects;
  private readonly table: BindingTable;
  private readonly roles: AccessRoles;

  constructor(objects: readonly KubeObject[] | StackIndex, options: AccessOptions) {
    const bootstrap = options.bootstrap ?? true;
    this.stack = objects instanceof StackIndex ? objects : new StackIndex(objects, options.stack);
    this.roles = new AccessRoles(
      this.stack,
      bootstrap ? [...BOOTSTRAP_CLUSTER_ROLE_OBJECTS, ...CONTROL_PLANE_CLUSTER_ROLES] : [],
      bootstrap,
      bootstrap ? BOOTSTRAP_ROLE_OBJECTS : [],
    );
    this.table = new BindingTable(
      this.stack,
      bootstrap ? BOOTSTRAP_CLUSTER_ROLE_BINDINGS : [],
      bootstrap ? CONTROL_PLANE_BINDINGS : [],
    );
    this.bindings = this.table.all;
    this.known = discoverSubjects(this.stack, this.bindings);
    this.subjects = this.known.subjects;
    this.namespaces = this.known.namespaces;
  }

  roleOf(binding: BindingEntry): AccessRole | undefined {
    const ref = binding.roleRef;
    if (ref?.name === undefined || ref.name === "") return undefined;
    if (ref.kind === "ClusterRole") return this.roles.clusterRole(ref.name);
    // A ClusterRoleBinding to a Role is refused by validation and resolves to nothing in the authorizer.
    if (ref.kind === "Role" && binding.namespace !== undefined) return this.roles.role(binding.namespace, ref.name);
    return undefined;
  }

  /** The bindings that apply to an identity, in the order the authorizer visits them. */
  private applying(identity: Identity): Hit[] {
    const out = this.bindingsOf(identity, [(key) => this.table.lookup(key)]);
    // ClusterRoleBindings first, as the authorizer visits them, then RoleBindings; stable within.
    return out.sort((a, b) => (a.entry.kind === b.entry.kind ? 0 : a.entry.kind === "ClusterRoleBinding" ? -1 : 1));
  }

  /**
   * The bindings that can grant a request, in the authorizer's order: the ClusterRoleBindings,
   * then the RoleBindings of the request's namespace (a RoleBinding grants only in its namespace,
   * whatever role it references; a cluster-wide request is never granted by one).
   */
  private applyingTo(identity: Identity, namespace: string | undefined): Hit[] {
    const scopes = namespace === undefined ? [undefined] : [undefined, namespace];
    return this.bindingsOf(
      identity,
      scopes.map((ns) => (key: string) => this.table.lookupScoped(key, ns)),
    );
  }

  /** Each binding once that one of the lookups finds for the identity's user or one of its groups, in lookup order. */
  private bindingsOf(identity: Identity, lookups: readonly ((key: string) => readonly Hit[])[]): Hit[] {
    const keys = [...(identity.user !== undefined ? [userKey(identity.user)] : []), ...identity.groups.map(groupKey)];
    const seen = new Set<BindingEntry>();
    const out: Hit[] = [];
    for (const lookup of lookups)
      for (const key of keys)
        for (const hit of lookup(key)) {
          if (seen.has(hit.entry)) continue;
          seen.add(hit.entry);
          out.push(hit);
        }
    return out;
  }

  can(request: AccessRequest): AccessDecision {
    const identity: Identity = { user: request.user, groups: request.groups };
    const grants: AccessGrant[] = [];
    const unmodelled = new Set<string>();
    for (const { entry, subject } of this.applyingTo(identity, request.namespace)) {
      const role = this.roleOf(entry);
      if (role === undefined) continue;
      if (role.unmodelled) unmodelled.add(role.id);
      for (const { rule, via } of role.rules) {
        if (!ruleAllows(rule, request)) continue;
        grants.push(grantOf(entry, role, rule.index, via, subject));
      }
    }
    const masters = request.groups.includes(MASTERS);
    return {
      allowed: masters || grants.length > 0,
      grants,
      ...(masters ? { privilegedGroup: MASTERS } : {}),
      ...(unmodelled.size > 0 && !masters && grants.length === 0 ? { unmodelledRoles: [...unmodelled].sort() } : {}),
    };
  }

  private readonly permissionsMemo = new Map<string, readonly EffectivePermission[]>();

  permissionsOf(subject: SubjectRef): readonly EffectivePermission[] {
    // The summary, the escalation graph and the tenancy check each ask for every subject's.
    const key = subjectKey(subject);
    const memo = this.permissionsMemo.get(key);
    if (memo !== undefined) return memo;
    const out: EffectivePermission[] = [];
    for (const { entry, subject: matched } of this.applying(identityOf(subject))) {
      const role = this.roleOf(entry);
      if (role === undefined) continue;
      for (const { rule, via } of role.rules)
        out.push({
          ...grantOf(entry, role, rule.index, via, matched),
          verbs: rule.verbs,
          apiGroups: rule.apiGroups,
          resources: rule.resources,
          resourceNames: rule.resourceNames,
          nonResourceURLs: rule.nonResourceURLs,
        });
    }
    this.permissionsMemo.set(key, out);
    return out;
  }

  whoCan(query: WhoCanQuery): readonly WhoCanAnswer[] {
    const out: WhoCanAnswer[] = [];
    for (const subject of this.subjects) {
      const identity = identityOf(subject);
      const decision = this.can({ ...query, user: identity.user ?? "", groups: identity.groups });
      if (decision.allowed) out.push({ subject, decision });
    }
    return out;
  }
}

function grantOf(
  entry: BindingEntry,
  role: AccessRole,
  ruleIndex: number,
  via: string | undefined,
  subject: SubjectRef,
): AccessGrant {
  return {
    binding: entry.id,
    role: role.id,
    ruleIndex,
    ...(via !== undefined ? { via: `ClusterRole/${via}` } : {}),
    subject: subjectKey(subject),
    bootstrap: entry.bootstrap,
    scope: entry.namespace ?? "*",
  };
}

/**
 * Build the access model of an object set (pure; the set is read, never changed). A stack
 * control passes the StackIndex it already has.
 */
export function buildAccessModel(
  objects: readonly KubeObject[] | StackIndex,
  options: AccessOptions = {},
): AccessModel {
  return new Model(objects, options);
}

/** `RoleBinding/ns/b → ClusterRole/edit (via ClusterRole/system:aggregate-to-edit) rules[3]`. */
export function describeChain(grant: AccessGrant): string {
  const via = grant.via !== undefined ? ` (via ${grant.via})` : "";
  return `${grant.binding} → ${grant.role}${via} rules[${grant.ruleIndex}]`;
}
