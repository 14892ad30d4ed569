/**
 * The catalog as CrossGuard policies: one policy per control (name = control id). Resource
 * controls become ResourceValidationPolicies over the Kubernetes type tokens and their `*Patch`
 * variants; stack controls become StackValidationPolicies. Exported for tests: constructing the
 * PolicyPack itself starts a gRPC server, so only index.ts does that.
 *
 * Unknown values during preview: every read goes through @pulumi/policy's unknownCheckingProxy,
 * which throws UnknownValueError; we let it reach the policy server, which reports "can't run
 * during preview" as advisory. Nothing unknown ever passes silently, and nothing crashes.
 */
import {
  UnknownValueError,
  type EnforcementLevel,
  type Policies,
  type PolicyComplianceFramework,
  type PolicyConfigSchema,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { catalog as defaultCatalog } from "./controls";
import { isRecord } from "./engine/access";
import type { CheckContext, Control, ResourceControl, StackControl } from "./engine/control";
import { type ConfigExemption, type PalisadeConfig } from "./engine/config";
import {
  annotationExemptions,
  configExemption,
  EXEMPT_ANNOTATION,
  lapsedConfigExemption,
  supersededExemption,
} from "./engine/exemptions";
import { resourceRef } from "./engine/kinds";
import { podView } from "./engine/pod";
import { LATEST, parsePolicyVersion } from "./engine/psa-version";
import { StackIndex } from "./engine/stack";
import type { Exemption, JsonValue, KubeObject, Violation } from "./engine/types";
import { defaultEnforcement, enforcementByRank } from "./enforcement";
import { parseTypeToken, type KubeType } from "./type-tokens";

export const EXEMPTIONS_POLICY = "palisade-exemptions";
/** The keys @pulumi/policy's proxies answer: "am I a proxy", and the object each wraps. */
const IS_PROXY = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The raw inputs under @pulumi/policy's proxies. Remediation props are an unknown-checking proxy
 * over a secrets-preserving proxy; copying through them trips V8's proxy invariants on arrays.
 */
function unwrapProxies(props: Record<string, unknown>): Record<string, unknown> {
  let current: Record<string, unknown> = props;
  for (let i = 0; i < 4 && current[IS_PROXY] === true; i++) {
    const target = current[PROXY_TARGET];
    if (!isRecord(target)) break;
    current = target;
  }
  return current;
}

export interface PolicyOptions {
  /** @default the whole catalog */
  readonly controls?: readonly Control[];
  /** The clock for `exempt-until`. @default () => new Date() */
  readonly now?: () => Date;
  /** The names `--policy-pack-config` gave (index.ts reads them from the Configure call). @default none */
  readonly configuredNames?: () => readonly string[];
}

interface PolicySettings {
  readonly exemptions?: ConfigExemption[];
  readonly psaVersion?: string;
  readonly [setting: string]: JsonValue | ConfigExemption[] | undefined;
}

const EXEMPTIONS_SCHEMA = {
  type: "array" as const,
  description: "Exemptions for this control: [{namespaces?, names?, kinds?, reason, until?}] (patterns take * and ?).",
  items: {
    type: "object" as const,
    properties: {
      namespaces: { type: "array" as const, items: { type: "string" as const } },
      names: { type: "array" as const, items: { type: "string" as const } },
      kinds: { type: "array" as const, items: { type: "string" as const } },
      reason: { type: "string" as const, minLength: 1 },
      until: { type: "string" as const, pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    },
    required: ["reason"],
    additionalProperties: false,
  },
  default: [],
};

/**
 * Whether an optional control is on in this policy's config: as in the CLI's config file, any
 * setting of the control (or `enabled: true`) turns it on, and `enabled: false` keeps it off.
 */
function turnedOn(control: Control, raw: PolicySettings): boolean {
  if (control.optional !== true) return true;
  if (typeof raw["enabled"] === "boolean") return raw["enabled"];
  return Object.keys(control.config ?? {}).some((name) => raw[name] !== undefined);
}

function configSchema(control: Control): PolicyConfigSchema {
  const properties: PolicyConfigSchema["properties"] = { exemptions: EXEMPTIONS_SCHEMA };
  if (control.optional === true)
    properties["enabled"] = {
      type: "boolean",
      description: "Turn this optional control on (any of its settings turns it on too).",
    };
  if (control.references.pss !== undefined) {
    properties["psaVersion"] = {
      type: "string",
      description: 'Pod Security Standards policy version to check against: "latest" or "v1.N".',
      pattern: "^(latest|v1\\.\\d+)$",
      default: "latest",
    };
  }
  for (const [name, p] of Object.entries(control.config ?? {})) {
    properties[name] = {
      type: p.type,
      description: p.description,
      // An optional control's settings carry no schema default: the CLI fills defaults into the
      // config it sends, and a setting present must mean the user set it (it turns the control on).
      ...(control.optional === true ? {} : { default: p.default }),
      ...(p.items ? { items: { type: p.items.type } } : {}),
      ...(p.enum ? { enum: [...p.enum] } : {}),
    };
  }
  return { properties };
}

/**
 * The policy's default level. An optional control's is what it has once turned on, so a setting in
 * `--policy-pack-config` enforces it without also naming an enforcementLevel; until then the
 * policy judges nothing (`turnedOn`).
 */
function packEnforcement(control: Control): EnforcementLevel {
  return control.optional === true ? enforcementByRank(control) : defaultEnforcement(control);
}

function framework(control: Control): PolicyComplianceFramework | undefined {
  const r = control.references;
  if (r.pss !== undefined) {
    return {
      name: "Kubernetes Pod Security Standards",
      version: control.level,
      reference: r.pss,
      specification: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    };
  }
  if (r.cis !== undefined)
    return {
      name: "CIS Kubernetes Benchmark",
      version: "1.10",
      reference: r.cis,
      specification: "Section 5: Policies",
    };
  if (r.nsaCisa !== undefined) {
    return {
      name: "NSA/CISA Kubernetes Hardening Guidance",
      version: "1.2",
      reference: r.nsaCisa,
      specification: "Kubernetes Hardening Guidance",
    };
  }
  return undefined;
}

/** The props as a KubeObject: apiVersion and kind come from the type token when inputs lack them. */
export function asKubeObject(props: Record<string, unknown>, type: KubeType): KubeObject {
  return new Proxy(props, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop === "apiVersion" && typeof value !== "string") return type.apiVersion;
      if (prop === "kind" && typeof value !== "string") return type.kind;
      return value;
    },
  }) as KubeObject;
}

