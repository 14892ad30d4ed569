/**
 * Shared machinery for `fix`: copy the object, find its pod spec in the copy (creating the
 * template path when missing) and let the control edit the copy. The input is never mutated.
 */
import { isRecord, type Rec } from "../engine/access";
import { copyPlain } from "../engine/copy";
import { CONTAINER_TYPES, POD_TEMPLATE_PATHS } from "../engine/pod";
import type { KubeObject } from "../engine/types";

function ensure(parent: Rec, key: string): Rec {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: Rec = {};
  parent[key] = created;
  return created;
}

export interface PodEdit {
  readonly spec: Rec;
  /** Every container record (init, regular, ephemeral), in PSA order. */
  readonly containers: Rec[];
  /** The securityContext of a container, created when missing. */
  securityContextOf(container: Rec): Rec;
  /** The pod-level securityContext, created when missing. */
  readonly podSecurityContext: () => Rec;
}

/** Returns an edited deep copy of a pod-bearing object, or the object itself for other kinds. */
export function editPod(object: KubeObject, edit: (pod: PodEdit) => void): KubeObject {
  const templatePath = typeof object.kind === "string" ? POD_TEMPLATE_PATHS[object.kind] : undefined;
  if (templatePath === undefined) return object;
  const copy = copyPlain(object) as Rec;
  let template: Rec = copy;
  for (const key of templatePath === "" ? [] : templatePath.split(".")) template = ensure(template, key);
  const spec = ensure(template, "spec");
  const containers: Rec[] = [];
  for (const type of CONTAINER_TYPES) {
    const list = spec[type];
    if (Array.isArray(list)) for (const c of list) if (isRecord(c)) containers.push(c);
  }
  edit({
    spec,
    containers,
    securityContextOf: (c) => ensure(c, "securityContext"),
    podSecurityContext: () => ensure(spec, "securityContext"),
  });
  return copy as KubeObject;
}
