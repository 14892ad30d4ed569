/**
 * The catalog as ValidatingAdmissionPolicies: each control's CEL (written beside its TypeScript
 * check) wrapped into a policy, a binding and, for configurable controls, a parameters object,
 * so the cluster denies at admission what `palisade check` flags at build time.
 */
import { celString } from "./cel";
import type { CelPolicy, CelVariable, Control, ResourceControl } from "./control";
import { controlConfig, REQUESTER, type PalisadeConfig } from "./config";
import { effectiveEnforcement, type Enforcement } from "../enforcement";
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION, today } from "./exemptions";
import { levelIncludes } from "./levels";
import { POD_KINDS } from "./pod";
import { LATEST, parsePolicyVersion } from "./psa-version";
import type { KubeObject, Level } from "./types";

export { celString };

export const PARAMS_GROUP = "palisade.dev";
export const PARAMS_VERSION = "v1alpha1";
export const PARAMS_KIND = "ControlParameters";
export const PARAMS_PLURAL = "controlparameters";
export const PARAMS_CRD_NAME = `${PARAMS_PLURAL}.${PARAMS_GROUP}`;
/** Label on every exported object: `kubectl apply -l palisade.dev/part=crd` installs the CRD first. */
export const PART_LABEL = "palisade.dev/part";
export const CONTROL_LABEL = "palisade.dev/control";
export const POLICY_PREFIX = "palisade-";

/** Served group and plural of each kind a resource control inspects (deprecated groups are not served). */
const RESOURCES: Readonly<
  Record<string, { readonly group: string; readonly plural: string; readonly alsoGroups?: readonly string[] }>
> = {
  Pod: { group: "", plural: "pods" },
  PodTemplate: { group: "", plural: "podtemplates" },
  ReplicationController: { group: "", plural: "replicationcontrollers" },
  Service: { group: "", plural: "services" },
  ServiceAccount: { group: "", plural: "serviceaccounts" },
  Secret: { group: "", plural: "secrets" },
  Namespace: { group: "", plural: "namespaces" },
  Deployment: { group: "apps", plural: "deployments" },
  ReplicaSet: { group: "apps", plural: "replicasets" },
  StatefulSet: { group: "apps", plural: "statefulsets" },
  DaemonSet: { group: "apps", plural: "daemonsets" },
  Job: { group: "batch", plural: "jobs" },
  CronJob: { group: "batch", plural: "cronjobs" },
  NetworkPolicy: { group: "networking.k8s.io", plural: "networkpolicies" },
  Ingress: { group: "networking.k8s.io", plural: "ingresses" },
  Role: { group: "rbac.authorization.k8s.io", plural: "roles" },
  ClusterRole: { group: "rbac.authorization.k8s.io", plural: "clusterroles" },
  RoleBinding: { group: "rbac.authorization.k8s.io", plural: "rolebindings" },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", plural: "clusterrolebindings" },
  ConfigMap: { group: "", plural: "configmaps" },
  PersistentVolumeClaim: { group: "", plural: "persistentvolumeclaims" },
  PersistentVolume: { group: "", plural: "persistentvolumes" },
  LimitRange: { group: "", plural: "limitranges" },
  ResourceQuota: { group: "", plural: "resourcequotas" },
  IngressClass: { group: "networking.k8s.io", plural: "ingressclasses" },
  PodDisruptionBudget: { group: "policy", plural: "poddisruptionbudgets" },
  PriorityClass: { group: "scheduling.k8s.io", plural: "priorityclasses" },
  HorizontalPodAutoscaler: { group: "autoscaling", plural: "horizontalpodautoscalers" },
  StorageClass: { group: "storage.k8s.io", plural: "storageclasses" },
  CSIDriver: { group: "storage.k8s.io", plural: "csidrivers" },
  RuntimeClass: { group: "node.k8s.io", plural: "runtimeclasses" },
  ValidatingWebhookConfiguration: { group: "admissionregistration.k8s.io", plural: "validatingwebhookconfigurations" },
  MutatingWebhookConfiguration: { group: "admissionregistration.k8s.io", plural: "mutatingwebhookconfigurations" },
  ValidatingAdmissionPolicy: { group: "admissionregistration.k8s.io", plural: "validatingadmissionpolicies" },
  ValidatingAdmissionPolicyBinding: {
    group: "admissionregistration.k8s.io",
    plural: "validatingadmissionpolicybindings",
  },
  MutatingAdmissionPolicy: { group: "admissionregistration.k8s.io", plural: "mutatingadmissionpolicies" },
  MutatingAdmissionPolicyBinding: { group: "admissionregistration.k8s.io", plural: "mutatingadmissionpolicybindings" },
  CustomResourceDefinition: { group: "apiextensions.k8s.io", plural: "customresourcedefinitions" },
  APIService: { group: "apiregistration.k8s.io", plural: "apiservices" },
  Endpoints: { group: "", plural: "endpoints" },
  Event: { group: "", plural: "events", alsoGroups: ["events.k8s.io"] },
  ControllerRevision: { group: "apps", plural: "controllerrevisions" },
  EndpointSlice: { group: "discovery.k8s.io", plural: "endpointslices" },
  CSIStorageCapacity: { group: "storage.k8s.io", plural: "csistoragecapacities" },
  Lease: { group: "coordination.k8s.io", plural: "leases" },
};

