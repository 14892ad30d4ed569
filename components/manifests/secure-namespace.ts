/**
 * secureNamespace(args): a tenant namespace hardened by construction, as plain Kubernetes
 * objects: the Namespace with Pod Security Admission labels, a default-deny NetworkPolicy,
 * scoped DNS egress and explicit allowances, a ResourceQuota and a LimitRange, ServiceAccounts
 * without token automount (the `default` one included), and Roles bound by RoleBindings.
 *
 * The namespace's shared allowances (DNS, same-namespace traffic, explicit rules) select the
 * pods labelled `palisade.dev/tenant: <tenant>` rather than every pod: the catalog keeps the
 * empty podSelector for the pure default-deny policy (network-empty-pod-selector), so pods opt
 * in to the tenant's allowances by carrying the tenant label (HardenedWorkload's `tenant` sets it)
 * and a pod without it gets nothing: the failure mode is closed.
 */
import { NEWEST_KNOWN_MINOR } from "../../policypack/engine/psa-version";
import { exemptionAnnotations, type ExemptionEntry } from "./exemptions";
import { NAMESPACE_NAME_LABEL, RESERVED_LABELS, standardLabels, TENANT } from "./labels";
import { dnsEgressRule, egressRules, ingressRules, type DnsTarget } from "./network";
import {
  checkCustomRole,
  customExemption,
  customRoleName,
  customRules,
  grantSubjects,
  PRESET_EXEMPTIONS,
  PRESET_RULES,
  presetRoleName,
  RBAC_GROUP,
  ROLE_PRESETS,
  type AccessGrant,
  type CustomRoleExemption,
  type PolicyRuleArgs,
  type RolePreset,
  type RuleJson,
  type SubjectJson,
} from "./rbac";
import { assertPassesCatalog } from "./self-check";
import type { Disabled, EgressRule, IngressRule, Manifest, OptOut, Quantity } from "./types";
import {
  disabled,
  dns1123Label,
  dns1123Subdomain,
  fail,
  isDisabled,
  keyPath,
  knownKeys,
  labelMap,
  labelValue,
  optOut,
  quantity,
  quantityValue,
} from "./validate";

const ARGS = "SecureNamespaceArgs";

/** Pod Security Admission levels below restricted, which an opt-out must explain. */
export type LoweredPodSecurityLevel = "baseline" | "privileged";

/** Enforcing a Pod Security level below restricted, with the reason. */
export interface LoweredPodSecurity extends OptOut {
  /** The level enforced instead of restricted. */
  readonly level: LoweredPodSecurityLevel;
}

/** Pod Security Admission settings of the namespace. */
export interface PodSecurityArgs {
  /**
   * Level Pod Security Admission enforces; audit and warn stay at restricted whatever this is,
   * so what a lower level lets through is still reported.
   * @default "restricted"
   */
  readonly enforce?: "restricted" | LoweredPodSecurity;
  /**
   * Policy version pinned on enforce, audit and warn (`v1.N`), so a cluster upgrade never
   * changes what is admitted without review.
   * @default "v1.35"
   */
  readonly version?: string;
}

/** The namespace's ResourceQuota. */
export interface ResourceQuotaArgs {
  /**
   * Entries of `spec.hard`, merged over the defaults (`requests.cpu: "4"`, `requests.memory:
   * "8Gi"`, `limits.cpu: "8"`, `limits.memory: "16Gi"`, `requests.ephemeral-storage: "20Gi"`,
   * `limits.ephemeral-storage: "40Gi"`, `pods: "50"`, `services: "20"`,
   * `services.loadbalancers: "0"`, `services.nodeports: "0"`, `persistentvolumeclaims: "10"`,
   * `requests.storage: "100Gi"`, `count/secrets: "50"`, `count/configmaps: "50"`).
   * @default - the defaults above
   */
  readonly hard?: Readonly<Record<string, Quantity>>;
}

/** Container resources of one LimitRange field. */
export interface ContainerResources {
  /**
   * CPU.
   * @default - see the field
   */
  readonly cpu?: Quantity;
  /**
   * Memory.
   * @default - see the field
   */
  readonly memory?: Quantity;
  /**
   * Ephemeral storage (writable layer, logs, emptyDir).
   * @default - see the field
   */
  readonly ephemeralStorage?: Quantity;
}

