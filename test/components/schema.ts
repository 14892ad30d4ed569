/**
 * OpenAPI validation of emitted objects with kubernetes-models (the Kubernetes schemas as
 * validators): the class for an object's apiVersion and kind, constructed and validate()d.
 */
import type { KubeObject } from "../../policypack/engine/types";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** `kubernetes-models/<group>/<version>` (the core group is `v1`). */
function modulePath(apiVersion: string): string {
  return apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : `kubernetes-models/${apiVersion}`;
}

const cache = new Map<string, ModelClass>();

export function modelClass(apiVersion: string, kind: string): ModelClass {
  const key = `${apiVersion}/${kind}`;
  let cls = cache.get(key);
  if (cls === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(modulePath(apiVersion)) as Record<string, unknown>;
    const found = mod[kind];
    if (typeof found !== "function") throw new Error(`kubernetes-models has no ${key}`);
    cls = found as ModelClass;
    cache.set(key, cls);
  }
  return cls;
}

/** The schema errors of an object, or undefined when it is valid. */
export function schemaErrors(object: KubeObject): string | undefined {
  const Cls = modelClass(String(object.apiVersion), String(object.kind));
  try {
    // A deep copy: the models may normalise what they are given.
    new Cls(JSON.parse(JSON.stringify(object))).validate();
    return undefined;
  } catch (e) {
    return `${String(object.kind)} ${String(object.metadata?.name)}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
