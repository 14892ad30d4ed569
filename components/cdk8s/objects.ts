/** The builders' plain objects as cdk8s ApiObjects, field for field. */
import { ApiObject, Chart, JsonPatch } from "cdk8s";
import type { Construct } from "constructs";
import type { Manifest } from "../manifests/types";

/** The construct id of an object: unique within the component. */
export function objectId(object: Manifest): string {
  return `${object.kind}-${object.metadata.name}`;
}

/**
 * Adds one ApiObject per manifest under `scope`. A chart with a default namespace would stamp it
 * on the cluster-scoped Namespace object too; the patch takes it off again.
 */
export function addObjects(scope: Construct, manifests: readonly Manifest[]): ApiObject[] {
  return manifests.map((m) => {
    const { apiVersion, kind, metadata, ...rest } = m;
    const object = new ApiObject(scope, objectId(m), { ...rest, apiVersion, kind, metadata: { ...metadata } });
    if (kind === "Namespace" && Chart.of(scope).namespace !== undefined)
      object.addJsonPatch(JsonPatch.remove("/metadata/namespace"));
    return object;
  });
}