/** The namespace's LimitRange (type Container). */
export interface LimitRangeArgs {
  /**
   * Limits given to containers that set none, merged over the defaults.
   * @default { cpu: "500m", memory: "512Mi", ephemeralStorage: "1Gi" }
   */
  readonly defaultLimits?: ContainerResources;
  /**
   * Requests given to containers that set none, merged over the defaults.
   * @default { cpu: "100m", memory: "128Mi", ephemeralStorage: "256Mi" }
   */
  readonly defaultRequests?: ContainerResources;
  /**
   * Largest limits a container may set, merged over the defaults.
   * @default { cpu: "2", memory: "4Gi", ephemeralStorage: "8Gi" }
   */
  readonly max?: ContainerResources;
}

/** Arguments of secureNamespace / SecureNamespace. */
export interface SecureNamespaceArgs {
  /** Name of the Namespace (a DNS-1123 label; not `default` nor a `kube-` system namespace). */
  readonly name: string;
  /**
   * Tenant the namespace belongs to: the `palisade.dev/tenant` and `app.kubernetes.io/part-of`
   * label of every object, and the pod label that opts pods in to the namespace's allowances.
   * @default - the namespace name
   */
  readonly tenant?: string;
  /**
   * Extra labels on the Namespace (Pod Security and Palisade labels are set by the component).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Pod Security Admission level and version.
   * @default - enforce, audit and warn at restricted, pinned to v1.35
   */
  readonly podSecurity?: PodSecurityArgs;
  /**
   * Egress to the cluster DNS for the tenant's pods (53/UDP and 53/TCP to the DNS pods only);
   * `false` leaves name resolution closed, an object names another DNS deployment.
   * @default - kube-system pods labelled k8s-app=kube-dns
   */
  readonly dnsEgress?: boolean | DnsTarget;
  /**
   * Let the tenant's pods talk to each other (ingress from and egress to pods of the namespace
   * carrying the tenant label).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /**
   * Ingress the tenant's pods admit, beyond the default deny.
   * @default - none
   */
  readonly ingress?: readonly IngressRule[];
  /**
   * Egress the tenant's pods may open, beyond the default deny and DNS. IP blocks covering a
   * cloud metadata address get it in `except`.
   * @default - none
   */
  readonly egress?: readonly EgressRule[];
  /**
   * Leave the cloud metadata endpoint reachable by the `egress` blocks that cover it.
   * @default - metadata addresses are excluded from every egress block
   */
  readonly allowCloudMetadata?: OptOut;
  /**
   * The ResourceQuota, or `{ disabled: true, reason }`.
   * @default - the quota described in ResourceQuotaArgs
   */
  readonly quota?: ResourceQuotaArgs | Disabled;
  /**
   * The LimitRange, or `{ disabled: true, reason }`.
   * @default - the limits described in LimitRangeArgs
   */
  readonly limitRange?: LimitRangeArgs | Disabled;
  /**
   * ServiceAccounts to declare, with token automount off (`default` is always declared so).
   * @default - only default (and those of this namespace named in `access`)
   */
  readonly serviceAccounts?: readonly string[];
  /**
   * Who may do what in the namespace: presets `view`, `edit`, `deploy`, or custom Roles,
   * bound by RoleBindings.
   * @default - no grants
   */
  readonly access?: readonly AccessGrant[];
}

export const DEFAULT_PSA_VERSION = "v1.35";
/** Pod Security Admission is GA and stable from policy v1.25 on. */
const MIN_PSA_MINOR = 25;

export const DEFAULT_QUOTA: Readonly<Record<string, string>> = {
  "requests.cpu": "4",
  "requests.memory": "8Gi",
  "limits.cpu": "8",
  "limits.memory": "16Gi",
  "requests.ephemeral-storage": "20Gi",
  "limits.ephemeral-storage": "40Gi",
  pods: "50",
  services: "20",
  "services.loadbalancers": "0",
  "services.nodeports": "0",
  persistentvolumeclaims: "10",
  "requests.storage": "100Gi",
  "count/secrets": "50",
  "count/configmaps": "50",
};

/** The priority classes only the cluster's own components may use (pod-system-priority-class). */
export const SYSTEM_PRIORITY_CLASSES: readonly string[] = ["system-cluster-critical", "system-node-critical"];

type Resources = Readonly<Record<"cpu" | "memory" | "ephemeralStorage", string>>;
export const DEFAULT_LIMIT_RANGE: Readonly<Record<"defaultLimits" | "defaultRequests" | "max", Resources>> = {
  defaultLimits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "1Gi" },
  defaultRequests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "256Mi" },
  max: { cpu: "2", memory: "4Gi", ephemeralStorage: "8Gi" },
};

