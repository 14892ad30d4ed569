/**
 * The RBAC model of rules.ts as CEL, for `palisade export vap`: generated from the same Sensitive
 * tables and the same matching rules (matchRule: VerbMatches, APIGroupMatches, ResourceMatches), so
 * no control hand-copies a verb or a resource into its CEL.
 */
import type { CelPolicy, CelVariable } from "../../engine/control";
import { celString, lazyCel } from "../../engine/cel";
import { celGlobMatch } from "../cel";
import { ANY_VERB, requestsOf, type GrantScope, type Request, type Sensitive } from "./rules";

const list = (values: readonly string[]): string => `[${values.map(celString).join(", ")}]`;

/**
 * `variables.rules`: the rules of the admitted Role or ClusterRole, none when absent. The API
 * server serializes a role without rules as `rules: null` (the field has no omitempty).
 */
export const RULES_VARIABLE: CelVariable = {
  name: "rules",
  expression: "has(object.rules) && type(object.rules) != null_type ? object.rules : []",
};

/** `variables.subjects`: the subjects of the admitted binding. */
export const SUBJECTS_VARIABLE: CelVariable = {
  name: "subjects",
  expression: "has(object.subjects) && type(object.subjects) != null_type ? object.subjects : []",
};

/** The object's own namespace as written (`writtenNamespace`), '' when it has none. */
export const WRITTEN_NAMESPACE = "(has(object.metadata.namespace) ? object.metadata.namespace : '')";

/** A block of requests that is a full cross product verbs × groups × resources. */
interface Block {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  readonly resources: readonly string[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const bucket = out.get(k);
    if (bucket === undefined) out.set(k, [item]);
    else bucket.push(item);
  }
  return out;
}

const uniq = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * The requests as cross-product blocks whose union is exactly the set of requests: verbs per
 * (group, resource), then groups per (verbs, resource), then resources per (verbs, groups).
 */
function blocks(requests: readonly Request[]): Block[] {
  const byGroupResource = groupBy(requests, (r) => JSON.stringify([r.group, r.resource]));
  const gr = [...byGroupResource.values()].map((rs) => ({
    verbs: uniq(rs.map((r) => r.verb)).sort(),
    group: (rs[0] as Request).group,
    resource: (rs[0] as Request).resource,
  }));
  const byVerbsResource = groupBy(gr, (x) => JSON.stringify([x.verbs, x.resource]));
  const vr = [...byVerbsResource.values()].map((xs) => ({
    verbs: (xs[0] as (typeof gr)[number]).verbs,
    groups: uniq(xs.map((x) => x.group)).sort(),
    resource: (xs[0] as (typeof gr)[number]).resource,
  }));
  const byVerbsGroups = groupBy(vr, (x) => JSON.stringify([x.verbs, x.groups]));
  return [...byVerbsGroups.values()].map((xs) => ({
    verbs: (xs[0] as (typeof vr)[number]).verbs,
    groups: (xs[0] as (typeof vr)[number]).groups,
    resources: uniq(xs.map((x) => x.resource)),
  }));
}

/** matchVerb for any of the verbs: the verb itself or `*`; ANY_VERB: any non-empty verb. */
function verbCel(rule: string, verbs: readonly string[]): string {
  if (verbs.includes(ANY_VERB)) return `has(${rule}.verbs) && ${rule}.verbs.exists(v, v != '')`;
  return `has(${rule}.verbs) && ${rule}.verbs.exists(v, v in ${list([...verbs, "*"])})`;
}

/** matchGroup for any of the groups: the group itself or `*`. */
function groupCel(rule: string, groups: readonly string[]): string {
  return `has(${rule}.apiGroups) && ${rule}.apiGroups.exists(g, g in ${list([...groups, "*"])})`;
}

/**
 * matchResource for any of the resources: `*`, the exact `resource/sub`, `*\/sub`; for a request
 * `base/*` (any subresource of base): any `base/...` entry or any `*\/...` entry. A rule without
 * resources matches nothing (nonResourceURLs rules), which `exists` over an empty list says too.
 */
function resourceCel(rule: string, resources: readonly string[]): string {
  const exact = new Set<string>(["*"]);
  const prefixes = new Set<string>();
  for (const resource of resources) {
    const slash = resource.indexOf("/");
    const base = slash < 0 ? resource : resource.slice(0, slash);
    const sub = slash < 0 ? "" : resource.slice(slash + 1);
    if (sub === "*") {
      prefixes.add(`${base}/`);
      prefixes.add("*/");
      continue;
    }
    exact.add(resource);
    if (sub !== "") exact.add(`*/${sub}`);
  }
  const terms = [`x in ${list([...exact])}`, ...[...prefixes].map((p) => `x.startsWith(${celString(p)})`)];
  return `has(${rule}.resources) && ${rule}.resources.exists(x, ${terms.join(" || ")})`;
}

