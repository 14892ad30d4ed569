/** Test support for the pod-security family: kind-independent paths and fix assertions. */
import type { CheckContext, ResourceControl } from "../../../policypack/engine/control";
import { controlConfig } from "../../../policypack/engine/config";
import { podView } from "../../../policypack/engine/pod";
import { LATEST } from "../../../policypack/engine/psa-version";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, runControl, type RunOptions } from "../../helpers/objects";

export type Spec = Record<string, unknown>;

export function contextFor(control: ResourceControl, object: KubeObject, options: RunOptions = {}): CheckContext {
  return {
    level: options.level ?? "hardened",
    policyVersion: options.policyVersion ?? LATEST,
    config: { ...controlConfig(control, {}), ...(options.config ?? {}) } as CheckContext["config"],
    pod: podView(object),
    namespace: options.namespace,
  };
}

/** Finding paths rewritten relative to the pod: `spec…` and `metadata…` whatever the kind. */
export function podPaths(control: ResourceControl, object: KubeObject, options: RunOptions = {}): string[] {
  const view = podView(object);
  return runControl(control, object, options).map((v) => {
    const p = v.path ?? "";
    if (view === undefined) return p;
    if (p.startsWith(view.specPath)) return `spec${p.slice(view.specPath.length)}`;
    if (p.startsWith(view.metadataPath)) return `metadata${p.slice(view.metadataPath.length)}`;
    return p;
  });
}

/** Runs the control on the pod spec in every pod-bearing kind; every kind must give `expected`. */
export function expectPathsInEveryKind(
  control: ResourceControl,
  spec: Spec,
  expected: readonly string[],
  options: RunOptions = {},
  podMetadata: Record<string, unknown> = {},
): void {
  for (const object of inEveryKind(spec, podMetadata)) {
    expect([object.kind, podPaths(control, object, options).sort()]).toEqual([object.kind, [...expected].sort()]);
  }
}

/** Messages of the findings on a Pod with this spec. */
export function messages(control: ResourceControl, spec: Spec, options: RunOptions = {}): string[] {
  const object: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "app" }, spec };
  return runControl(control, object, options).map((v) => v.message);
}

/**
 * Fixes the object in every kind: the fixed copy passes the check, and the input is unchanged.
 * Returns the fixed Pod for further assertions.
 */
export function expectFixes(
  control: ResourceControl,
  spec: Spec,
  options: RunOptions = {},
  podMetadata: Record<string, unknown> = {},
): KubeObject {
  let fixedPod: KubeObject | undefined;
  for (const object of inEveryKind(spec, podMetadata)) {
    const before = JSON.stringify(object);
    expect(runControl(control, object, options).length).toBeGreaterThan(0);
    const fixed = control.fix!(object, contextFor(control, object, options));
    expect(JSON.stringify(object)).toBe(before);
    expect([object.kind, runControl(control, fixed, options)]).toEqual([object.kind, []]);
    if (object.kind === "Pod") fixedPod = fixed;
  }
  return fixedPod!;
}

/** The pod spec of a fixed Pod. */
export function specOf(object: KubeObject): Spec {
  return object["spec"] as Spec;
}