/** The Namespace's names for what the NetworkPolicies and the rest are called. */
export const POLICY_NAMES = {
  defaultDeny: "default-deny",
  dns: "allow-cluster-dns",
  sameNamespace: "allow-same-namespace",
  ingress: "allow-ingress",
  egress: "allow-egress",
  quota: "tenant-quota",
  priorityQuota: "no-system-priority",
  limitRange: "container-defaults",
} as const;

const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const PSA_PREFIX = "pod-security.kubernetes.io/";
const QUOTA_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Every argument, once: `satisfies` keeps the list and the interface in step. */
const ARG_KEYS = Object.keys({
  name: true,
  tenant: true,
  labels: true,
  podSecurity: true,
  dnsEgress: true,
  allowSameNamespace: true,
  ingress: true,
  egress: true,
  allowCloudMetadata: true,
  quota: true,
  limitRange: true,
  serviceAccounts: true,
  access: true,
} satisfies Record<keyof SecureNamespaceArgs, true>);

function podSecurityLabels(
  value: PodSecurityArgs | undefined,
  at: string,
): { labels: Record<string, string>; exemption?: ExemptionEntry } {
  const v = knownKeys(value ?? {}, at, ["enforce", "version"]) as PodSecurityArgs;
  const version = v.version ?? DEFAULT_PSA_VERSION;
  const m = typeof version === "string" ? /^v1\.(0|[1-9][0-9]*)$/.exec(version) : null;
  if (m === null)
    fail(
      `${at}.version`,
      `${JSON.stringify(version)} is not a pinned policy version v1.N ("latest" changes with each upgrade)`,
    );
  const minor = Number(m[1]);
  if (minor < MIN_PSA_MINOR || minor > NEWEST_KNOWN_MINOR)
    fail(
      `${at}.version`,
      `${version} is outside the versions Palisade knows (v1.${MIN_PSA_MINOR}-v1.${NEWEST_KNOWN_MINOR})`,
    );
  let enforce = "restricted";
  let exemption: ExemptionEntry | undefined;
  if (v.enforce !== undefined && v.enforce !== "restricted") {
    const where = `${at}.enforce`;
    const lowered = knownKeys(v.enforce, where, ["level", "reason", "until"]) as unknown as LoweredPodSecurity;
    if (lowered.level !== "baseline" && lowered.level !== "privileged")
      fail(
        `${where}.level`,
        `${JSON.stringify(lowered.level)} is not a level below restricted (baseline or privileged)`,
      );
    enforce = lowered.level;
    exemption = {
      setting: "podSecurity.enforce",
      controls:
        lowered.level === "privileged"
          ? ["namespace-psa-labels", "namespace-privileged-allowlist"]
          : ["namespace-psa-labels"],
      optOut: optOut(lowered, where),
    };
  }
  const labels: Record<string, string> = {};
  for (const [mode, level] of [
    ["enforce", enforce],
    ["audit", "restricted"],
    ["warn", "restricted"],
  ] as const) {
    labels[`${PSA_PREFIX}${mode}`] = level;
    labels[`${PSA_PREFIX}${mode}-version`] = version;
  }
  return exemption !== undefined ? { labels, exemption } : { labels };
}

function quotaHard(value: ResourceQuotaArgs, at: string): Record<string, string> {
  const v = knownKeys(value, at, ["hard"]) as ResourceQuotaArgs;
  const hard: Record<string, string> = { ...DEFAULT_QUOTA };
  const given = v.hard === undefined ? {} : knownKeys(v.hard, `${at}.hard`, Object.keys(v.hard));
  for (const [key, q] of Object.entries(given)) {
    const where = keyPath(`${at}.hard`, key);
    if (!QUOTA_KEY.test(key) || key.length > 253) fail(where, `${JSON.stringify(key)} is not a resource name`);
    hard[key] = quantity(q, where).text;
  }
  // The API server warns, and the quota can never be filled, when a request bound exceeds its limit bound.
  for (const resource of ["cpu", "memory", "ephemeral-storage"]) {
    const limit = hard[`limits.${resource}`];
    if (limit === undefined) continue;
    // `cpu` and `memory` alone are aliases of the requests.
    for (const key of [`requests.${resource}`, resource]) {
      const request = hard[key];
      if (request !== undefined && quantityValue(request) > quantityValue(limit))
        fail(keyPath(`${at}.hard`, key), `${request} exceeds limits.${resource} (${limit})`);
    }
  }
  return hard;
}