/** The served group and plural of a kind, for callers that address objects by resource. */
export function resourceOf(kind: string): { readonly group: string; readonly plural: string } | undefined {
  return RESOURCES[kind];
}

/**
 * What pod controls read, whatever kind carries the pod: the template, its metadata and spec,
 * and the containers by type (init, regular, ephemeral, in PSA's order).
 */
export const POD_VARIABLES: readonly CelVariable[] = [
  {
    name: "template",
    expression:
      "object.kind == 'Pod' ? object : (object.kind == 'PodTemplate' ? (has(object.template) ? object.template : {}) : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template))",
  },
  { name: "podMeta", expression: "has(variables.template.metadata) ? variables.template.metadata : {}" },
  { name: "podSpec", expression: "has(variables.template.spec) ? variables.template.spec : {}" },
  {
    name: "initContainers",
    expression: "has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []",
  },
  { name: "regularContainers", expression: "has(variables.podSpec.containers) ? variables.podSpec.containers : []" },
  {
    name: "ephemeralContainers",
    expression: "has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : []",
  },
  {
    name: "containers",
    expression: "variables.initContainers + variables.regularContainers + variables.ephemeralContainers",
  },
];

export type ValidationAction = "Deny" | "Warn" | "Audit";

export interface VapExportOptions {
  readonly controls: readonly Control[];
  /** Controls above this level are not exported. @default config.level, else "hardened" */
  readonly level?: Level;
  readonly config?: PalisadeConfig;
  /**
   * One action for every binding, overriding each control's enforcement.
   * @default by enforcement: mandatory → Deny and Audit, advisory → Warn and Audit
   */
  readonly action?: ValidationAction;
  /**
   * Requesters (`user:NAME`, `group:NAME`) whose exemption annotations the policies honour.
   * @default config.admission.annotationExemptionsFrom, else none
   */
  readonly annotationExemptionsFrom?: readonly string[];
  /** The clock that decides which dated config exemptions have lapsed. @default new Date() */
  readonly now?: Date;
}

export interface NotExported {
  readonly id: string;
  readonly reason: string;
}

export interface VapExport {
  /** In install order: the parameters CRD, the policies, their parameters, the bindings. */
  readonly objects: KubeObject[];
  readonly exported: readonly string[];
  readonly notExported: readonly NotExported[];
  /** Each exported control's enforcement, which decided its binding's actions. */
  readonly enforcement: Readonly<Record<string, Exclude<Enforcement, "disabled">>>;
  /** What the person exporting must know: lapsed exemptions left out, dated ones to re-export before. */
  readonly warnings: readonly string[];
}

export class VapExportError extends Error {}

function isCelPolicy(cel: ResourceControl["cel"]): cel is CelPolicy {
  return cel !== undefined && "validations" in cel;
}

const STACK_REASON = "needs other objects of the set (a stack control); CEL sees one object";

/** Whether a control has an admission-time form, and if not, why (for docs and the export's report). */
export function celSupport(
  control: Control,
): { readonly cel: true } | { readonly cel: false; readonly reason: string } {
  if (control.scope === "stack") return { cel: false, reason: STACK_REASON };
  if (isCelPolicy(control.cel)) return { cel: true };
  return { cel: false, reason: control.cel?.unsupported ?? "no CEL form written yet" };
}

/** Go RE2 syntax for a Palisade glob (`*`, `?`), anchored. */
function globToRegex(pattern: string): string {
  let re = "^";
  for (const ch of pattern) re += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return `${re}$`;
}

function celList(values: readonly string[]): string {
  return `[${values.map(celString).join(", ")}]`;
}

