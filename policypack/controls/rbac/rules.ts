/**
 * The RBAC rule model every rbac control shares: PolicyRules read defensively, and one matcher
 * with the API server's semantics (k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go:
 * VerbMatches, APIGroupMatches, ResourceMatches), so no control re-implements wildcard handling
 * and none can look at rules[0] only or miss a `*`.
 */
import { arr, dig, isRecord, join, quoteList, strings } from "../../engine/access";

export const ROLE_KINDS: readonly string[] = ["Role", "ClusterRole"];
export const BINDING_KINDS: readonly string[] = ["RoleBinding", "ClusterRoleBinding"];
export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** One entry of `rules`, with its path from the object root. */
export interface Rule {
  readonly index: number;
  /** `rules[2]` (or the path of a built-in role's rule, for messages). */
  readonly path: string;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** The rules of a Role or ClusterRole; entries that are not mappings are skipped (indexes kept). */
export function rulesOf(object: unknown, base = "rules"): Rule[] {
  const out: Rule[] = [];
  arr(dig(object, "rules")).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    out.push({
      index,
      path: join(base, index),
      apiGroups: strings(entry["apiGroups"]),
      resources: strings(entry["resources"]),
      verbs: strings(entry["verbs"]),
      resourceNames: strings(entry["resourceNames"]),
      nonResourceURLs: strings(entry["nonResourceURLs"]),
    });
  });
  return out;
}

/** A requested verb meaning "any verb at all", for resources where every verb is dangerous (nodes/proxy). */
export const ANY_VERB = "(any verb)";

/**
 * One API request as the authorizer sees it. `resource` is `resource` or `resource/subresource`;
 * `userextras/*` asks for "any subresource of userextras" (impersonation of any extra key).
 */
export interface Request {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
}

export interface RuleMatch {
  /** The rule's own entries that matched (a wildcard when only a wildcard did). */
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** The rule names objects (`resourceNames`): the grant is real but limited to those objects. */
  readonly narrowed: boolean;
}

function matchVerb(rule: Rule, verb: string): string | undefined {
  if (verb === ANY_VERB) return rule.verbs.find((v) => v !== "");
  if (rule.verbs.includes(verb)) return verb;
  return rule.verbs.includes("*") ? "*" : undefined;
}

function matchGroup(rule: Rule, group: string): string | undefined {
  if (rule.apiGroups.includes(group)) return group;
  return rule.apiGroups.includes("*") ? "*" : undefined;
}

/**
 * Exactly the authorizer's ResourceMatches: `*`, the exact `resource/sub`, and `*\/sub` (that
 * subresource of every resource). `resource/*` grants nothing there, so it grants nothing here:
 * Palisade's verdicts must agree with the real authorizer. rbac-wildcard-resources still flags
 * that spelling, because its author meant a wildcard.
 */
function matchResource(rule: Rule, resource: string): string | undefined {
  const slash = resource.indexOf("/");
  const base = slash < 0 ? resource : resource.slice(0, slash);
  const sub = slash < 0 ? "" : resource.slice(slash + 1);
  const anySub = sub === "*";
  if (anySub) {
    const specific = rule.resources.find((r) => r.startsWith(`${base}/`));
    if (specific !== undefined) return specific;
  } else if (rule.resources.includes(resource)) {
    return resource;
  }
  if (rule.resources.includes("*")) return "*";
  if (sub === "") return undefined;
  return rule.resources.find((r) => (anySub ? r.startsWith("*/") : r === `*/${sub}`));
}

/** Whether a rule authorizes a request, and through which of its entries. */
export function matchRule(rule: Rule, request: Request): RuleMatch | undefined {
  // nonResourceURLs rules grant nothing on resources; a rule needs a group, a resource and a verb.
  if (rule.resources.length === 0) return undefined;
  const verb = matchVerb(rule, request.verb);
  if (verb === undefined) return undefined;
  const group = matchGroup(rule, request.group);
  if (group === undefined) return undefined;
  const resource = matchResource(rule, request.resource);
  if (resource === undefined) return undefined;
  return { verb, group, resource, narrowed: rule.resourceNames.length > 0 };
}

/** Whether any rule grants the request (un-narrowed grants only when `fullOnly`). */
export function allows(rules: readonly Rule[], request: Request, fullOnly = false): Rule | undefined {
  return rules.find((rule) => {
    const m = matchRule(rule, request);
    return m !== undefined && !(fullOnly && m.narrowed);
  });
}

/** Where a grant applies: a RoleBinding grants a role's rules in one namespace only. */
export type GrantScope = "cluster" | "namespace";

/** A family of requests: every verb × group × resource listed. */
export interface Permission {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  readonly resources: readonly string[];
  /** Cluster-scoped resources: a RoleBinding cannot grant them, whatever the role says. */
  readonly clusterScoped?: boolean;
}

