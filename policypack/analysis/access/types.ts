/**
 * The public shapes of the access analysis: a request as the API server's authorizer sees it, and
 * a decision with the binding → role → rule chains that grant it.
 */

/** One resource request, as a SubjectAccessReview carries it. */
export interface AccessRequest {
  /** e.g. "alice" or "system:serviceaccount:ns:sa". */
  readonly user: string;
  /** As given to SubjectAccessReview (the caller adds system:authenticated etc. if wanted). */
  readonly groups: readonly string[];
  readonly verb: string;
  /** "" for the core group. */
  readonly apiGroup: string;
  /** Plural, without subresource. */
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** undefined: a cluster-wide request (a SubjectAccessReview without namespace). */
  readonly namespace?: string;
}

/** One rule that grants a request, and the chain that brings it to the requester. */
export interface AccessGrant {
  /** `ClusterRoleBinding/<name>` or `RoleBinding/<namespace>/<name>`. */
  readonly binding: string;
  /** `ClusterRole/<name>` or `Role/<namespace>/<name>`, as the binding's roleRef resolves. */
  readonly role: string;
  /** Index of the rule in the rules of the role it was written in (`via`'s when aggregated). */
  readonly ruleIndex: number;
  /**
   * The ClusterRole whose rule this is, when the role is aggregated: the aggregation controller
   * copies the rules of every ClusterRole its selectors reach into it.
   */
  readonly via?: string;
  /** The binding's subject that matched: `User:alice`, `Group:devs`, `ServiceAccount:ns/sa`. */
  readonly subject: string;
  /** The binding is one the API server creates at start-up, not one of the set. */
  readonly bootstrap: boolean;
  /** Where the grant applies: a namespace (RoleBinding) or "*" (ClusterRoleBinding: everywhere). */
  readonly scope: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  readonly grants: readonly AccessGrant[];
  /**
   * Set when the request carries the group system:masters: the API server's authorizer chain
   * allows that group everything before RBAC is asked (not an RBAC grant, so no binding names it).
   */
  readonly privilegedGroup?: "system:masters";
  /**
   * Built-in ClusterRoles bound to the requester whose rules Palisade does not model (controller
   * and node roles): a denial is then not certain.
   */
  readonly unmodelledRoles?: readonly string[];
}

/** A subject as bindings name it. */
export type SubjectKind = "User" | "Group" | "ServiceAccount";

export interface SubjectRef {
  readonly kind: SubjectKind;
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace?: string;
}

/** `User:alice`, `Group:devs`, `ServiceAccount:ns/sa` (the subject ids the rbac controls use). */
export function subjectKey(subject: SubjectRef): string {
  return subject.kind === "ServiceAccount"
    ? `ServiceAccount:${subject.namespace ?? ""}/${subject.name}`
    : `${subject.kind}:${subject.name}`;
}

/** `ServiceAccount:ns/name`, `User:alice`, `Group:system:authenticated`; undefined when malformed. */
export function parseSubjectKey(text: string): SubjectRef | undefined {
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (rest === "") return undefined;
  if (kind === "User" || kind === "Group") return { kind, name: rest };
  if (kind === "ServiceAccount") {
    const slash = rest.indexOf("/");
    if (slash <= 0 || slash === rest.length - 1) return undefined;
    return { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
  }
  return undefined;
}

export const SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:";
export const ALL_SERVICE_ACCOUNTS = "system:serviceaccounts";
export const AUTHENTICATED = "system:authenticated";
export const UNAUTHENTICATED = "system:unauthenticated";
export const MASTERS = "system:masters";

/** The user name a ServiceAccount's token authenticates as. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

/** The identity a subject's members present to the authorizer (the groups the authenticator adds). */
export interface Identity {
  readonly user?: string;
  readonly groups: readonly string[];
}

/**
 * A ServiceAccount authenticates as system:serviceaccount:<ns>:<name> in the groups
 * system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated; a user as itself
 * in system:authenticated (other groups come from the identity provider, which a manifest set
 * does not show); a group's members carry the group, and system:authenticated unless the group is
 * system:unauthenticated.
 */
export function identityOf(subject: SubjectRef): Identity {
  if (subject.kind === "ServiceAccount") {
    const ns = subject.namespace ?? "";
    return {
      user: serviceAccountUser(ns, subject.name),
      groups: [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${ns}`, AUTHENTICATED],
    };
  }
  if (subject.kind === "User")
    return { user: subject.name, groups: subject.name === "system:anonymous" ? [UNAUTHENTICATED] : [AUTHENTICATED] };
  if (subject.name === UNAUTHENTICATED || subject.name === AUTHENTICATED) return { groups: [subject.name] };
  return { groups: [subject.name, AUTHENTICATED] };
}