/** The variable holding why a request is exempted from the control ('' when it is not). */
export const EXEMPTION_VARIABLE = "palisadeExemption";
/** Whether the object fails the control's validations (evaluated only when an exemption applies). */
export const VIOLATED_VARIABLE = "palisadeViolated";
/** Audit annotation key: the API server writes it as `<policy name>/exempted` in the audit log. */
export const EXEMPTED_AUDIT_KEY = "exempted";

/** The requesters allowed to exempt by annotation, as a CEL condition on `request.userInfo`. */
function requesterCondition(requesters: readonly string[]): string {
  const users: string[] = [];
  const groups: string[] = [];
  for (const r of requesters) {
    const m = REQUESTER.exec(r.trim());
    if (m === null)
      throw new VapExportError(`annotation exemptions from ${JSON.stringify(r)}: expected user:NAME or group:NAME`);
    (m[1] === "user" ? users : groups).push(m[2] ?? "");
  }
  const parts: string[] = [];
  if (users.length > 0) parts.push(`request.userInfo.username in ${celList(users)}`);
  if (groups.length > 0)
    parts.push(`(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celList(groups)}))`);
  return parts.length === 1 ? (parts[0] ?? "false") : `(${parts.join(" || ")})`;
}

/**
 * The annotation exemption, honoured only for the trusted requesters: the object lists the control
 * with a reason. CEL has no clock, so an annotation with an end date is not honoured at admission:
 * the object is judged (failing closed beats an exemption that never lapses).
 */
function annotationClause(id: string, requesters: readonly string[]): [string, string] {
  const a = "object.metadata.annotations";
  const reason = `${a}[${celString(EXEMPT_REASON_ANNOTATION)}]`;
  return [
    `${requesterCondition(requesters)} && has(object.metadata.annotations) && ${celString(EXEMPT_ANNOTATION)} in ${a} && ` +
      `${celString(EXEMPT_REASON_ANNOTATION)} in ${a} && ${reason}.trim() != '' && ` +
      `!(${celString(EXEMPT_UNTIL_ANNOTATION)} in ${a}) && ` +
      `${a}[${celString(EXEMPT_ANNOTATION)}].split(',').exists(x, x.trim() == ${celString(id)})`,
    `'annotation, requested by ' + request.userInfo.username + ': ' + ${reason}.trim()`,
  ];
}

/** The config's exemptions of this control that have not lapsed, as (condition, reason) clauses. */
function configClauses(control: ResourceControl, config: PalisadeConfig, day: string): [string, string][] {
  const out: [string, string][] = [];
  (config.exemptions ?? []).forEach((e, i) => {
    if (!e.controls.includes("*") && !e.controls.includes(control.id)) return;
    if (e.until !== undefined && e.until < day) return;
    const parts: string[] = [];
    if (e.namespaces !== undefined)
      parts.push(
        `(request.namespace != '' && [${e.namespaces.map((p) => celString(globToRegex(p))).join(", ")}].exists(p, request.namespace.matches(p)))`,
      );
    if (e.names !== undefined)
      parts.push(
        `(has(object.metadata.name) && [${e.names.map((p) => celString(globToRegex(p))).join(", ")}].exists(p, object.metadata.name.matches(p)))`,
      );
    if (e.kinds !== undefined) parts.push(`request.kind.kind in ${celList(e.kinds)}`);
    const until = e.until === undefined ? "" : ` (until ${e.until})`;
    out.push([
      parts.length === 0 ? "true" : parts.join(" && "),
      celString(`config exemptions[${i}]${until}: ${e.reason}`),
    ]);
  });
  return out;
}

/** `c1 ? r1 : (c2 ? r2 : '')`: the first exemption that applies, or '' for none. */
function exemptionExpression(clauses: readonly [string, string][]): string {
  return clauses.reduceRight<string>((rest, [cond, reason]) => `(${cond}) ? ${reason} : (${rest})`, "''");
}

/**
 * The identities that write the cluster's own objects, and only those, are not judged: the API
 * server (the `kubernetes` Service, bootstrap RBAC, priority classes), the controller manager and
 * the scheduler under their own user names, and the controller manager's per-controller service
 * accounts when it runs with --use-service-account-credentials (they create Pods from workload
 * templates that were judged when the workload was written, the `default` ServiceAccount and
 * kube-root-ca.crt in every namespace, aggregated ClusterRoles, Leases, Events, finalizers).
 * A kubelet is trusted for its own objects only: a Pod it creates must be the mirror pod of a
 * static pod bound to that node. Every other identity, including any other service account in
 * kube-system (operators that charts install there), is judged like everyone else.
 *
 * The controllers are the service accounts that Kubernetes 1.35's bootstrap RBAC policy binds
 * in kube-system as `system:controller:*` (plugin/pkg/auth/authorizer/rbac/bootstrappolicy; the
 * feature-gated ones included); a cluster test compares the list with the server's own bindings.
 */
