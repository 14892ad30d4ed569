/**
 * The reach model: endpoints, namespaces and compiled policies of one object set, built once.
 * Pure: plain objects in, plain data out.
 */
import { StackIndex, type StackIndexOptions } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import type { Cidr } from "../../controls/network/cidr";
import type { Selector } from "../../controls/network/selectors";
import { selects } from "../../controls/network/selectors";
import type { Direction } from "../../controls/network/policy";
import { DEFAULT_CLUSTER_CIDRS } from "./addresses";
import {
  clusterDnsEndpoint,
  isClusterDns,
  mentionedCidrs,
  namespacesOf,
  NAMESPACE_NAME_LABEL,
  outsideEndpoints,
  parseClusterCidrs,
  podEndpoints,
  standInPodEndpoint,
  CLUSTER_DNS_NAMESPACE,
  type Endpoint,
  type EndpointOptions,
  type NamespaceInfo,
  type PodEndpoint,
} from "./endpoints";
import { compilePolicies, type CompiledPolicy, type PolicyProblem } from "./policies";

export interface ReachOptions extends EndpointOptions {
  /** Where pod addresses may lie, for ipBlocks against pods of unknown address. @default every private range */
  readonly podCidrs?: readonly string[];
  /** Where node addresses (hostNetwork pods) may lie. @default every private range */
  readonly nodeCidrs?: readonly string[];
  /** How the object set is indexed (default namespace, patches). */
  readonly stack?: StackIndexOptions;
}

export interface ReachModel {
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Pod groups first (input order, then the DNS stand-in), then the outside. */
  readonly endpoints: readonly Endpoint[];
  readonly policies: readonly CompiledPolicy[];
  readonly problems: readonly PolicyProblem[];
  readonly podCidrs: readonly Cidr[];
  readonly nodeCidrs: readonly Cidr[];
  readonly policiesByNamespace: ReadonlyMap<string, readonly CompiledPolicy[]>;
  /** The pod groups of each namespace. */
  readonly podsByNamespace: ReadonlyMap<string, readonly PodEndpoint[]>;
  readonly index: ReadonlyMap<Endpoint, number>;
  /** Memo of selecting policies per namespace+labels and direction. */
  readonly selectingMemo: Map<string, readonly CompiledPolicy[]>;
}

export class ReachInputError extends Error {}

function cidrOption(name: string, texts: readonly string[] | undefined): Cidr[] {
  const { cidrs, errors } = parseClusterCidrs(texts ?? DEFAULT_CLUSTER_CIDRS);
  if (errors.length > 0) throw new ReachInputError(`${name}: ${errors.join("; ")}`);
  return cidrs;
}

export function buildReachModel(objects: readonly KubeObject[] | StackIndex, options: ReachOptions = {}): ReachModel {
  const stack = objects instanceof StackIndex ? objects : new StackIndex(objects, options.stack);
  const { policies, problems } = compilePolicies(
    stack.objects.filter((o) => !stack.isPatch(o)),
    (o) => stack.namespaceOf(o) ?? stack.defaultNamespace,
  );
  const namespaces = namespacesOf(stack, policies);
  const pods: PodEndpoint[] = podEndpoints(stack);
  if (options.standInPods === true) {
    const withPods = new Set(pods.map((p) => p.namespace));
    for (const ns of namespaces.values()) if (ns.declared && !withPods.has(ns.name)) pods.push(standInPodEndpoint(ns));
  }
  if (options.clusterDns !== false && !pods.some(isClusterDns)) {
    pods.push(clusterDnsEndpoint());
    if (!namespaces.has(CLUSTER_DNS_NAMESPACE))
      namespaces.set(CLUSTER_DNS_NAMESPACE, {
        name: CLUSTER_DNS_NAMESPACE,
        labels: { [NAMESPACE_NAME_LABEL]: CLUSTER_DNS_NAMESPACE },
        declared: false,
      });
  }
  const endpoints: Endpoint[] = [
    ...pods,
    ...(options.outside === false ? [] : outsideEndpoints(mentionedCidrs(policies))),
  ];
  const policiesByNamespace = new Map<string, CompiledPolicy[]>();
  for (const p of policies) push(policiesByNamespace, p.namespace, p);
  const podsByNamespace = new Map<string, PodEndpoint[]>();
  for (const p of pods) push(podsByNamespace, p.namespace, p);
  return {
    namespaces,
    endpoints,
    policies,
    problems,
    podCidrs: cidrOption("podCidrs", options.podCidrs),
    nodeCidrs: cidrOption("nodeCidrs", options.nodeCidrs),
    policiesByNamespace,
    podsByNamespace,
    index: new Map(endpoints.map((e, i) => [e, i])),
    selectingMemo: new Map(),
  };
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list === undefined) map.set(k, [v]);
  else list.push(v);
}

/** The labels of a namespace (just its name label when the set does not declare it). */
export function namespaceLabels(model: ReachModel, namespace: string): Readonly<Record<string, string>> {
  return model.namespaces.get(namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

export function selectsNamespace(model: ReachModel, selector: Selector, namespace: string): boolean {
  return selects(selector, namespaceLabels(model, namespace));
}

const labelKeys = new WeakMap<PodEndpoint, string>();
/** Per pod group (each belongs to one model): the answer itself, before the shared per-label memo. */
const selectingByPod = new WeakMap<
  PodEndpoint,
  { Ingress?: readonly CompiledPolicy[]; Egress?: readonly CompiledPolicy[] }
>();

/**
 * The policies that select a pod group and govern a direction. hostNetwork pods are never
 * selected: NetworkPolicy does not apply to them.
 */
export function selectingPolicies(
  model: ReachModel,
  pod: PodEndpoint,
  direction: Direction,
): readonly CompiledPolicy[] {
  if (pod.hostNetwork) return [];
  let own = selectingByPod.get(pod);
  if (own === undefined) {
    own = {};
    selectingByPod.set(pod, own);
  }
  const cached = own[direction];
  if (cached !== undefined) return cached;
  let labelsKey = labelKeys.get(pod);
  if (labelsKey === undefined) {
    labelsKey = `${pod.namespace}\u0000${JSON.stringify(Object.entries(pod.labels).sort())}`;
    labelKeys.set(pod, labelsKey);
  }
  const key = `${direction}\u0000${labelsKey}`;
  let found = model.selectingMemo.get(key);
  if (found === undefined) {
    found = (model.policiesByNamespace.get(pod.namespace) ?? []).filter(
      (p) => p.types.has(direction) && p.selector !== undefined && selects(p.selector, pod.labels),
    );
    model.selectingMemo.set(key, found);
  }
  own[direction] = found;
  return found;
}
