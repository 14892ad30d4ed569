/** Runs a stack control directly on a set of objects, with its declared config defaults. */
import type { StackControl } from "../../../policypack/engine/control";
import { controlConfig } from "../../../policypack/engine/config";
import { LATEST } from "../../../policypack/engine/psa-version";
import { StackIndex } from "../../../policypack/engine/stack";
import type { JsonValue, KubeObject, Violation } from "../../../policypack/engine/types";

export interface StackRunOptions {
  readonly config?: Record<string, JsonValue>;
  /** Objects of the set that are patches (Pulumi `*Patch` resources). */
  readonly patches?: readonly KubeObject[];
  readonly defaultNamespace?: string;
}

export function runStack(
  control: StackControl,
  objects: readonly KubeObject[],
  options: StackRunOptions = {},
): Violation[] {
  const patches = new Set(options.patches ?? []);
  const stack = new StackIndex(objects, {
    isPatch: (o) => patches.has(o),
    ...(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {}),
  });
  return control.checkStack(stack, {
    level: "hardened",
    policyVersion: LATEST,
    config: { ...controlConfig(control, {}), ...(options.config ?? {}) },
  });
}

/** A Deployment with these pod template labels (and extra pod spec fields). */
export function deployment(
  name: string,
  namespace: string | undefined,
  labels: Record<string, string> = { app: name },
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: namespace === undefined ? { name } : { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name, image: "registry.example.com/app:1" }], ...spec },
      },
    },
  };
}

/** A Namespace; a null label value stands for "remove this label" in a patch. */
export function namespace(name: string, labels?: Record<string, string | null>): KubeObject {
  const metadata: Record<string, unknown> = labels === undefined ? { name } : { name, labels };
  return { apiVersion: "v1", kind: "Namespace", metadata };
}

export function networkPolicy(name: string, namespace: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec };
}

/** The kind/name of each violation's object with its path: compact expectations. */
export function summary(violations: readonly Violation[]): string[] {
  return violations.map(
    (v) => `${v.object?.kind ?? ""}/${v.object?.metadata?.name ?? ""}${v.path ? ` ${v.path}` : ""}`,
  );
}