export const CONTROLLER_SERVICE_ACCOUNTS: readonly string[] = [
  "attachdetach-controller",
  "bootstrap-signer",
  "certificate-controller",
  "cloud-provider",
  "clusterrole-aggregation-controller",
  "cronjob-controller",
  "daemon-set-controller",
  "deployment-controller",
  "device-taint-eviction-controller",
  "disruption-controller",
  "endpoint-controller",
  "endpointslice-controller",
  "endpointslicemirroring-controller",
  "ephemeral-volume-controller",
  "expand-controller",
  "generic-garbage-collector",
  "horizontal-pod-autoscaler",
  "job-controller",
  "kube-apiserver-serving-clustertrustbundle-publisher",
  "legacy-service-account-token-cleaner",
  "namespace-controller",
  "node-controller",
  "persistent-volume-binder",
  "pod-garbage-collector",
  "podcertificaterequestcleaner",
  "pv-protection-controller",
  "pvc-protection-controller",
  "replicaset-controller",
  "replication-controller",
  "resource-claim-controller",
  "resourcequota-controller",
  "root-ca-cert-publisher",
  "route-controller",
  "selinux-warning-controller",
  "service-account-controller",
  "service-cidrs-controller",
  "service-controller",
  "statefulset-controller",
  "storage-version-garbage-collector",
  "storage-version-migrator-controller",
  "token-cleaner",
  "ttl-after-finished-controller",
  "ttl-controller",
  "validatingadmissionpolicy-status-controller",
  "volumeattributesclass-protection-controller",
];

export const CONTROL_PLANE_USERS: readonly string[] = [
  "system:apiserver",
  "system:kube-controller-manager",
  "system:kube-scheduler",
];

export const CONTROL_PLANE_CONDITION = {
  name: "palisade-not-control-plane",
  expression:
    `!(request.userInfo.username in ${celList(CONTROL_PLANE_USERS)} || ` +
    `request.userInfo.username in ${celList(CONTROLLER_SERVICE_ACCOUNTS.map((n) => `system:serviceaccount:kube-system:${n}`))} || ` +
    `(request.userInfo.username.startsWith('system:node:') && has(request.userInfo.groups) && 'system:nodes' in request.userInfo.groups && ` +
    `(request.kind.kind != 'Pod' || (has(object.spec.nodeName) && 'system:node:' + object.spec.nodeName == request.userInfo.username))))`,
};

const OWN_KINDS = ["CustomResourceDefinition", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

/**
 * A policy that can match the export's own objects leaves them alone: otherwise re-applying the
 * export (its CRD, say) could be denied by one of its policies whose parameters are not yet there.
 */
function ownObjectsCondition(kinds: readonly string[]): { name: string; expression: string }[] {
  if (!kinds.some((k) => OWN_KINDS.includes(k))) return [];
  return [
    {
      name: "palisade-own-objects",
      expression:
        `!((request.kind.kind == 'CustomResourceDefinition' && object.metadata.name == ${celString(PARAMS_CRD_NAME)}) || ` +
        `(request.kind.kind in ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] && object.metadata.name.startsWith(${celString(POLICY_PREFIX)})))`,
    },
  ];
}

function resourceRules(kinds: readonly string[]): Record<string, unknown>[] {
  const byGroup = new Map<string, string[]>();
  for (const kind of kinds) {
    const r = RESOURCES[kind];
    if (r === undefined) throw new VapExportError(`no served resource is known for kind ${kind}`);
    for (const group of [r.group, ...(r.alsoGroups ?? [])]) {
      const list = byGroup.get(group) ?? [];
      list.push(r.plural);
      if (kind === "Pod") list.push("pods/ephemeralcontainers");
      byGroup.set(group, list);
    }
  }
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    apiVersions: ["*"],
    operations: ["CREATE", "UPDATE"],
    resources,
  }));
}

