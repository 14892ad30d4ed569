/**
 * The whole set of objects, indexed once so stack controls join in linear time:
 * by kind, by kind+namespace+name, with every pod-bearing object's pod view precomputed.
 */
import { isNamespaced } from "./kinds";
import { podView, type PodView } from "./pod";
import type { KubeObject } from "./types";

export interface WorkloadEntry {
  readonly object: KubeObject;
  readonly pod: PodView;
  readonly namespace: string;
}

export interface StackIndexOptions {
  /** Namespace of namespaced objects that set none (kubectl's context, Pulumi's provider). */
  readonly defaultNamespace?: string;
  /** Objects that patch an existing object instead of declaring it (Pulumi `*Patch` resources). */
  readonly isPatch?: (object: KubeObject) => boolean;
  /** Custom pod-bearing kinds: "apiVersion/Kind" or "Kind" → template path. */
  readonly podTemplatePaths?: Readonly<Record<string, string>>;
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ""}\u0000${name}`;
}

export class StackIndex {
  readonly objects: readonly KubeObject[];
  readonly workloads: readonly WorkloadEntry[];
  /** Declared Namespace objects by name (the first declaration; patches excluded). */
  readonly namespaces: ReadonlyMap<string, KubeObject>;
  /** Every Namespace document or patch by name, in input order (later ones apply over earlier). */
  readonly namespaceDocuments: ReadonlyMap<string, readonly KubeObject[]>;
  /** Namespaces that hold at least one pod-bearing object. */
  readonly workloadNamespaces: ReadonlySet<string>;
  /** The workloads of each namespace, in input order. */
  readonly workloadsByNamespace: ReadonlyMap<string, readonly WorkloadEntry[]>;
  readonly defaultNamespace: string;
  private readonly kinds = new Map<string, KubeObject[]>();
  private readonly byKey = new Map<string, KubeObject>();
  private readonly byKindNamespace = new Map<string, KubeObject[]>();
  private readonly pods = new Map<KubeObject, PodView>();
  private readonly isPatchFn: (object: KubeObject) => boolean;

  constructor(objects: readonly KubeObject[], options: StackIndexOptions = {}) {
    this.objects = objects;
    this.defaultNamespace = options.defaultNamespace ?? "default";
    this.isPatchFn = options.isPatch ?? (() => false);
    const workloads: WorkloadEntry[] = [];
    const namespaces = new Map<string, KubeObject>();
    const namespaceDocuments = new Map<string, KubeObject[]>();
    const workloadNamespaces = new Set<string>();
    const workloadsByNamespace = new Map<string, WorkloadEntry[]>();
    for (const object of objects) {
      const kind = typeof object.kind === "string" ? object.kind : "";
      push(this.kinds, kind, object);
      const name = typeof object.metadata?.name === "string" ? object.metadata.name : undefined;
      const namespace = this.namespaceOf(object);
      if (name !== undefined && !this.isPatchFn(object)) {
        const k = key(kind, namespace, name);
        if (!this.byKey.has(k)) this.byKey.set(k, object);
      }
      push(this.byKindNamespace, `${kind}\u0000${namespace ?? ""}`, object);
      if (kind === "Namespace" && name !== undefined && isNamespaced(object) === false) {
        push(namespaceDocuments, name, object);
        if (!this.isPatchFn(object) && !namespaces.has(name)) namespaces.set(name, object);
      }
      const pod = podView(object, options.podTemplatePaths);
      if (pod !== undefined) {
        this.pods.set(object, pod);
        const ns = namespace ?? this.defaultNamespace;
        const entry = { object, pod, namespace: ns };
        workloads.push(entry);
        workloadNamespaces.add(ns);
        push(workloadsByNamespace, ns, entry);
      }
    }
    this.workloads = workloads;
    this.namespaces = namespaces;
    this.namespaceDocuments = namespaceDocuments;
    this.workloadNamespaces = workloadNamespaces;
    this.workloadsByNamespace = workloadsByNamespace;
  }

  isPatch(object: KubeObject): boolean {
    return this.isPatchFn(object);
  }

  /** The namespace an object lives in: its own, the default one for namespaced kinds, else undefined. */
  namespaceOf(object: KubeObject): string | undefined {
    const ns = object.metadata?.namespace;
    if (typeof ns === "string" && ns !== "") return ns;
    return isNamespaced(object) === false ? undefined : this.defaultNamespace;
  }

  byKind(kind: string): readonly KubeObject[] {
    return this.kinds.get(kind) ?? [];
  }

  /** Objects of a kind in a namespace (cluster-scoped kinds: pass undefined). */
  inNamespace(kind: string, namespace: string | undefined): readonly KubeObject[] {
    return this.byKindNamespace.get(`${kind}\u0000${namespace ?? ""}`) ?? [];
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKey.get(key(kind, namespace, name));
  }

  pod(object: KubeObject): PodView | undefined {
    return this.pods.get(object);
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list === undefined) map.set(k, [v]);
  else list.push(v);
}