function resourceList(
  value: ContainerResources | undefined,
  defaults: Resources,
  at: string,
): Record<string, { text: string; value: number }> {
  const v = knownKeys(value ?? {}, at, ["cpu", "memory", "ephemeralStorage"]) as ContainerResources;
  return {
    cpu: quantity(v.cpu ?? defaults.cpu, `${at}.cpu`),
    memory: quantity(v.memory ?? defaults.memory, `${at}.memory`),
    "ephemeral-storage": quantity(v.ephemeralStorage ?? defaults.ephemeralStorage, `${at}.ephemeralStorage`),
  };
}

const RESOURCE_ARG: Readonly<Record<string, string>> = {
  cpu: "cpu",
  memory: "memory",
  "ephemeral-storage": "ephemeralStorage",
};

function limitRangeItem(value: LimitRangeArgs, at: string): Record<string, unknown> {
  const v = knownKeys(value, at, ["defaultLimits", "defaultRequests", "max"]) as LimitRangeArgs;
  const limits = resourceList(v.defaultLimits, DEFAULT_LIMIT_RANGE.defaultLimits, `${at}.defaultLimits`);
  const requests = resourceList(v.defaultRequests, DEFAULT_LIMIT_RANGE.defaultRequests, `${at}.defaultRequests`);
  const max = resourceList(v.max, DEFAULT_LIMIT_RANGE.max, `${at}.max`);
  // The API server rejects a LimitRange whose default request exceeds the default limit, or whose defaults exceed max.
  for (const r of Object.keys(limits)) {
    const arg = RESOURCE_ARG[r] as string;
    const lim = limits[r] as { text: string; value: number };
    const req = requests[r] as { text: string; value: number };
    const mx = max[r] as { text: string; value: number };
    if (req.value > lim.value)
      fail(`${at}.defaultRequests.${arg}`, `${req.text} exceeds the default limit ${lim.text}`);
    if (lim.value > mx.value) fail(`${at}.defaultLimits.${arg}`, `${lim.text} exceeds max ${mx.text}`);
  }
  const texts = (list: Record<string, { text: string }>): Record<string, string> =>
    Object.fromEntries(Object.entries(list).map(([k, q]) => [k, q.text]));
  return { type: "Container", default: texts(limits), defaultRequest: texts(requests), max: texts(max) };
}

interface RoleSpec {
  readonly name: string;
  readonly rules: RuleJson[];
  readonly exemptions: readonly ExemptionEntry[];
  readonly component: string;
  readonly subjects: SubjectJson[];
  /** Where the role was first given, for messages. */
  readonly at: string;
  readonly custom: boolean;
}

/**
 * Builds the objects of a secure namespace. Throws an ArgumentError naming the argument when an
 * argument is invalid, and when the output would fail the Palisade catalog.
 */