/** The recommended labels too, so the exported objects pass `recommended-labels` themselves. */
const managedLabels = (part: string, id?: string): Record<string, string> => ({
  "app.kubernetes.io/name": "palisade",
  "app.kubernetes.io/instance": "palisade-admission",
  "app.kubernetes.io/part-of": "palisade",
  "app.kubernetes.io/managed-by": "palisade",
  [PART_LABEL]: part,
  ...(id === undefined ? {} : { [CONTROL_LABEL]: id }),
});

/** The cluster-scoped kind of the parameters objects (`params.spec` in the policies). */
export function paramsCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: PARAMS_CRD_NAME, labels: managedLabels("crd") },
    spec: {
      group: PARAMS_GROUP,
      scope: "Cluster",
      names: {
        plural: PARAMS_PLURAL,
        singular: "controlparameters",
        kind: PARAMS_KIND,
        listKind: `${PARAMS_KIND}List`,
      },
      versions: [
        {
          name: PARAMS_VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              description:
                "The settings of one Palisade control, read by its ValidatingAdmissionPolicy as params.spec.",
              properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
          },
        },
      ],
    },
  };
}

function touchesPods(kinds: readonly string[]): boolean {
  return kinds.some((k) => POD_KINDS.includes(k));
}

export interface PolicyOptions {
  /** Requesters whose exemption annotations are honoured. @default none */
  readonly annotationExemptionsFrom?: readonly string[];
  /** The day (YYYY-MM-DD) from which dated config exemptions have lapsed. @default today */
  readonly today?: string;
}

/**
 * The policy of one control. Exemptions do not skip the policy (a skipped policy leaves no trace):
 * they make its validations pass, and an audit annotation records each request that an exemption
 * let through, with the exemption's reason.
 */
export function controlPolicy(
  control: ResourceControl,
  config: PalisadeConfig = {},
  options: PolicyOptions = {},
): KubeObject {
  if (!isCelPolicy(control.cel)) throw new VapExportError(`${control.id} has no CEL form`);
  const cel = control.cel;
  const configurable = Object.keys(control.config ?? {}).length > 0;
  const requesters = options.annotationExemptionsFrom ?? [];
  const clauses = [
    ...configClauses(control, config, options.today ?? today(new Date())),
    ...(requesters.length > 0 ? [annotationClause(control.id, requesters)] : []),
  ];
  const exempt = clauses.length > 0;
  const allPass = cel.validations.map((v) => `(${v.expression})`).join(" && ");
  const variables = [
    ...(touchesPods(control.kinds) ? POD_VARIABLES : []),
    ...(cel.variables ?? []),
    ...(exempt
      ? [
          { name: EXEMPTION_VARIABLE, expression: exemptionExpression(clauses) },
          // A variable, not inline in the audit annotation: its valueExpression may hold 5 KiB at
          // most, and some controls' validations are longer than that.
          { name: VIOLATED_VARIABLE, expression: `!(${allPass})` },
        ]
      : []),
  ];
  const exemption = `variables.${EXEMPTION_VARIABLE}`;
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: {
      name: `${POLICY_PREFIX}${control.id}`,
      labels: { ...managedLabels("policy", control.id), "palisade.dev/level": control.level },
      annotations: {
        "palisade.dev/title": control.title,
        "palisade.dev/severity": control.severity,
        "palisade.dev/catalog": control.references.catalog,
        "palisade.dev/remediation": control.remediation,
      },
    },
    spec: {
      failurePolicy: "Fail",
      ...(configurable ? { paramKind: { apiVersion: `${PARAMS_GROUP}/${PARAMS_VERSION}`, kind: PARAMS_KIND } } : {}),
      matchConstraints: { resourceRules: resourceRules(control.kinds) },
      matchConditions: [CONTROL_PLANE_CONDITION, ...ownObjectsCondition(control.kinds)],
      ...(variables.length > 0 ? { variables: variables.map((v) => ({ ...v })) } : {}),
      validations: cel.validations.map((v) => ({
        expression: exempt ? `${exemption} != '' || (${v.expression})` : v.expression,
        // The policy's name already says which control: the message stays short, since the API
        // server keeps only 4 KiB of warnings per response.
        message: v.message ?? control.title,
        reason: "Forbidden",
      })),
      // An empty value writes no annotation: only requests an exemption let through are recorded.
      ...(exempt
        ? {
            auditAnnotations: [
              {
                key: EXEMPTED_AUDIT_KEY,
                valueExpression: `${exemption} != '' && variables.${VIOLATED_VARIABLE} ? ${exemption} : ''`,
              },
            ],
          }
        : {}),
    },
  };
}

