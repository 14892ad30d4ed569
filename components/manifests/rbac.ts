/**
 * Access grants: users, groups and ServiceAccounts bound to least-privilege namespaced Roles by
 * RoleBindings (never ClusterRoleBindings: a grant stays inside its tenant's namespace).
 *
 * The presets are written against the catalog's rbac family: none reads Secrets, execs into pods,
 * writes RBAC objects, NetworkPolicies, quotas or limit ranges, mints tokens or updates the
 * Namespace (its PSA labels). Only `deploy` creates workloads, which rbac-create-pods (RBAC-007)
 * reports, exempted on the Role with the control's own remedy as the reason: workload creation
 * belongs to the deployment pipeline's identity.
 */
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import type { ExemptionEntry } from "./exemptions";
import { describeFindings } from "./self-check";
import type { OptOut, ServiceAccountRef } from "./types";
import { dns1123Subdomain, fail, knownKeys, optOut, stringList } from "./validate";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The preset roles. */
export type RolePreset = "view" | "edit" | "deploy";
export const ROLE_PRESETS: readonly RolePreset[] = ["view", "edit", "deploy"];

/** One rule of a custom Role (rbac.authorization.k8s.io/v1 PolicyRule, resource rules only). */
export interface PolicyRuleArgs {
  /** API groups ("" is the core group). */
  readonly apiGroups: readonly string[];
  /** Resources, e.g. "configmaps" or "deployments/scale". */
  readonly resources: readonly string[];
  /** Verbs, e.g. "get", "list", "watch". */
  readonly verbs: readonly string[];
  /**
   * Limit the rule to these object names.
   * @default - every object of the resources
   */
  readonly resourceNames?: readonly string[];
}

/** A Role written by the user, checked against the catalog's rbac family when built. */
export interface CustomRoleArgs {
  /** Name of the Role (a DNS subdomain; `palisade-` is reserved for the presets). */
  readonly name: string;
  /** What the Role allows. */
  readonly rules: readonly PolicyRuleArgs[];
  /**
   * Controls of the rbac family the Role is knowingly exempted from, and why; they land on the
   * Role as exemption annotations.
   * @default - the Role must pass every rbac control, or building fails listing the findings
   */
  readonly exempt?: CustomRoleExemption;
}

/** Controls a custom Role is exempted from, with the reason. */
export interface CustomRoleExemption extends OptOut {
  /** Control ids, e.g. ["rbac-create-pods"]. */
  readonly controls: readonly string[];
}

/** Who gets a role in the namespace. */
export interface AccessGrant {
  /** A preset (`view`, `edit`, `deploy`) or a custom Role. */
  readonly role: RolePreset | CustomRoleArgs;
  /**
   * Users (as the identity provider names them).
   * @default - no users
   */
  readonly users?: readonly string[];
  /**
   * Groups.
   * @default - no groups
   */
  readonly groups?: readonly string[];
  /**
   * ServiceAccounts: a name (of this namespace, declared by the component with token automount
   * off) or `{ name, namespace }` of another namespace.
   * @default - no ServiceAccounts
   */
  readonly serviceAccounts?: readonly (string | ServiceAccountRef)[];
}

export interface RuleJson {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete"];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): RuleJson => ({ apiGroups, resources, verbs });

/** Read access to what a tenant runs, without Secrets (list and watch return their data too). */
const VIEW_RULES: readonly RuleJson[] = [
  rule(
    [""],
    [
      "configmaps",
      "endpoints",
      "events",
      "limitranges",
      "persistentvolumeclaims",
      "pods",
      "pods/log",
      "pods/status",
      "resourcequotas",
      "serviceaccounts",
      "services",
    ],
    READ,
  ),
  rule(["apps"], ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"], READ),
  rule(["batch"], ["cronjobs", "jobs"], READ),
  rule(["autoscaling"], ["horizontalpodautoscalers"], READ),
  rule(["policy"], ["poddisruptionbudgets"], READ),
  rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], READ),
  rule(["discovery.k8s.io"], ["endpointslices"], READ),
  rule(["events.k8s.io"], ["events"], READ),
];

/**
 * Day-to-day changes to what runs: configuration, Services, storage claims, scaling, rollouts
 * and restarts. No create on pods or pod controllers (RBAC-007 gives that to the pipeline).
 */
