/**
 * What a control is: metadata beside a pure check (typescript-eslint's rule shape, PSA's
 * check shape). The engine, the policy pack, the CLI and the cdk8s plugin all run these.
 */
import type { PodView } from "./pod";
import type { PolicyVersion } from "./psa-version";
import type { StackIndex } from "./stack";
import type { Family, JsonValue, KubeObject, Level, References, Scope, Severity, Violation } from "./types";

/** A JSON-schema fragment for one config property (also becomes CrossGuard's configSchema). */
export interface ConfigProperty {
  readonly type: "string" | "number" | "integer" | "boolean" | "array" | "object";
  readonly description: string;
  readonly items?: { readonly type: "string" | "number" | "integer" };
  readonly enum?: readonly JsonValue[];
  readonly default: JsonValue;
}

export interface ControlMeta {
  /** Stable kebab-case id: used in exemptions, config, CrossGuard policy names and SARIF rules. */
  readonly id: string;
  readonly title: string;
  readonly family: Family;
  readonly level: Level;
  readonly severity: Severity;
  readonly references: References;
  /** What to change, in one or two sentences. */
  readonly remediation: string;
  /** Kinds the control inspects; for stack controls the kinds whose violations it reports. */
  readonly kinds: readonly string[];
  /**
   * PSA controls overridden by this one from `minPolicyVersion` on, when this one runs
   * (a Restricted check replacing its Baseline twin, exactly like PSA's OverrideCheckIDs).
   */
  readonly overrides?: readonly string[];
  /** PSA minimum policy version (the minor of 1.N) at which the check exists. */
  readonly minPolicyVersion?: number;
  /**
   * Off unless the config turns it on (`controls.<id>.enabled: true`): for opinionated controls
   * that need platform support (user namespaces, sandboxed runtimes).
   */
  readonly optional?: boolean;
  /** Configurable settings with their defaults. */
  readonly config?: Readonly<Record<string, ConfigProperty>>;
}

export interface CheckContext {
  /** The level being evaluated (controls above it do not run). */
  readonly level: Level;
  /** PSA policy version for this object: its namespace's enforce-version label, else the configured one. */
  readonly policyVersion: PolicyVersion;
  /** This control's settings: its declared defaults overlaid with the user's config. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** The pod view for pod-bearing kinds. */
  readonly pod?: PodView;
  /** The Namespace object of the object's namespace, when the set declares it. */
  readonly namespace?: KubeObject;
  /** Namespace of namespaced objects that set none (kubectl's context, Pulumi's provider). @default "default" */
  readonly defaultNamespace?: string;
}

/** One CEL expression that must hold for the object to be admitted. */
export interface CelValidation {
  readonly expression: string;
  /** Shown on denial; the exporter prefixes the control id. @default the control's title */
  readonly message?: string;
}

/** A named CEL value (`variables.<name>`), evaluated lazily once per request. */
export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

/**
 * The control as a ValidatingAdmissionPolicy: CEL over `object`, `params.spec` (the control's
 * settings, for controls with config) and, for pod kinds, the variables the exporter provides
 * (`podMeta`, `podSpec`, `containers`, `initContainers`, `regularContainers`,
 * `ephemeralContainers`). It must deny exactly what `check` flags at the newest policy version.
 */
export interface CelPolicy {
  readonly variables?: readonly CelVariable[];
  readonly validations: readonly CelValidation[];
}

/** Why a control has no admission-time form (it needs other objects, or data CEL cannot see). */
export interface CelUnsupported {
  readonly unsupported: string;
}

export interface ResourceControl extends ControlMeta {
  readonly scope: "resource";
  /** The same rule in CEL for `palisade export vap`, or why there is none. */
  readonly cel?: CelPolicy | CelUnsupported;
  check(object: KubeObject, ctx: CheckContext): Violation[];
  /** A safe automatic fix (CrossGuard `remediate`): returns a fixed copy, never mutates. */
  fix?(object: KubeObject, ctx: CheckContext): KubeObject;
}

export interface StackContext {
  readonly level: Level;
  readonly config: Readonly<Record<string, JsonValue>>;
  /** PSA policy version configured for the run (namespace labels may pin others). */
  readonly policyVersion: PolicyVersion;
}

export interface StackControl extends ControlMeta {
  readonly scope: "stack";
  /** Violations must name the object they are about in `object`. */
  checkStack(stack: StackIndex, ctx: StackContext): Violation[];
}

export type Control = ResourceControl | StackControl;

export type { Scope };

/** Typed readers for control config values, tolerant of user mistakes (schema validates first). */
export function configStrings(config: Readonly<Record<string, JsonValue>>, key: string): string[] {
  const v = config[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function configString(config: Readonly<Record<string, JsonValue>>, key: string): string | undefined {
  const v = config[key];
  return typeof v === "string" ? v : undefined;
}

export function configNumber(config: Readonly<Record<string, JsonValue>>, key: string): number | undefined {
  const v = config[key];
  return typeof v === "number" ? v : undefined;
}

export function configBoolean(config: Readonly<Record<string, JsonValue>>, key: string): boolean | undefined {
  const v = config[key];
  return typeof v === "boolean" ? v : undefined;
}
