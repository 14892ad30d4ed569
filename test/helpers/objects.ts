/** Builders for test objects: a pod spec wrapped in any pod-bearing kind. */
import type { CheckContext, ResourceControl } from "../../policypack/engine/control";
import { controlConfig } from "../../policypack/engine/config";
import { podView } from "../../policypack/engine/pod";
import { LATEST, type PolicyVersion } from "../../policypack/engine/psa-version";
import type { KubeObject, Level, Violation } from "../../policypack/engine/types";

type Spec = Record<string, unknown>;

export function pod(spec: Spec, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "app", ...metadata }, spec };
}

/** The same pod spec in every built-in pod-bearing kind. */
export function inEveryKind(spec: Spec, podMetadata: Record<string, unknown> = {}): KubeObject[] {
  const template = { metadata: { labels: { app: "x" }, ...podMetadata }, spec };
  const meta = (kind: string) => ({ name: kind.toLowerCase(), namespace: "app" });
  return [
    { apiVersion: "v1", kind: "Pod", metadata: { ...meta("Pod"), ...podMetadata }, spec },
    { apiVersion: "v1", kind: "PodTemplate", metadata: meta("PodTemplate"), template },
    { apiVersion: "v1", kind: "ReplicationController", metadata: meta("ReplicationController"), spec: { template } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("Deployment"), spec: { template } },
    { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta("ReplicaSet"), spec: { template } },
    { apiVersion: "apps/v1", kind: "StatefulSet", metadata: meta("StatefulSet"), spec: { template } },
    { apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta("DaemonSet"), spec: { template } },
    { apiVersion: "batch/v1", kind: "Job", metadata: meta("Job"), spec: { template } },
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta("CronJob"),
      spec: { jobTemplate: { spec: { template } } },
    },
  ];
}

export interface RunOptions {
  readonly policyVersion?: PolicyVersion;
  readonly level?: Level;
  readonly config?: Record<string, unknown>;
  readonly namespace?: KubeObject;
}

/** Runs one resource control directly on one object. */
export function runControl(control: ResourceControl, object: KubeObject, options: RunOptions = {}): Violation[] {
  const ctx: CheckContext = {
    level: options.level ?? "hardened",
    policyVersion: options.policyVersion ?? LATEST,
    config: { ...controlConfig(control, {}), ...(options.config ?? {}) } as CheckContext["config"],
    pod: podView(object),
    namespace: options.namespace,
  };
  return control.check(object, ctx);
}