const EDIT_RULES: readonly RuleJson[] = [
  ...VIEW_RULES,
  rule([""], ["configmaps", "persistentvolumeclaims", "services"], WRITE),
  rule([""], ["pods"], ["delete"]),
  rule(["apps"], ["deployments", "statefulsets"], ["update", "patch"]),
  rule(["apps"], ["deployments/scale", "statefulsets/scale"], ["get", "update", "patch"]),
  rule(["batch"], ["cronjobs", "jobs"], ["update", "patch", "delete"]),
  rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
  rule(["policy"], ["poddisruptionbudgets"], WRITE),
  rule(["networking.k8s.io"], ["ingresses"], WRITE),
];

/**
 * The deployment pipeline: creates and updates what a HardenedWorkload emits (except its
 * NetworkPolicy: rbac-guardrail-writes keeps NetworkPolicy writes with the platform), never
 * reads Secrets or execs.
 */
const DEPLOY_RULES: readonly RuleJson[] = [
  ...VIEW_RULES,
  rule([""], ["configmaps", "persistentvolumeclaims", "serviceaccounts", "services"], WRITE),
  rule(["apps"], ["deployments", "statefulsets"], WRITE),
  rule(["apps"], ["deployments/scale", "statefulsets/scale"], ["get", "update", "patch"]),
  rule(["batch"], ["cronjobs", "jobs"], WRITE),
  rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
  rule(["policy"], ["poddisruptionbudgets"], WRITE),
  rule(["networking.k8s.io"], ["ingresses"], WRITE),
];

export const PRESET_RULES: Readonly<Record<RolePreset, readonly RuleJson[]>> = {
  view: VIEW_RULES,
  edit: EDIT_RULES,
  deploy: DEPLOY_RULES,
};

/** The exemptions built into a preset, with the reason shown in every report. */
export const PRESET_EXEMPTIONS: Readonly<Record<RolePreset, readonly ExemptionEntry[]>> = {
  view: [],
  edit: [],
  deploy: [
    {
      setting: "role deploy",
      controls: ["rbac-create-pods"],
      optOut: {
        reason:
          "the deployment pipeline's identity creates workloads by design (RBAC-007's own remedy); it cannot read Secrets or exec, and PSA restricted bounds what it runs",
      },
    },
  ],
};

export function presetRoleName(preset: RolePreset): string {
  return `palisade-${preset}`;
}

export interface SubjectJson {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  apiGroup?: string;
  namespace?: string;
}

/** Identities that must never be bound: they are everyone, nobody, or the cluster's admins. */
const FORBIDDEN_USERS = ["system:anonymous"];
const FORBIDDEN_GROUPS = ["system:unauthenticated", "system:authenticated", "system:masters"];

/** The subjects of one grant, validated. */
export function grantSubjects(grant: AccessGrant, at: string, namespace: string): SubjectJson[] {
  const out: SubjectJson[] = [];
  for (const [i, user] of stringList(grant.users ?? [], `${at}.users`).entries()) {
    const where = `${at}.users[${i}]`;
    if (FORBIDDEN_USERS.includes(user)) fail(where, `${user} is every unauthenticated request: never bind it`);
    if (user.startsWith("system:serviceaccount:"))
      fail(where, `${user} is a ServiceAccount: list it in serviceAccounts as { name, namespace }`);
    out.push({ kind: "User", apiGroup: RBAC_GROUP, name: user });
  }
  for (const [i, group] of stringList(grant.groups ?? [], `${at}.groups`).entries()) {
    const where = `${at}.groups[${i}]`;
    if (FORBIDDEN_GROUPS.includes(group))
      fail(where, `${group} is ${group === "system:masters" ? "the cluster's superusers" : "everyone"}: never bind it`);
    if (group.startsWith("system:serviceaccounts"))
      fail(
        where,
        `${group} is every ServiceAccount of ${group === "system:serviceaccounts" ? "the cluster" : "a namespace"}: name the ServiceAccounts`,
      );
    out.push({ kind: "Group", apiGroup: RBAC_GROUP, name: group });
  }
  const serviceAccounts = grant.serviceAccounts ?? [];
  if (!Array.isArray(serviceAccounts)) fail(`${at}.serviceAccounts`, "expected a list");
  serviceAccounts.forEach((sa, i) => {
    const where = `${at}.serviceAccounts[${i}]`;
    const ref =
      typeof sa === "string"
        ? { name: sa, namespace }
        : (knownKeys(sa, where, ["name", "namespace"]) as unknown as ServiceAccountRef);
    const name = dns1123Subdomain(ref.name, typeof sa === "string" ? where : `${where}.name`);
    const ns = dns1123Subdomain(ref.namespace, `${where}.namespace`);
    if (name === "default")
      fail(where, `the default ServiceAccount is every pod's that names none: bind a dedicated ServiceAccount`);
    out.push({ kind: "ServiceAccount", name, namespace: ns });
  });
  if (out.length === 0) fail(at, "grants the role to nobody: list users, groups or serviceAccounts");
  return out;
}