/** CEL true when the rule `rule` (a rules entry) authorizes at least one of the requests. */
export function celRuleGrantsAny(requests: readonly Request[], rule = "r"): string {
  if (requests.length === 0) return "false";
  return blocks(requests)
    .map((b) => `(${verbCel(rule, b.verbs)} && ${groupCel(rule, b.groups)} && ${resourceCel(rule, b.resources)})`)
    .join(" || ");
}

/** CEL true when the rule `rule` is limited by resourceNames (the server omits an empty list). */
export function celRuleNamed(rule = "r"): string {
  return `(has(${rule}.resourceNames) && size(${rule}.resourceNames) > 0)`;
}

/**
 * CEL true when some rule of `variables.rules` authorizes one of the requests; `named` keeps
 * only the rules `namedModeAdmits` keeps.
 */
export function celRulesGrantAny(requests: readonly Request[], named: Sensitive["named"] = "count"): string {
  if (requests.length === 0) return "false";
  const grants = celRuleGrantsAny(requests, "r");
  if (named === "exclude") return `variables.rules.exists(r, !${celRuleNamed("r")} && (${grants}))`;
  if (named === "only") return `variables.rules.exists(r, ${celRuleNamed("r")} && (${grants}))`;
  return `variables.rules.exists(r, ${grants})`;
}

/**
 * CEL true when the admitted role grants the capability (what `grantViolations` reports): a Role
 * is judged at namespace scope (cluster-scoped requests are not grantable through it), a
 * ClusterRole at cluster scope.
 */
export function celGrants(sensitive: Sensitive): string {
  const scoped = (scope: GrantScope): string => celRulesGrantAny(requestsOf(sensitive, scope), sensitive.named);
  const ns = scoped("namespace");
  const cluster = scoped("cluster");
  if (ns === cluster) return cluster;
  if (ns === "false") return `(object.kind != 'Role' && ${cluster})`;
  return `(object.kind == 'Role' ? ${ns} : ${cluster})`;
}

/** `isPlatformNamespace`: the namespace equals or glob-matches one of params.spec.platformNamespaces. */
export function celIsPlatformNamespace(namespace: string): string {
  return `params.spec.platformNamespaces.exists(p, p == ${namespace} || ${celGlobMatch("p", namespace)})`;
}

/** `isTenantRole`: every ClusterRole, and Roles without a namespace or outside platformNamespaces. */
export const CEL_IS_TENANT_ROLE = `(object.kind != 'Role' || ${WRITTEN_NAMESPACE} == '' || !${celIsPlatformNamespace(WRITTEN_NAMESPACE)})`;

/** The policy of a `grantCheck(sensitive, applies)` control; `applies` is a CEL condition (default: always). */
export function grantPolicy(sensitive: Sensitive, applies?: string, message?: string): CelPolicy {
  return lazyCel(() => {
    const grants = celGrants(sensitive);
    const expression = applies === undefined ? `!${grants}` : `!(${applies}) || !${grants}`;
    return {
      variables: [RULES_VARIABLE],
      validations: [{ expression, message: message ?? `the role must not ${sensitive.what}` }],
    };
  });
}

/** CEL for `subjectsOf(...).some(s => (User or Group) && names.includes(s.name))`. */
export function userOrGroupNamed(names: readonly string[]): string {
  return `variables.subjects.exists(s, has(s.kind) && s.kind in ['User', 'Group'] && has(s.name) && s.name in ${list(names)})`;
}

/** A CEL map literal of string constants (labels). */
export function celStringMap(map: Readonly<Record<string, string>>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${celString(k)}: ${celString(v)}`)
    .join(", ")}}`;
}

/**
 * `selectorMatches(selector, labels)` for constant labels, `selector` a CEL LabelSelector
 * expression: matchLabels all equal, matchExpressions In/NotIn/Exists/DoesNotExist, any other
 * operator (or none, or no key) selecting nothing.
 */
export function celSelectorMatches(selector: string, labels: Readonly<Record<string, string>>): string {
  const empty = Object.keys(labels).length === 0;
  const m = celStringMap(labels);
  const hasKey = (k: string): string => (empty ? "false" : `${k} in ${m}`);
  const valueIn = (k: string, values: string): string =>
    empty ? "false" : `(${k} in ${m} && ${m}[${k}] in ${values})`;
  const matchLabels = empty
    ? `(!has(${selector}.matchLabels) || size(${selector}.matchLabels) == 0)`
    : `(!has(${selector}.matchLabels) || ${selector}.matchLabels.all(k, k in ${m} && ${m}[k] == ${selector}.matchLabels[k]))`;
  const values = "(has(e.values) ? e.values : [])";
  const expression =
    `has(e.key) && has(e.operator) && (` +
    `e.operator == 'In' ? ${valueIn("e.key", values)} : ` +
    `e.operator == 'NotIn' ? !${valueIn("e.key", values)} : ` +
    `e.operator == 'Exists' ? ${hasKey("e.key")} : ` +
    `e.operator == 'DoesNotExist' ? !(${hasKey("e.key")}) : false)`;
  return `(${matchLabels} && (!has(${selector}.matchExpressions) || ${selector}.matchExpressions.all(e, ${expression})))`;
}