/** A sensitive capability: the catalog row that forbids it and the requests that give it. */
export interface Sensitive {
  readonly catalog: string;
  /** What the grant lets a subject do, for messages: "exec into containers". */
  readonly what: string;
  readonly permissions: readonly Permission[];
  /**
   * How a rule limited by resourceNames counts for the role controls and for workload service
   * accounts (`grantsOf`). @default "count" - a named object is still reached, so it is a grant.
   * "exclude": naming the objects is this capability's least-privilege form (get on the one
   * Secret a workload needs), so it is not a finding. "only": the capability as reached through
   * named objects only (its unrestricted twin reports the rest). Aggregation (`ruleGrant`) always
   * counts named rules: injected into view/edit/admin they reach every holder of those roles.
   */
  readonly named?: "count" | "exclude" | "only";
}

/** Whether the rule's resourceNames limit keeps it in or out of a capability's grants. */
export function namedModeAdmits(sensitive: Sensitive, rule: Rule): boolean {
  const named = rule.resourceNames.length > 0;
  if (sensitive.named === "exclude") return !named;
  if (sensitive.named === "only") return named;
  return true;
}

/**
 * requestsOf per capability and scope: the capabilities are constants, asked about for every role
 * by each of the role controls. Callers only read the lists.
 */
const requestsCache = new WeakMap<Sensitive, Partial<Record<GrantScope, Request[]>>>();

/** The requests of a sensitive capability that apply in a scope. */
export function requestsOf(sensitive: Sensitive, scope: GrantScope = "cluster"): Request[] {
  let byScope = requestsCache.get(sensitive);
  if (byScope === undefined) requestsCache.set(sensitive, (byScope = {}));
  return (byScope[scope] ??= expandRequests(sensitive, scope));
}

function expandRequests(sensitive: Sensitive, scope: GrantScope): Request[] {
  const out: Request[] = [];
  for (const p of sensitive.permissions) {
    if (scope === "namespace" && p.clusterScoped === true) continue;
    for (const resource of p.resources)
      for (const group of p.groups) for (const verb of p.verbs) out.push({ verb, group, resource });
  }
  return out;
}

/** What one rule grants of a sensitive capability. */
export interface Grant {
  readonly rule: Rule;
  /** Requested verbs granted (for ANY_VERB: the rule's own verbs). */
  readonly verbs: readonly string[];
  /** Requested resources granted. */
  readonly resources: readonly string[];
  /** Wildcard entries of the rule through which the grant came. */
  readonly wildcards: readonly string[];
  readonly narrowed: boolean;
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function isWildcard(entry: string): boolean {
  return entry.includes("*");
}

/** What a rule grants of a sensitive capability, or undefined when nothing. */
export function ruleGrant(
  rule: Rule,
  sensitive: Sensitive,
  scope: GrantScope = "cluster",
  requests: readonly Request[] = requestsOf(sensitive, scope),
): Grant | undefined {
  const verbs: string[] = [];
  const resources: string[] = [];
  const wildcards: string[] = [];
  let narrowed = false;
  for (const request of requests) {
    const m = matchRule(rule, request);
    if (m === undefined) continue;
    if (request.verb === ANY_VERB) for (const v of rule.verbs) pushUnique(verbs, v);
    else pushUnique(verbs, request.verb);
    pushUnique(resources, request.resource);
    for (const entry of [m.verb, m.group, m.resource]) if (isWildcard(entry)) pushUnique(wildcards, entry);
    narrowed = narrowed || m.narrowed;
  }
  if (verbs.length === 0) return undefined;
  return { rule, verbs, resources, wildcards, narrowed };
}

/**
 * Every rule's grant of a sensitive capability, in rule order, as the role controls and the
 * workload check count them (rules limited by resourceNames per `sensitive.named`).
 */
export function grantsOf(rules: readonly Rule[], sensitive: Sensitive, scope: GrantScope = "cluster"): Grant[] {
  const requests = requestsOf(sensitive, scope);
  const out: Grant[] = [];
  for (const rule of rules) {
    if (!namedModeAdmits(sensitive, rule)) continue;
    const g = ruleGrant(rule, sensitive, scope, requests);
    if (g !== undefined) out.push(g);
  }
  return out;
}

/**
 * `rules[1] grants "get" on "pods/exec" (exec into containers)`, naming the wildcards it came
 * through and the resourceNames it is limited to. Unless the capability says otherwise
 * (`Sensitive.named`), a rule limited by resourceNames still grants it on the objects it names,
 * so it is reported at the control's severity, and the message says so.
 */
export function describeGrant(grant: Grant, what: string): string {
  const through = grant.wildcards.length > 0 ? ` through wildcard ${quoteList(grant.wildcards)}` : "";
  const only = grant.narrowed ? `, only for resourceNames ${quoteList(grant.rule.resourceNames)}` : "";
  return `${grant.rule.path} grants ${quoteList(grant.verbs)} on ${quoteList(grant.resources)}${through}${only} (${what})`;
}
