/**
 * Objects a manifest set cannot resolve because a controller makes them at runtime: pods an
 * operator creates from its custom resources, Secrets a Job or an init container generates, or a
 * custom resource (cert-manager's Certificate, an ExternalSecret) asks its controller for. The
 * stack controls that check references (selectors, Secret refs) ask here before reporting: when
 * the set itself declares what makes the object, "it is not declared" is no finding anyone can
 * act on, so they pass over it rather than report what they cannot verify. Both signals are the
 * conventions operators follow, and the helpers say which object they relied on.
 */
import { arr, isRecord, rec, str } from "../engine/access";
import { isBuiltinKind } from "../engine/kinds";
import type { StackIndex } from "../engine/stack";
import type { KubeObject } from "../engine/types";

interface NamespaceFacts {
  /** The custom resources of the namespace (kinds the engine does not know and that carry no pod). */
  readonly customResources: readonly KubeObject[];
  /** Every string the namespace's Jobs, CronJobs, init containers and custom resources hold: name → its holder. */
  readonly runtimeNames: ReadonlyMap<string, KubeObject>;
}

const cache = new WeakMap<StackIndex, Map<string, NamespaceFacts>>();

/** The API group of an apiVersion ("postgresql.cnpg.io/v1" → "postgresql.cnpg.io"; "v1" → ""). */
function groupOf(apiVersion: unknown): string {
  const v = typeof apiVersion === "string" ? apiVersion : "";
  const slash = v.indexOf("/");
  return slash < 0 ? "" : v.slice(0, slash);
}

/** Strings of a value, depth-first (bounded: a manifest is small, a bomb is not worth following). */
function collectStrings(value: unknown, add: (s: string) => void, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === "string") add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, add, depth + 1);
  else if (isRecord(value)) for (const v of Object.values(value)) collectStrings(v, add, depth + 1);
}

/** `--secret-name=foo`, `foo`, `ns/foo`: the tokens a command line or a value names. */
function tokens(text: string): string[] {
  return text.split(/[\s=,:;"'/]+/).filter((t) => t !== "");
}

const NO_FACTS: NamespaceFacts = { customResources: [], runtimeNames: new Map() };

/**
 * The facts of every namespace, gathered in one pass over the set the first time any is asked
 * for: asking per namespace walked the whole set once per namespace, quadratic on large sets
 * (service-selects-workload took 4.6 s of a 50,000-object check).
 */
function factsOf(stack: StackIndex, namespace: string): NamespaceFacts {
  let byNamespace = cache.get(stack);
  if (byNamespace === undefined) {
    byNamespace = new Map();
    cache.set(stack, byNamespace);
    const gathering = new Map<string, { customResources: KubeObject[]; runtimeNames: Map<string, KubeObject> }>();
    for (const object of stack.objects) {
      if (stack.isPatch(object)) continue;
      const ns = stack.namespaceOf(object) ?? "";
      let facts = gathering.get(ns);
      if (facts === undefined) gathering.set(ns, (facts = { customResources: [], runtimeNames: new Map() }));
      const { runtimeNames } = facts;
      const note = (holder: KubeObject) => (text: string) => {
        for (const t of tokens(text)) if (!runtimeNames.has(t)) runtimeNames.set(t, holder);
      };
      const pod = stack.pod(object);
      if (pod === undefined) {
        if (!isBuiltinKind(object) && typeof object.kind === "string") {
          facts.customResources.push(object);
          collectStrings(object["spec"], note(object));
        }
        continue;
      }
      // A Job or CronJob runs once to set things up (kube-webhook-certgen); an init container
      // prepares what the main containers read. Long-running containers are not creators here.
      const setUp = object.kind === "Job" || object.kind === "CronJob";
      for (const c of pod.containers) {
        if (!setUp && c.type !== "initContainers") continue;
        collectStrings(c.container["command"], note(object));
        collectStrings(c.container["args"], note(object));
        arr(c.container["env"]).forEach((e) => collectStrings(rec(e)?.["value"], note(object)));
      }
    }
    for (const [ns, facts] of gathering) byNamespace.set(ns, facts);
  }
  return byNamespace.get(namespace) ?? NO_FACTS;
}

/**
 * The custom resource whose operator (by convention) makes the pods a selector asks for: a label
 * value equal to the resource's name (`cnpg.io/cluster: pg-main`, `app.kubernetes.io/instance:
 * main`), or a label key in the resource's API domain (`strimzi.io/cluster` for kafka.strimzi.io).
 */
export function operatorFor(
  stack: StackIndex,
  namespace: string,
  labels: readonly { readonly key: string; readonly values: readonly string[] }[],
): KubeObject | undefined {
  const { customResources } = factsOf(stack, namespace);
  if (customResources.length === 0) return undefined;
  return customResources.find((cr) => {
    const name = str(cr.metadata?.name);
    const group = groupOf(cr.apiVersion);
    return labels.some(({ key, values }) => {
      if (name !== undefined && values.includes(name)) return true;
      const slash = key.indexOf("/");
      if (slash < 0 || group === "") return false;
      const domain = key.slice(0, slash);
      return group === domain || group.endsWith(`.${domain}`);
    });
  });
}

/**
 * What makes this object at runtime: the Job, the workload of an init container or the custom
 * resource of the namespace that names it, or a custom resource whose name prefixes it (operators
 * name what they generate `<resource>-<suffix>`: pg-main-app, events-cluster-ca-cert).
 */
export function runtimeCreator(stack: StackIndex, namespace: string, name: string): KubeObject | undefined {
  const facts = factsOf(stack, namespace);
  return (
    facts.runtimeNames.get(name) ??
    facts.customResources.find((cr) => {
      const prefix = str(cr.metadata?.name);
      return prefix !== undefined && prefix !== "" && name.startsWith(`${prefix}-`);
    })
  );
}

/** `Job "ingress-nginx-admission-create"`, for messages and comments. */
export function describeCreator(object: KubeObject): string {
  return `${String(object.kind)} ${JSON.stringify(str(object.metadata?.name) ?? "")}`;
}

/** The label requirements of a selector map (a Service's spec.selector). */
export function mapRequirements(selector: Readonly<Record<string, unknown>>): { key: string; values: string[] }[] {
  return Object.entries(selector).map(([key, v]) => ({ key, values: typeof v === "string" ? [v] : [] }));
}