/** A custom role's rules, validated and copied. */
export function customRules(rules: readonly PolicyRuleArgs[], at: string): RuleJson[] {
  if (!Array.isArray(rules) || rules.length === 0) fail(at, "must list at least one rule");
  return rules.map((r, i) => {
    const where = `${at}[${i}]`;
    const v = knownKeys(r, where, ["apiGroups", "resources", "verbs", "resourceNames"]) as unknown as PolicyRuleArgs;
    // "" is the core group: the only entry allowed to be empty.
    if (!Array.isArray(v.apiGroups) || v.apiGroups.length === 0)
      fail(`${where}.apiGroups`, `must list API groups ("" for the core group)`);
    v.apiGroups.forEach((g, j) => {
      if (typeof g !== "string" || g.trim() !== g)
        fail(`${where}.apiGroups[${j}]`, `${JSON.stringify(g)} is not an API group`);
    });
    const out: RuleJson = {
      apiGroups: [...v.apiGroups],
      resources: stringList(v.resources, `${where}.resources`, { nonEmpty: true }),
      verbs: stringList(v.verbs, `${where}.verbs`, { nonEmpty: true }),
    };
    if (v.resourceNames !== undefined)
      out.resourceNames = stringList(v.resourceNames, `${where}.resourceNames`, { nonEmpty: true });
    return out;
  });
}

export function customRoleName(value: unknown, at: string): string {
  const name = dns1123Subdomain(value, at);
  if (name.startsWith("palisade-")) fail(at, `${name}: the prefix palisade- is reserved for the preset roles`);
  return name;
}

export function customExemption(value: CustomRoleExemption | undefined, at: string): ExemptionEntry | undefined {
  if (value === undefined) return undefined;
  const v = knownKeys(value, at, ["controls", "reason", "until"]);
  const controls = stringList(v["controls"], `${at}.controls`, { nonEmpty: true });
  controls.forEach((id, i) => {
    const control = catalog.find((c) => c.id === id);
    if (control === undefined) fail(`${at}.controls[${i}]`, `${id} is no control of the catalog`);
    if (control.family !== "rbac") fail(`${at}.controls[${i}]`, `${id} is not an rbac control`);
  });
  return { setting: "exempt", controls, optOut: optOut(value, at) };
}

const RBAC_CONTROLS = catalog.filter((c) => c.family === "rbac");

/**
 * Runs the catalog's rbac family (resource and stack controls) on the custom Role with its
 * binding, and throws listing the findings its exemption does not cover. An exemption that
 * covers nothing is an error too: it would sit on the Role as a stale, unexplained allowance.
 */
export function checkCustomRole(
  role: Record<string, unknown>,
  binding: Record<string, unknown>,
  at: string,
  exempted: readonly string[],
): void {
  const findings = evaluate([role, binding], { controls: RBAC_CONTROLS, level: "hardened" }).findings;
  const failing = findings.filter((f) => f.exempted === undefined);
  if (failing.length > 0)
    fail(`${at}.rules`, `the catalog's rbac controls reject this role: ${describeFindings(failing)}`);
  const used = new Set(findings.filter((f) => f.exempted !== undefined).map((f) => f.control));
  const stale = exempted.filter((id) => !used.has(id));
  if (stale.length > 0)
    fail(`${at}.exempt.controls`, `${stale.join(", ")} report nothing on this role: remove the exemption`);
}
