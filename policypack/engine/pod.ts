/**
 * The pod model: one view of the pod spec whichever kind carries it, with the paths findings
 * need. PSA's visitContainers order (init, regular, ephemeral) is kept so messages read alike.
 */
import { arr, dig, isRecord, join, rec, str, type Rec } from "./access";
import type { KubeObject, ObjectMeta } from "./types";

export type ContainerType = "initContainers" | "containers" | "ephemeralContainers";
export const CONTAINER_TYPES: readonly ContainerType[] = ["initContainers", "containers", "ephemeralContainers"];

export interface ContainerView {
  readonly container: Rec;
  /** The container's name, or `#<index>` when it has none. */
  readonly name: string;
  readonly type: ContainerType;
  readonly index: number;
  /** Path of the container from the object root, e.g. spec.template.spec.containers[0]. */
  readonly path: string;
  /** The container's securityContext (empty record when unset). */
  readonly securityContext: Rec;
}

export interface PodView {
  readonly object: KubeObject;
  /** The pod spec (empty record when missing). */
  readonly spec: Rec;
  /** Path of the pod spec from the object root: spec, spec.template.spec, template.spec, … */
  readonly specPath: string;
  /** The pod's metadata: the Pod's own, or the template's. */
  readonly metadata: ObjectMeta;
  readonly metadataPath: string;
  /** The pod-level securityContext (empty record when unset). */
  readonly securityContext: Rec;
  readonly containers: readonly ContainerView[];
}

/**
 * Where the pod template sits in each built-in pod-bearing kind: the path to an object with
 * `metadata` and `spec`. "" means the object itself (a Pod).
 */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, string>> = {
  Pod: "",
  PodTemplate: "template",
  Deployment: "spec.template",
  ReplicaSet: "spec.template",
  StatefulSet: "spec.template",
  DaemonSet: "spec.template",
  Job: "spec.template",
  ReplicationController: "spec.template",
  CronJob: "spec.jobTemplate.spec.template",
};

export const POD_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

function splitPath(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

/**
 * The pod view of an object, or undefined when its kind carries no pod template.
 * `extraTemplatePaths` maps "apiVersion/Kind" (or "Kind") of custom resources to a template path.
 */
export function podView(
  object: KubeObject,
  extraTemplatePaths?: Readonly<Record<string, string>>,
): PodView | undefined {
  const kind = object.kind;
  if (typeof kind !== "string") return undefined;
  let templatePath: string | undefined;
  if (extraTemplatePaths !== undefined) {
    templatePath = extraTemplatePaths[`${String(object.apiVersion)}/${kind}`] ?? extraTemplatePaths[kind];
  }
  if (templatePath === undefined && isBuiltinPodKind(object)) templatePath = POD_TEMPLATE_PATHS[kind];
  if (templatePath === undefined) return undefined;
  const template = templatePath === "" ? object : dig(object, ...splitPath(templatePath));
  const spec = rec(dig(template, "spec")) ?? {};
  const metadata = (rec(dig(template, "metadata")) ?? {}) as ObjectMeta;
  const specPath = join(templatePath, "spec");
  const containers: ContainerView[] = [];
  for (const type of CONTAINER_TYPES) {
    arr(spec[type]).forEach((c, index) => {
      if (!isRecord(c)) return;
      containers.push({
        container: c,
        name: str(c["name"]) ?? `#${index}`,
        type,
        index,
        path: join(join(specPath, type), index),
        securityContext: rec(c["securityContext"]) ?? {},
      });
    });
  }
  return {
    object,
    spec,
    specPath,
    metadata,
    metadataPath: join(templatePath, "metadata"),
    securityContext: rec(spec["securityContext"]) ?? {},
    containers,
  };
}

const POD_KIND_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["v1"],
  PodTemplate: ["v1"],
  ReplicationController: ["v1"],
  Deployment: ["apps/", "extensions/"],
  ReplicaSet: ["apps/", "extensions/"],
  StatefulSet: ["apps/"],
  DaemonSet: ["apps/", "extensions/"],
  Job: ["batch/"],
  CronJob: ["batch/"],
};

/** True for the built-in pod-bearing kinds (by kind and API group, so a CRD named "Job" is not one). */
export function isBuiltinPodKind(object: KubeObject): boolean {
  const kind = object.kind;
  const apiVersion = object.apiVersion;
  if (typeof kind !== "string" || typeof apiVersion !== "string") return false;
  const prefixes = POD_KIND_GROUPS[kind];
  if (prefixes === undefined) return false;
  return prefixes.some((p) => (p.endsWith("/") ? apiVersion.startsWith(p) : apiVersion === p));
}

/** Containers whose name to print in a message: `"a", "b"` in PSA's style. */
export function containerNames(containers: readonly ContainerView[]): string[] {
  return containers.map((c) => c.name);
}