/** The control's settings: declared defaults overlaid with the policy's config. */
function settingsOf(control: Control, raw: PolicySettings): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of Object.entries(control.config ?? {}))
    out[name] = raw[name] !== undefined ? (raw[name] as JsonValue) : p.default;
  return out;
}

function exemptionsConfig(control: Control, raw: PolicySettings): PalisadeConfig {
  const list = Array.isArray(raw.exemptions) ? raw.exemptions : [];
  return { exemptions: list.map((e) => ({ ...e, controls: [control.id] })) };
}

/** Reads a dotted/bracketed finding path (`a.b[0]["x/y"]`) and says whether the field is set. */
export function pathIsSet(object: unknown, path: string): boolean {
  const tokens = path.match(/[^.[\]]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? [];
  let current: unknown = object;
  for (const token of tokens) {
    const key = token.startsWith('["')
      ? (JSON.parse(token.slice(1, -1)) as string)
      : token.startsWith("[")
        ? Number(token.slice(1, -1))
        : token;
    if (current === null || typeof current !== "object") return false;
    current = (current as Record<string | number, unknown>)[key];
    if (current === undefined) return false;
  }
  return true;
}

function exemptionOf(control: Control, object: KubeObject, raw: PolicySettings, now: Date): Exemption | undefined {
  const annotated = annotationExemptions(object, now);
  if (annotated.controls.has(control.id)) return annotated.exemption;
  const config = exemptionsConfig(control, raw);
  // Only a configured exemption needs the object's name and namespace: an unknown namespace
  // must not turn a certain violation into "can't run during preview".
  if ((config.exemptions ?? []).length === 0) return undefined;
  const ref = resourceRef(object);
  return configExemption(config, control.id, ref, ref.namespace ?? "default", now);
}

/** An annotation exemption of a control this one overrides, for the field of this violation. */
function supersededOf(control: ResourceControl, object: KubeObject, v: Violation, now: Date): Exemption | undefined {
  const annotated = annotationExemptions(object, now);
  if (annotated.exemption === undefined) return undefined;
  return supersededExemption(
    control,
    v,
    (id) => (annotated.controls.has(id) ? annotated.exemption : undefined),
    (id) => {
      const overridden = defaultCatalog.find((c) => c.id === id);
      return overridden?.scope === "resource" ? checkResource(overridden, object, {}).map((x) => x.path) : [];
    },
  );
}

/** The config exemption of this control that covered the object but has lapsed (for the audit trail). */
function lapsedOf(control: Control, object: KubeObject, raw: PolicySettings, now: Date): ConfigExemption | undefined {
  const config = exemptionsConfig(control, raw);
  if ((config.exemptions ?? []).length === 0) return undefined;
  const ref = resourceRef(object);
  return lapsedConfigExemption(config, control.id, ref, ref.namespace ?? "default", now);
}

/**
 * The audit trail of one pack run. @pulumi/policy's server runs a resource's policies one after
 * another in the order given, and likewise the stack policies, so the control policies record
 * here what they exempted and `palisade-exemptions`, last in the list, reports it: a policy sees
 * only its own config, so only the control's own policy knows its config exemptions.
 */
class ExemptionLedger {
  private readonly byUrn = new Map<string, string[]>();
  private stack: { readonly text: string; readonly urn?: string }[] = [];

  exempted(control: Control, exemption: Exemption, v: Violation): string {
    const until = exemption.until !== undefined ? ` until ${exemption.until}` : "";
    const via = exemption.via !== undefined ? `, via ${exemption.via}` : "";
    return `exempted ${control.id} by ${exemption.source}${until}${via} (${exemption.reason}): ${describeViolation(v)}`;
  }

  lapsed(control: Control, e: ConfigExemption): string {
    return `the config exemption of ${control.id} (${e.reason}) lapsed on ${e.until ?? ""}: its findings are enforced again`;
  }

  addResource(urn: string, text: string): void {
    const list = this.byUrn.get(urn) ?? [];
    // Bounded: a run whose palisade-exemptions policy is disabled never takes its entries.
    if (list.length < 1000) list.push(text);
    if (this.byUrn.size < 100_000) this.byUrn.set(urn, list);
  }

  takeResource(urn: string): string[] {
    const list = this.byUrn.get(urn) ?? [];
    this.byUrn.delete(urn);
    return list;
  }

  addStack(text: string, urn: string | undefined): void {
    if (this.stack.length < 100_000) this.stack.push(urn === undefined ? { text } : { text, urn });
  }

  takeStack(): { readonly text: string; readonly urn?: string }[] {
    const list = this.stack;
    this.stack = [];
    return list;
  }
}

function describeViolation(v: Violation): string {
  return v.path ? `${v.message} (at ${v.path})` : v.message;
}

/** Runs a resource control on the object; UnknownValueError goes on to the policy server. */
function contextOf(control: ResourceControl, object: KubeObject, raw: PolicySettings): CheckContext {
  return {
    level: "hardened",
    policyVersion: parsePolicyVersion(typeof raw.psaVersion === "string" ? raw.psaVersion : "latest") ?? LATEST,
    config: settingsOf(control, raw),
    pod: podView(object),
  };
}

function checkResource(control: ResourceControl, object: KubeObject, raw: PolicySettings): Violation[] {
  const ctx = contextOf(control, object, raw);
  // As in the engine (and PSA): a check newer than the configured policy version does not run.
  if ((control.minPolicyVersion ?? 0) > ctx.policyVersion) return [];
  try {
    return control.check(object, ctx);
  } catch (error) {
    if (error instanceof UnknownValueError) throw error;
    // Fail closed: an odd shape that breaks a control is a violation, not a pass.
    return [
      {
        message: `internal error while checking (failing closed): ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
}

function resourcePolicy(control: ResourceControl, now: () => Date, ledger: ExemptionLedger): ResourceValidationPolicy {
  const applies = (type: string): KubeType | undefined => {
    const kt = parseTypeToken(type);
    return kt !== undefined && control.kinds.includes(kt.kind) ? kt : undefined;
  };
  const policy: ResourceValidationPolicy = {
    name: control.id,
    description: `${control.title} (${control.references.catalog}, ${control.level})`,
    enforcementLevel: packEnforcement(control),
    severity: control.severity,
    remediationSteps: control.remediation,
    tags: [control.family, control.level],
    configSchema: configSchema(control),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      const kt = applies(args.type);
      if (kt === undefined) return;
      const raw = args.getConfig<PolicySettings>();
      if (!turnedOn(control, raw)) return;
      const object = asKubeObject(args.props, kt);
      let violations = checkResource(control, object, raw);
      // A patch changes only the fields it sets: "must set X" cannot be judged from it, a bad X can.
      if (kt.patch) violations = violations.filter((v) => v.path !== undefined && pathIsSet(object, v.path));
      if (violations.length === 0) return;
      const exemption = exemptionOf(control, object, raw, now());
      if (exemption !== undefined) {
        for (const v of violations) ledger.addResource(args.urn, ledger.exempted(control, exemption, v));
        return;
      }
      const lapsed = lapsedOf(control, object, raw, now());
      if (lapsed !== undefined) ledger.addResource(args.urn, ledger.lapsed(control, lapsed));
      for (const v of violations) {
        // An annotation exempting a control this one supersedes covers the same field here too
        // (a policy sees only its own config, so config exemptions name the policy that reports).
        const inherited = control.overrides === undefined ? undefined : supersededOf(control, object, v, now());
        if (inherited !== undefined) ledger.addResource(args.urn, ledger.exempted(control, inherited, v));
        else report(describeViolation(v));
      }
    },
  };
  const fw = framework(control);
  if (fw !== undefined) policy.framework = fw;
  const fix = control.fix;
  if (fix !== undefined) {
    policy.remediateResource = (args: ResourceValidationArgs) => {
      const kt = applies(args.type);
      if (kt === undefined || kt.patch) return undefined;
      const raw = args.getConfig<PolicySettings>();
      if (!turnedOn(control, raw)) return undefined;
      const object = asKubeObject(args.props, kt);
      if (checkResource(control, object, raw).length === 0) return undefined;
      if (exemptionOf(control, object, raw, now()) !== undefined) return undefined;
      // Fix the unwrapped inputs: secrets stay Secret instances, unknown sentinels stay as they are.
      const plain = unwrapProxies(args.props);
      const input: KubeObject = { ...plain, apiVersion: String(object.apiVersion), kind: String(object.kind) };
      return fix(input, contextOf(control, input, raw)) as Record<string, unknown>;
    };
  }
  return policy;
}

function stackPolicy(control: StackControl, now: () => Date, ledger: ExemptionLedger): StackValidationPolicy {
  const policy: StackValidationPolicy = {
    name: control.id,
    description: `${control.title} (${control.references.catalog}, ${control.level})`,
    enforcementLevel: packEnforcement(control),
    severity: control.severity,
    remediationSteps: control.remediation,
    tags: [control.family, control.level, "stack"],
    configSchema: configSchema(control),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const raw = args.getConfig<PolicySettings>();
      if (!turnedOn(control, raw)) return;
      const objects: KubeObject[] = [];
      const urns = new Map<KubeObject, string>();
      const patches = new Set<KubeObject>();
      for (const r of args.resources) {
        const kt = parseTypeToken(r.type);
        if (kt === undefined) continue; // component resources (ConfigGroup, Chart) have empty props; their children come on their own
        const object = asKubeObject(r.props, kt);
        objects.push(object);
        urns.set(object, r.urn);
        if (kt.patch) patches.add(object);
      }
      const stack = new StackIndex(objects, { isPatch: (o) => patches.has(o) });
      let violations: Violation[];
      try {
        violations = control.checkStack(stack, {
          level: "hardened",
          config: settingsOf(control, raw),
          policyVersion: parsePolicyVersion(typeof raw.psaVersion === "string" ? raw.psaVersion : "latest") ?? LATEST,
        });
      } catch (error) {
        if (error instanceof UnknownValueError) throw error;
        report(
          `internal error while checking the stack (failing closed): ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
      for (const v of violations) {
        const target = v.object ?? {};
        const urn = urns.get(target);
        const where = urn === undefined ? `${resourceRef(target).kind} ${resourceRef(target).name ?? ""}: ` : "";
        const exemption = exemptionOf(control, target, raw, now());
        if (exemption !== undefined) {
          ledger.addStack(`${where}${ledger.exempted(control, exemption, v)}`, urn);
          continue;
        }
        const lapsed = lapsedOf(control, target, raw, now());
        if (lapsed !== undefined) ledger.addStack(`${where}${ledger.lapsed(control, lapsed)}`, urn);
        report(`${where}${describeViolation(v)}`, urn);
      }
    },
  };
  const fw = framework(control);
  if (fw !== undefined) policy.framework = fw;
  return policy;
}

/**
 * The audit trail: an advisory policy, last in the pack, that lists every finding an exemption
 * let through (annotation or config, resource or stack control) with its reason and end date,
 * every config exemption that lapsed, and every exemption annotation that is itself wrong (no
 * reason, a bad or past date, an unknown control).
 */
function exemptionsPolicy(
  controls: readonly Control[],
  now: () => Date,
  ledger: ExemptionLedger,
  configuredNames: () => readonly string[],
): ResourceValidationPolicy & StackValidationPolicy {
  const known = new Set([...controls, ...defaultCatalog].map((c) => c.id));
  return {
    name: EXEMPTIONS_POLICY,
    description:
      "Findings exempted by annotation or config (an audit trail), lapsed and invalid exemptions, and config names that match no policy",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Review each exemption and its reason; remove it when the workload can meet the control.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      const recorded = ledger.takeResource(args.urn);
      const kt = parseTypeToken(args.type);
      if (kt !== undefined) {
        const object = asKubeObject(args.props, kt);
        const annotations = object.metadata?.annotations;
        if (isRecord(annotations) && annotations[EXEMPT_ANNOTATION] !== undefined) {
          const exempt = annotationExemptions(object, now());
          for (const p of exempt.problems) report(p);
          for (const id of exempt.listed) if (!known.has(id)) report(`${EXEMPT_ANNOTATION} names no control "${id}"`);
        }
      }
      for (const text of recorded) report(text);
    },
    validateStack: (_args: StackValidationArgs, report: ReportViolation) => {
      for (const name of configuredNames())
        if (name !== "all" && name !== EXEMPTIONS_POLICY && !known.has(name))
          report(
            `--policy-pack-config names no policy "${name}" (a Palisade control id, or all): its settings are ignored`,
          );
      for (const { text, urn } of ledger.takeStack()) report(text, urn);
    },
  };
}

export function buildPolicies(options: PolicyOptions = {}): Policies {
  const controls = options.controls ?? defaultCatalog;
  const now = options.now ?? (() => new Date());
  const ledger = new ExemptionLedger();
  return [
    ...controls.map((c) => (c.scope === "resource" ? resourcePolicy(c, now, ledger) : stackPolicy(c, now, ledger))),
    // Last: it reports what the policies before it recorded for the same resource or stack.
    exemptionsPolicy(controls, now, ledger, options.configuredNames ?? (() => [])),
  ];
}