export function secureNamespace(args: SecureNamespaceArgs): Manifest[] {
  const a = knownKeys(args, ARGS, ARG_KEYS) as unknown as SecureNamespaceArgs;
  const name = dns1123Label(a.name, `${ARGS}.name`);
  if (RESERVED_NAMESPACES.includes(name) || name.startsWith("kube-"))
    fail(
      `${ARGS}.name`,
      `${name} is a system namespace: tenants get their own (namespace-not-system, namespace-not-default)`,
    );
  const tenant = labelValue(a.tenant ?? name, `${ARGS}.tenant`);
  if (tenant === "") fail(`${ARGS}.tenant`, "must not be empty");
  const tenantSelector = { matchLabels: { [TENANT]: tenant } };

  const labels = (component: string): Record<string, string> =>
    standardLabels({ name: "secure-namespace", instance: name, partOf: tenant, component, tenant });
  const meta = (objectName: string, component: string, annotations?: Record<string, string>): Manifest["metadata"] => {
    const m: Manifest["metadata"] = { name: objectName, namespace: name, labels: labels(component) };
    if (annotations !== undefined && Object.keys(annotations).length > 0) m.annotations = annotations;
    return m;
  };

  // The Namespace: PSA labels, standard labels, user labels (which may not override either).
  const psa = podSecurityLabels(a.podSecurity, `${ARGS}.podSecurity`);
  const userLabels = a.labels === undefined ? {} : labelMap(a.labels, `${ARGS}.labels`);
  for (const key of Object.keys(userLabels)) {
    if (key.startsWith(PSA_PREFIX) || RESERVED_LABELS.includes(key) || key === NAMESPACE_NAME_LABEL)
      fail(keyPath(`${ARGS}.labels`, key), `${key} is set by the component (use podSecurity for Pod Security levels)`);
  }
  const namespaceExemptions: ExemptionEntry[] = [];
  if (psa.exemption !== undefined) namespaceExemptions.push(psa.exemption);

  // NetworkPolicies: default deny, then the allowances for the tenant's pods.
  const policies: Manifest[] = [];
  const policy = (policyName: string, spec: Record<string, unknown>, annotations?: Record<string, string>): void => {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(policyName, "network-policy", annotations),
      spec,
    });
  };
  policy(POLICY_NAMES.defaultDeny, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  const dns = a.dnsEgress ?? true;
  if (dns !== false) {
    if (dns !== true && (typeof dns !== "object" || dns === null))
      fail(`${ARGS}.dnsEgress`, `expected true, false or { namespace, podLabels }, found ${JSON.stringify(dns)}`);
    policy(POLICY_NAMES.dns, {
      podSelector: tenantSelector,
      policyTypes: ["Egress"],
      egress: [dnsEgressRule(dns === true ? undefined : dns, `${ARGS}.dnsEgress`)],
    });
  }
  if (a.allowSameNamespace !== undefined && typeof a.allowSameNamespace !== "boolean")
    fail(`${ARGS}.allowSameNamespace`, `expected a boolean, found ${JSON.stringify(a.allowSameNamespace)}`);
  if (a.allowSameNamespace === true) {
    policy(POLICY_NAMES.sameNamespace, {
      podSelector: tenantSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: tenantSelector }] }],
      egress: [{ to: [{ podSelector: tenantSelector }] }],
    });
  }
  const metadataOptOut =
    a.allowCloudMetadata === undefined ? undefined : optOut(a.allowCloudMetadata, `${ARGS}.allowCloudMetadata`);
  const ctx = { namespace: name, allowCloudMetadata: metadataOptOut !== undefined };
  const ingress = ingressRules(a.ingress, `${ARGS}.ingress`, ctx);
  if (ingress.rules.length > 0)
    policy(POLICY_NAMES.ingress, { podSelector: tenantSelector, policyTypes: ["Ingress"], ingress: ingress.rules });
  const egress = egressRules(a.egress, `${ARGS}.egress`, ctx);
  if (metadataOptOut !== undefined && !egress.reachesMetadata)
    fail(`${ARGS}.allowCloudMetadata`, "no egress block covers a cloud metadata address: remove the opt-out");
  if (egress.rules.length > 0) {
    const annotations =
      metadataOptOut !== undefined
        ? exemptionAnnotations([
            { setting: "allowCloudMetadata", controls: ["network-metadata-egress"], optOut: metadataOptOut },
          ])
        : undefined;
    policy(
      POLICY_NAMES.egress,
      { podSelector: tenantSelector, policyTypes: ["Egress"], egress: egress.rules },
      annotations,
    );
  }

  // Quota and limits.
  const guards: Manifest[] = [];
  if (isDisabled(a.quota)) {
    namespaceExemptions.push({
      setting: "quota",
      controls: ["namespace-resource-quota"],
      optOut: disabled(a.quota, `${ARGS}.quota`),
    });
  } else {
    guards.push({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta(POLICY_NAMES.quota, "resource-quota"),
      spec: { hard: quotaHard(a.quota ?? {}, `${ARGS}.quota`) },
    });
  }
  // The system priority classes preempt everything on a node: tenants get a zero quota for them.
  guards.push({
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: meta(POLICY_NAMES.priorityQuota, "resource-quota"),
    spec: {
      hard: { pods: "0" },
      scopeSelector: {
        matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: [...SYSTEM_PRIORITY_CLASSES] }],
      },
    },
  });
  if (isDisabled(a.limitRange)) {
    namespaceExemptions.push({
      setting: "limitRange",
      controls: ["namespace-limit-range"],
      optOut: disabled(a.limitRange, `${ARGS}.limitRange`),
    });
  } else {
    guards.push({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta(POLICY_NAMES.limitRange, "limit-range"),
      spec: { limits: [limitRangeItem(a.limitRange ?? {}, `${ARGS}.limitRange`)] },
    });
  }

  // Access: one Role and one RoleBinding per role, subjects merged in grant order.
  const roles = new Map<string, RoleSpec>();
  const grants = a.access ?? [];
  if (!Array.isArray(grants)) fail(`${ARGS}.access`, "expected a list of grants");
  const localAccounts: string[] = [];
  grants.forEach((g, i) => {
    const at = `${ARGS}.access[${i}]`;
    const grant = knownKeys(g, at, ["role", "users", "groups", "serviceAccounts"]) as unknown as AccessGrant;
    const subjects = grantSubjects(grant, at, name);
    for (const s of subjects)
      if (s.kind === "ServiceAccount" && s.namespace === name && !localAccounts.includes(s.name))
        localAccounts.push(s.name);
    let spec: RoleSpec;
    if (typeof grant.role === "string") {
      if (!ROLE_PRESETS.includes(grant.role as RolePreset))
        fail(
          `${at}.role`,
          `${JSON.stringify(grant.role)} is not a preset (${ROLE_PRESETS.join(", ")}) nor a custom role { name, rules }`,
        );
      const preset = grant.role as RolePreset;
      spec = {
        name: presetRoleName(preset),
        rules: PRESET_RULES[preset].map((r) => ({
          ...r,
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...r.verbs],
        })),
        exemptions: PRESET_EXEMPTIONS[preset],
        component: `rbac-${preset}`,
        subjects: [],
        at,
        custom: false,
      };
    } else {
      const role = knownKeys(grant.role, `${at}.role`, ["name", "rules", "exempt"]);
      const exemption = customExemption(role["exempt"] as CustomRoleExemption | undefined, `${at}.role.exempt`);
      spec = {
        name: customRoleName(role["name"], `${at}.role.name`),
        rules: customRules(role["rules"] as readonly PolicyRuleArgs[], `${at}.role.rules`),
        exemptions: exemption !== undefined ? [exemption] : [],
        component: "rbac-custom",
        subjects: [],
        at,
        custom: true,
      };
    }
    const existing = roles.get(spec.name);
    if (existing === undefined) roles.set(spec.name, spec);
    else if (
      JSON.stringify(existing.rules) !== JSON.stringify(spec.rules) ||
      JSON.stringify(existing.exemptions) !== JSON.stringify(spec.exemptions)
    )
      fail(`${at}.role`, `role ${spec.name} is defined differently in ${existing.at}`);
    const target = roles.get(spec.name) as RoleSpec;
    for (const s of subjects)
      if (!target.subjects.some((t) => t.kind === s.kind && t.name === s.name && t.namespace === s.namespace))
        target.subjects.push(s);
  });
  const rbac: Manifest[] = [];
  for (const spec of roles.values()) {
    const role: Manifest = {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "Role",
      metadata: meta(spec.name, spec.component, exemptionAnnotations(spec.exemptions)),
      rules: spec.rules,
    };
    const binding: Manifest = {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "RoleBinding",
      metadata: meta(spec.name, spec.component),
      roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: spec.name },
      subjects: spec.subjects,
    };
    if (spec.custom)
      checkCustomRole(
        role,
        binding,
        `${spec.at}.role`,
        spec.exemptions.flatMap((e) => e.controls),
      );
    rbac.push(role, binding);
  }

  // ServiceAccounts: default (CIS 5.1.5) and the declared ones, all without token automount.
  const declared = a.serviceAccounts ?? [];
  if (!Array.isArray(declared)) fail(`${ARGS}.serviceAccounts`, "expected a list of names");
  const accountNames: string[] = ["default"];
  declared.forEach((sa, i) => {
    const where = `${ARGS}.serviceAccounts[${i}]`;
    const n = dns1123Subdomain(sa, where);
    if (accountNames.includes(n))
      fail(where, `${n} is listed twice${n === "default" ? " (default is always declared)" : ""}`);
    accountNames.push(n);
  });
  for (const n of localAccounts) if (!accountNames.includes(n)) accountNames.push(n);
  const accounts: Manifest[] = accountNames.map((n) => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(n, "service-account"),
    automountServiceAccountToken: false,
  }));

  const namespace: Manifest = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: { ...userLabels, ...labels("namespace"), ...psa.labels },
      ...(namespaceExemptions.length > 0 ? { annotations: exemptionAnnotations(namespaceExemptions) } : {}),
    },
  };
  const out = [namespace, ...policies, ...guards, ...accounts, ...rbac];
  assertPassesCatalog(out, ARGS, "all");
  return out;
}