/** The actions of a binding: what its control's enforcement asks, unless one action is forced. */
export function bindingActions(
  enforcement: Exclude<Enforcement, "disabled">,
  forced?: ValidationAction,
): ValidationAction[] {
  const action = forced ?? (enforcement === "mandatory" ? "Deny" : "Warn");
  // Audit beside Deny and Warn: every objection also reaches the API server's audit log.
  return action === "Audit" ? ["Audit"] : [action, "Audit"];
}

/** Every exportable control at the level, with what was left out and why. */
export function exportVap(options: VapExportOptions): VapExport {
  const config = options.config ?? {};
  const level: Level = options.level ?? config.level ?? "hardened";
  const day = today(options.now ?? new Date());
  const requesters = options.annotationExemptionsFrom ?? config.admission?.annotationExemptionsFrom ?? [];
  const version = parsePolicyVersion(config.psaVersion ?? "latest");
  if (version !== LATEST)
    throw new VapExportError(
      `psaVersion ${config.psaVersion ?? ""}: the exported policies judge at the newest Pod Security policy version only; remove psaVersion from the config to export`,
    );
  const notExported: NotExported[] = [];
  const candidates: ResourceControl[] = [];
  const enforcement: Record<string, Exclude<Enforcement, "disabled">> = {};
  for (const c of options.controls) {
    if (!levelIncludes(level, c.level)) continue;
    const enf = effectiveEnforcement(c, config);
    if (enf === "disabled") {
      notExported.push({
        id: c.id,
        reason:
          c.optional === true && config.controls?.[c.id] === undefined
            ? "optional and not enabled in the config"
            : "disabled in the config",
      });
      continue;
    }
    const support = celSupport(c);
    if (!support.cel || c.scope !== "resource") {
      notExported.push({ id: c.id, reason: support.cel ? STACK_REASON : support.reason });
      continue;
    }
    candidates.push(c);
    enforcement[c.id] = enf;
  }
  const overridden = new Set(candidates.flatMap((c) => c.overrides ?? []));
  const exported = candidates.filter((c) => {
    if (!overridden.has(c.id)) return true;
    notExported.push({ id: c.id, reason: "overridden at this level by its restricted twin" });
    delete enforcement[c.id];
    return false;
  });

  const policies = exported.map((c) => controlPolicy(c, config, { annotationExemptionsFrom: requesters, today: day }));
  const configurable = exported.filter((c) => Object.keys(c.config ?? {}).length > 0);
  const params: KubeObject[] = configurable.map((c) => ({
    apiVersion: `${PARAMS_GROUP}/${PARAMS_VERSION}`,
    kind: PARAMS_KIND,
    metadata: { name: c.id, labels: managedLabels("params", c.id) },
    spec: controlConfig(c, config),
  }));
  const bindings: KubeObject[] = exported.map((c) => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: {
      name: `${POLICY_PREFIX}${c.id}`,
      labels: managedLabels("binding", c.id),
      annotations: { "palisade.dev/enforcement": options.action === undefined ? (enforcement[c.id] ?? "") : "forced" },
    },
    spec: {
      policyName: `${POLICY_PREFIX}${c.id}`,
      validationActions: bindingActions(enforcement[c.id] ?? "mandatory", options.action),
      ...(configurable.includes(c) ? { paramRef: { name: c.id, parameterNotFoundAction: "Deny" } } : {}),
    },
  }));
  return {
    objects: [...(params.length > 0 ? [paramsCrd()] : []), ...policies, ...params, ...bindings],
    exported: exported.map((c) => c.id),
    notExported,
    enforcement,
    warnings: exemptionWarnings(config, exported, day),
  };
}

/** Lapsed config exemptions (left out) and dated ones (honoured until the policies are exported again). */
function exemptionWarnings(config: PalisadeConfig, exported: readonly ResourceControl[], day: string): string[] {
  const ids = new Set(exported.map((c) => c.id));
  const out: string[] = [];
  (config.exemptions ?? []).forEach((e, i) => {
    if (e.until === undefined || !e.controls.some((id) => id === "*" || ids.has(id))) return;
    out.push(
      e.until < day
        ? `exemptions[${i}] lapsed on ${e.until}: left out, the objects it covered are judged`
        : `exemptions[${i}] lapses after ${e.until}, but admission policies have no clock: it is honoured until you export and apply the policies again; do so on ${nextDay(e.until)}`,
    );
  });
  return out;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
