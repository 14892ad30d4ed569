/**
 * Runs CrossGuard policies the way @pulumi/policy's server does (server.ts: analyze,
 * analyzeStack, remediate): props wrapped in unknownCheckingProxy, enforcement from the pack
 * config or the policy's default, UnknownValueError reported as advisory "can't run during
 * preview", remediations applied in order with "remediate" downgraded to mandatory on violations.
 * No gRPC server and no PolicyPack: those need the Pulumi engine (the e2e tests use the real one).
 */
import {
  Secret,
  unknownCheckingProxy,
  UnknownValueError,
  type EnforcementLevel,
  type Policies,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
  type PolicyResource,
} from "@pulumi/policy";
import type { KubeObject } from "../../policypack/engine/types";

/** The sentinels @pulumi/policy's deserializer puts where a value is unknown during preview. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { secretsPreservingProxy } = require("@pulumi/policy/secret") as { secretsPreservingProxy: <T>(v: T) => T };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as Record<string, string>;
export const UNKNOWN = {
  boolean: sentinels["unknownBooleanValue"] as string,
  number: sentinels["unknownNumberValue"] as string,
  string: sentinels["unknownStringValue"] as string,
  array: sentinels["unknownArrayValue"] as string,
  object: sentinels["unknownObjectValue"] as string,
};

export type PackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface Diagnostic {
  readonly policyName: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn?: string;
}

export interface TestResource {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  readonly name?: string;
}

/**
 * An in-realm deep copy. structuredClone under Jest returns objects of another realm, and the
 * policy proxy only wraps `instanceof Object` values: it would silently stop checking unknowns.
 */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Like clone, but Secret instances stay instances (as the deserializer makes them). */
function cloneKeepingSecrets(value: unknown): Record<string, unknown> {
  const walk = (v: unknown): unknown =>
    v instanceof Secret
      ? v
      : Array.isArray(v)
        ? v.map(walk)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(value) as Record<string, unknown>;
}

function levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config: PackConfig): EnforcementLevel {
  const c = config[policy.name];
  const fromConfig = typeof c === "string" ? c : c?.enforcementLevel;
  return fromConfig ?? policy.enforcementLevel ?? "advisory";
}

function settingsOf(
  policy: { name: string; configSchema?: { properties: Record<string, { default?: unknown }> } },
  config: PackConfig,
): Record<string, unknown> {
  // The CLI fills defaults from the schema before it configures the analyzer.
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(policy.configSchema?.properties ?? {}))
    if (s.default !== undefined) out[k] = s.default;
  const c = config[policy.name];
  if (typeof c === "object") for (const [k, v] of Object.entries(c)) if (k !== "enforcementLevel") out[k] = v;
  return out;
}

const notApplicable = (reason?: string): never => {
  throw new Error(`notApplicable: ${reason ?? ""}`);
};

/** The Pulumi type token of a Kubernetes object (group "core" for the core group). */
export function typeOf(object: KubeObject, patch = false): string {
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  return `kubernetes:${group}/${version}:${String(object.kind)}${patch ? "Patch" : ""}`;
}

export async function analyzeResource(
  policies: Policies,
  resource: TestResource,
  config: PackConfig = {},
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const p of policies) {
    let level = levelOf(p, config);
    if (level === "disabled" || !("validateResource" in p) || p.validateResource === undefined) continue;
    if (level === "remediate") level = "mandatory";
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    for (const validate of validations) {
      const props = unknownCheckingProxy(clone(resource.props)) as Record<string, unknown>;
      const args = {
        type: resource.type,
        props,
        urn: resource.urn ?? `urn:pulumi:test::test::${resource.type}::${resource.name ?? "r"}`,
        name: resource.name ?? "r",
        opts: {},
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => settingsOf(p, config) as T,
        notApplicable,
      } as unknown as ResourceValidationArgs;
      try {
        await validate(args, (message: string) => out.push({ policyName: p.name, message, enforcementLevel: level }));
      } catch (e) {
        if (e instanceof UnknownValueError) {
          out.push({
            policyName: p.name,
            message: `can't run policy '${p.name}' during preview: ${(e as Error).message}`,
            enforcementLevel: "advisory",
          });
        } else throw e;
      }
    }
  }
  return out;
}

export async function analyzeStack(
  policies: Policies,
  resources: readonly TestResource[],
  config: PackConfig = {},
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const p of policies) {
    let level = levelOf(p, config);
    if (level === "disabled" || !("validateStack" in p)) continue;
    if (level === "remediate") level = "mandatory";
    const policyResources = resources.map(
      (r, i) =>
        ({
          type: r.type,
          props: unknownCheckingProxy(clone(r.props)),
          urn: r.urn ?? `urn:pulumi:test::test::${r.type}::${r.name ?? `r${i}`}`,
          name: r.name ?? `r${i}`,
          opts: {},
          dependencies: [],
          propertyDependencies: {},
          isType: () => false,
          asType: () => undefined,
        }) as unknown as PolicyResource,
    );
    const args = {
      resources: policyResources,
      stackTags: new Map<string, string>(),
      getConfig: <T extends object>() => settingsOf(p, config) as T,
      notApplicable,
    } as unknown as StackValidationArgs;
    try {
      await (p as StackValidationPolicy).validateStack(args, (message: string, urn?: string) =>
        out.push({ policyName: p.name, message, enforcementLevel: level, ...(urn ? { urn } : {}) }),
      );
    } catch (e) {
      if (e instanceof UnknownValueError) {
        out.push({
          policyName: p.name,
          message: `can't run policy '${p.name}' during preview: ${(e as Error).message}`,
          enforcementLevel: "advisory",
        });
      } else throw e;
    }
  }
  return out;
}

/** Applies every policy at "remediate" in order, as the server does; returns the final props. */
export async function remediate(
  policies: Policies,
  resource: TestResource,
  config: PackConfig,
): Promise<Record<string, unknown>> {
  // As the server: deserializeProperties(…, true) wraps in a secrets-preserving proxy, then the unknown-checking one.
  let props: Record<string, unknown> = unknownCheckingProxy(
    secretsPreservingProxy(cloneKeepingSecrets(resource.props)),
  ) as Record<string, unknown>;
  for (const p of policies) {
    if (
      levelOf(p, config) !== "remediate" ||
      !("remediateResource" in p) ||
      (p as ResourceValidationPolicy).remediateResource === undefined
    )
      continue;
    const args = {
      type: resource.type,
      props,
      urn: "urn:test",
      name: resource.name ?? "r",
      opts: {},
      stackTags: new Map<string, string>(),
      isType: () => false,
      asType: () => undefined,
      getConfig: <T extends object>() => settingsOf(p, config) as T,
      notApplicable,
    } as unknown as ResourceValidationArgs;
    const result = await (p as ResourceValidationPolicy).remediateResource!(args);
    if (result) props = result as Record<string, unknown>;
  }
  return props;
}
