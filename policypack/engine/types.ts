/**
 * The plain-data model every part of Palisade shares: Kubernetes objects as parsed JSON,
 * controls as metadata plus a pure check, findings as plain records.
 * Nothing here knows Pulumi or cdk8s.
 */

/** A JSON value as found in a manifest. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any Kubernetes object: only apiVersion and kind are assumed, and even those are checked. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** Profiles nest: baseline ⊂ restricted ⊂ hardened. */
export type Level = "baseline" | "restricted" | "hardened";
export const LEVELS: readonly Level[] = ["baseline", "restricted", "hardened"];

export type Severity = "low" | "medium" | "high" | "critical";
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

export type Family =
  "pod-security" | "workload" | "service-account" | "rbac" | "network" | "namespace" | "secrets" | "images";

/** resource = decided from one object; stack = needs the whole set of objects. */
export type Scope = "resource" | "stack";

export interface References {
  /** Row of the unified catalog (shared/CONTROLS.md), e.g. "POD-001". */
  catalog: string;
  /** Pod Security Admission check ID, e.g. "hostNamespaces", with the minimum policy version. */
  pss?: string;
  /** NSA/CISA Kubernetes Hardening Guidance v1.2 section. */
  nsaCisa?: string;
  /** CIS Kubernetes Benchmark id (v1.10 numbering), e.g. "5.2.5". */
  cis?: string;
}

/** Identity of a resource in findings and reports. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
}

/** What a check returns: the engine adds control, level, severity and resource. */
export interface Violation {
  message: string;
  /** Field path from the object root, e.g. spec.template.spec.containers[0].securityContext.runAsNonRoot. */
  path?: string;
  /** For stack controls: the object the violation is about (defaults to the checked object). */
  object?: KubeObject;
}

export interface SourceLocation {
  file: string;
  /** 1-based line of the object's document (or of the List item). */
  line: number;
}

export interface Exemption {
  source: "annotation" | "config";
  reason: string;
  until?: string;
  /**
   * The control the exemption names, when it is not the finding's own: a stricter control that
   * supersedes it (pod-volume-types over pod-host-path) is exempted for the same field.
   */
  via?: string;
}

export interface Finding {
  control: string;
  level: Level;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  path?: string;
  source?: SourceLocation;
  /** Set when an exemption covers the finding: reported for the audit trail, never dropped. */
  exempted?: Exemption;
  /**
   * Whether the finding blocks (mandatory) or advises (advisory), from the control's enforcement
   * under the config (policypack/enforcement.ts); input errors and internal errors are mandatory.
   */
  enforcement?: "mandatory" | "advisory";
  /** Set when the control threw: the finding fails closed. */
  internalError?: boolean;
  /** The thrown value, for adapters (e.g. Pulumi's unknown values during preview); never serialised. */
  error?: unknown;
}

export interface SkippedObject {
  resource: ResourceRef;
  reason: string;
  source?: SourceLocation;
}
