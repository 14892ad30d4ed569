/**
 * The catalog as ValidatingAdmissionPolicies: each control's CEL (written beside its TypeScript
 * check) wrapped into a policy, a binding and, for configurable controls, a parameters object,
 * so the cluster denies at admission what `palisade check` flags at build time.
 */
import { celString } from "./cel";
import type { CelPolicy, CelVariable, Control, ResourceControl } from "./control";
import { controlConfig, type PalisadeConfig } from "./config";
import { isEnabled } from "./evaluate";
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION } from "./exemptions";
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
  /** The bindings' validationActions. @default "Deny" */
  readonly action?: ValidationAction;
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

/**
 * The annotation exemption as a match condition: the policy does not apply when the object lists
 * the control with a reason. CEL has no clock, so an exemption with an end date is not honoured
 * at admission: the object is judged (failing closed beats an exemption that never lapses).
 */
function annotationCondition(id: string): { name: string; expression: string } {
  const a = "object.metadata.annotations";
  return {
    name: "palisade-annotation-exemption",
    expression:
      `!(has(object.metadata.annotations) && ${celString(EXEMPT_ANNOTATION)} in ${a} && ` +
      `${celString(EXEMPT_REASON_ANNOTATION)} in ${a} && ${a}[${celString(EXEMPT_REASON_ANNOTATION)}].trim() != '' && ` +
      `!(${celString(EXEMPT_UNTIL_ANNOTATION)} in ${a}) && ` +
      `${a}[${celString(EXEMPT_ANNOTATION)}].split(',').exists(x, x.trim() == ${celString(id)}))`,
  };
}

function configConditions(control: ResourceControl, config: PalisadeConfig): { name: string; expression: string }[] {
  const out: { name: string; expression: string }[] = [];
  (config.exemptions ?? []).forEach((e, i) => {
    if (!e.controls.includes("*") && !e.controls.includes(control.id)) return;
    if (e.until !== undefined) return;
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
    out.push({
      name: `palisade-config-exemption-${i}`,
      expression: parts.length === 0 ? "false" : `!(${parts.join(" && ")})`,
    });
  });
  return out;
}

/**
 * Requests from the control plane itself are not judged: the API server, controller manager and
 * scheduler, the kubelets (mirror pods of static pods) and kube-system's service accounts (the
 * controllers, when they run with their own credentials). They write the cluster's own objects
 * (the `kubernetes` Service, kube-root-ca.crt and the `default` ServiceAccount in every
 * namespace, bootstrap RBAC, Leases and Events) and create Pods from workload templates that were
 * judged when the workload was written; a policy that denied them would break the cluster, not
 * harden it.
 */
export const CONTROL_PLANE_CONDITION = {
  name: "palisade-not-control-plane",
  expression:
    "!(request.userInfo.username in ['system:apiserver', 'system:kube-controller-manager', 'system:kube-scheduler'] || " +
    "request.userInfo.username.startsWith('system:node:') || " +
    "request.userInfo.username.startsWith('system:serviceaccount:kube-system:'))",
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

/** The policy of one control. */
export function controlPolicy(control: ResourceControl, config: PalisadeConfig = {}): KubeObject {
  if (!isCelPolicy(control.cel)) throw new VapExportError(`${control.id} has no CEL form`);
  const cel = control.cel;
  const configurable = Object.keys(control.config ?? {}).length > 0;
  const variables = [...(touchesPods(control.kinds) ? POD_VARIABLES : []), ...(cel.variables ?? [])];
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
      matchConditions: [
        CONTROL_PLANE_CONDITION,
        annotationCondition(control.id),
        ...ownObjectsCondition(control.kinds),
        ...configConditions(control, config),
      ],
      ...(variables.length > 0 ? { variables: variables.map((v) => ({ ...v })) } : {}),
      validations: cel.validations.map((v) => ({
        expression: v.expression,
        // The policy's name already says which control: the message stays short, since the API
        // server keeps only 4 KiB of warnings per response.
        message: v.message ?? control.title,
        reason: "Forbidden",
      })),
    },
  };
}

/** Every exportable control at the level, with what was left out and why. */
export function exportVap(options: VapExportOptions): VapExport {
  const config = options.config ?? {};
  const level: Level = options.level ?? config.level ?? "hardened";
  const action: ValidationAction = options.action ?? "Deny";
  const version = parsePolicyVersion(config.psaVersion ?? "latest");
  if (version !== LATEST)
    throw new VapExportError(
      `psaVersion ${config.psaVersion ?? ""}: the exported policies judge at the newest Pod Security policy version only; remove psaVersion from the config to export`,
    );
  const notExported: NotExported[] = [];
  const candidates: ResourceControl[] = [];
  for (const c of options.controls) {
    if (!levelIncludes(level, c.level)) continue;
    if (!isEnabled(c, config)) {
      notExported.push({
        id: c.id,
        reason: c.optional === true ? "optional and not enabled in the config" : "disabled in the config",
      });
      continue;
    }
    const support = celSupport(c);
    if (!support.cel || c.scope !== "resource") {
      notExported.push({ id: c.id, reason: support.cel ? STACK_REASON : support.reason });
      continue;
    }
    candidates.push(c);
  }
  const overridden = new Set(candidates.flatMap((c) => c.overrides ?? []));
  const exported = candidates.filter((c) => {
    if (!overridden.has(c.id)) return true;
    notExported.push({ id: c.id, reason: "overridden at this level by its restricted twin" });
    return false;
  });

  const policies = exported.map((c) => controlPolicy(c, config));
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
    metadata: { name: `${POLICY_PREFIX}${c.id}`, labels: managedLabels("binding", c.id) },
    spec: {
      policyName: `${POLICY_PREFIX}${c.id}`,
      validationActions: action === "Deny" ? ["Deny"] : [action],
      ...(configurable.includes(c) ? { paramRef: { name: c.id, parameterNotFoundAction: "Deny" } } : {}),
    },
  }));
  return {
    objects: [...(params.length > 0 ? [paramsCrd()] : []), ...policies, ...params, ...bindings],
    exported: exported.map((c) => c.id),
    notExported,
  };
}
