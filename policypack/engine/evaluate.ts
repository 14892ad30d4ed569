/**
 * evaluate(objects, options) → findings. One pass over the objects for the resource controls
 * (each object's pod view, namespace and exemptions computed once), one index for the stack
 * controls; no work quadratic in the number of objects.
 */
import type { CheckContext, Control, ResourceControl, StackControl } from "./control";
import { controlConfig, type PalisadeConfig } from "./config";
import { effectiveEnforcement } from "../enforcement";
import {
  annotationExemptions,
  configExemption,
  supersededExemption,
  today,
  type AnnotationExemptions,
} from "./exemptions";
import { describe, isBuiltinKind, resourceRef } from "./kinds";
import { levelIncludes } from "./levels";
import { isRecord } from "./access";
import { isListObject } from "./parse";
import { LATEST, parsePolicyVersion, type PolicyVersion } from "./psa-version";
import { shapeErrors } from "./shape";
import { StackIndex } from "./stack";
import type {
  Exemption,
  Finding,
  KubeObject,
  Level,
  Severity,
  SkippedObject,
  SourceLocation,
  Violation,
} from "./types";

/** Pseudo-control of findings about objects whose fields have the wrong types. */
export const INVALID_INPUT = "invalid-input";

export interface EvaluateOptions {
  /** @default "hardened" (or the config's level) */
  readonly level?: Level;
  readonly config?: PalisadeConfig;
  /** @default the whole catalog */
  readonly controls: readonly Control[];
  /** Where each object came from (file and line), for findings. */
  readonly sourceOf?: (object: KubeObject) => SourceLocation | undefined;
  /** Objects that patch an existing object (Pulumi `*Patch` resources). */
  readonly isPatch?: (object: KubeObject) => boolean;
  /** The clock for `exempt-until`. @default new Date() */
  readonly now?: Date;
}

export interface Summary {
  readonly level: Level;
  readonly controls: number;
  readonly objects: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly findings: number;
  readonly exempted: number;
  /** Unexempted findings, mandatory and advisory. */
  readonly failing: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Unexempted findings by enforcement: mandatory ones make `palisade check` exit 1 by default. */
  readonly byEnforcement: Readonly<Record<"mandatory" | "advisory", number>>;
}

export interface EvaluationResult {
  readonly findings: Finding[];
  readonly skipped: SkippedObject[];
  readonly warnings: string[];
  readonly summary: Summary;
}

/**
 * Whether a control runs: `enabled` decides when given; otherwise an optional control runs once
 * the config gives it any setting (listing registries turns the registry allowlist on).
 */
export function isEnabled(control: Control, config: PalisadeConfig): boolean {
  return effectiveEnforcement(control, config) !== "disabled";
}

/**
 * Flattens `v1/List` (and typed lists) recursively. Entries that are not objects with a string
 * apiVersion and kind are handed to `onInvalid` (callers other than the CLI can pass anything).
 */
export function flattenLists(
  objects: readonly unknown[],
  onInvalid: (message: string) => void = () => {},
): KubeObject[] {
  const out: KubeObject[] = [];
  const visit = (o: unknown, where: string): void => {
    if (!isRecord(o) || typeof o["apiVersion"] !== "string" || typeof o["kind"] !== "string") {
      onInvalid(`${where} is not a Kubernetes object (a mapping with string apiVersion and kind)`);
      return;
    }
    const object = o as KubeObject;
    if (isListObject(object)) (object["items"] as unknown[]).forEach((item, i) => visit(item, `${where}.items[${i}]`));
    else out.push(object);
  };
  objects.forEach((o, i) => visit(o, `object ${i}`));
  return out;
}

/** The PSA policy version that applies to objects in a namespace. */
export function namespacePolicyVersion(namespace: KubeObject | undefined, fallback: PolicyVersion): PolicyVersion {
  const label = namespace?.metadata?.labels?.["pod-security.kubernetes.io/enforce-version"];
  if (typeof label !== "string") return fallback;
  return parsePolicyVersion(label) ?? fallback;
}

/**
 * Which resource controls run for a kind at a level and policy version: controls above the
 * level, or newer than the version, do not; PSA overrides remove the Baseline twin of a
 * Restricted check that runs.
 */
export function activeControls(
  controls: readonly ResourceControl[],
  kind: string,
  level: Level,
  version: PolicyVersion,
): ResourceControl[] {
  const candidates = controls.filter(
    (c) => c.kinds.includes(kind) && levelIncludes(level, c.level) && (c.minPolicyVersion ?? 0) <= version,
  );
  const overridden = new Set(candidates.flatMap((c) => c.overrides ?? []));
  return candidates.filter((c) => !overridden.has(c.id));
}

export function evaluate(input: readonly KubeObject[], options: EvaluateOptions): EvaluationResult {
  const config = options.config ?? {};
  const level: Level = options.level ?? config.level ?? "hardened";
  const now = options.now ?? new Date();
  const fallbackVersion = parsePolicyVersion(config.psaVersion ?? "latest") ?? LATEST;
  const enabled = options.controls.filter((c) => isEnabled(c, config));
  const resourceControls = enabled.filter((c): c is ResourceControl => c.scope === "resource");
  const stackControls = enabled.filter((c): c is StackControl => c.scope === "stack" && levelIncludes(level, c.level));
  const configs = new Map(enabled.map((c) => [c.id, controlConfig(c, config)]));
  const knownIds = new Set(options.controls.map((c) => c.id));
  const enforcements = new Map<string, "mandatory" | "advisory">();
  // Only enabled controls run, so their enforcement is never "disabled".
  const enforcementOf = (control: Control): "mandatory" | "advisory" => {
    let e = enforcements.get(control.id);
    if (e === undefined) {
      e = effectiveEnforcement(control, config) === "mandatory" ? "mandatory" : "advisory";
      enforcements.set(control.id, e);
    }
    return e;
  };

  const invalidObjects: string[] = [];
  const objects = flattenLists(input, (m) => invalidObjects.push(m));
  const stack = new StackIndex(objects, {
    defaultNamespace: config.defaultNamespace,
    isPatch: options.isPatch,
    podTemplatePaths: config.podTemplatePaths,
  });
  const findings: Finding[] = [];
  const skipped: SkippedObject[] = [];
  const warnings: string[] = [];
  const exemptionCache = new Map<KubeObject, AnnotationExemptions>();
  const activeCache = new Map<string, ResourceControl[]>();
  const inspectedKinds = new Set(enabled.flatMap((c) => c.kinds));

  const exemptionsOf = (object: KubeObject): AnnotationExemptions => {
    let e = exemptionCache.get(object);
    if (e === undefined) {
      e = annotationExemptions(object, now);
      exemptionCache.set(object, e);
      const where = describe(resourceRef(object));
      for (const p of e.problems) warnings.push(`${where}: ${p}`);
      for (const id of e.listed)
        if (!knownIds.has(id)) warnings.push(`${where}: palisade.dev/exempt names no control ${JSON.stringify(id)}`);
    }
    return e;
  };

  const record = (control: Control | undefined, object: KubeObject, v: Violation, extra?: Partial<Finding>): void => {
    const target = v.object ?? object;
    const resource = resourceRef(target);
    const finding: Finding = {
      control: control?.id ?? INVALID_INPUT,
      level: control?.level ?? "baseline",
      severity: control?.severity ?? "high",
      message: v.message,
      resource,
      ...extra,
    };
    if (v.path !== undefined) finding.path = v.path;
    finding.enforcement = control === undefined ? "mandatory" : enforcementOf(control);
    const source = options.sourceOf?.(target);
    if (source !== undefined) finding.source = source;
    if (control !== undefined) {
      const annotated = exemptionsOf(target);
      const exemptionFor = (id: string): Exemption | undefined =>
        annotated.controls.has(id)
          ? annotated.exemption
          : configExemption(config, id, resource, stack.namespaceOf(target), now);
      const exemption =
        exemptionFor(control.id) ??
        (control.overrides !== undefined && currentContext !== undefined
          ? supersededExemption(control, v, exemptionFor, (id) =>
              overriddenPaths(id, target, currentContext as CheckContext),
            )
          : undefined);
      if (exemption !== undefined) {
        finding.exempted = exemption;
        used.add(usedKey(target, exemption.via ?? control.id, exemption));
      }
    }
    findings.push(finding);
  };

  // Exemptions that matched a finding, to report those that matched nothing at this level.
  const used = new Set<string>();
  const usedKey = (object: KubeObject, id: string, e: Exemption): string =>
    e.source === "annotation" ? `a\u0000${describe(resourceRef(object))}\u0000${id}` : `c\u0000${e.reason}`;
  const byId = new Map(options.controls.map((c) => [c.id, c]));
  /** The paths a control overridden at this level would flag on the object (it does not run otherwise). */
  const overriddenPaths = (id: string, object: KubeObject, ctx: CheckContext): (string | undefined)[] => {
    const overridden = byId.get(id);
    if (overridden === undefined || overridden.scope !== "resource") return [];
    try {
      const c = { ...ctx, config: configs.get(id) ?? controlConfig(overridden, config) };
      return overridden.check(object, c).map((x) => x.path);
    } catch {
      return [];
    }
  };

  for (const message of invalidObjects) {
    findings.push({
      control: INVALID_INPUT,
      level: "baseline",
      severity: "high",
      message,
      resource: { apiVersion: "", kind: "" },
      enforcement: "mandatory",
    });
  }

  // One reporter for every resource control run (not a closure per object and control): it
  // records against the control and object being run, which runResourceControl reports synchronously.
  let currentControl: ResourceControl | undefined;
  let currentContext: CheckContext | undefined;
  let currentObject: KubeObject = {};
  const reportCurrent = (v: Violation, extra?: Partial<Finding>): void =>
    record(currentControl, currentObject, v, extra);

  let evaluated = 0;
  for (const object of objects) {
    const kind = typeof object.kind === "string" ? object.kind : "";
    const pod = stack.pod(object);
    if (!isBuiltinKind(object) && pod === undefined) {
      const source = options.sourceOf?.(object);
      skipped.push({
        resource: resourceRef(object),
        reason: `custom resource or unknown kind ${String(object.apiVersion)}/${kind}: passed over by design`,
        ...(source ? { source } : {}),
      });
      continue;
    }
    if (!inspectedKinds.has(kind) && pod === undefined) {
      const source = options.sourceOf?.(object);
      skipped.push({
        resource: resourceRef(object),
        reason: `no control inspects kind ${kind}`,
        ...(source ? { source } : {}),
      });
      continue;
    }
    evaluated++;
    const shape = shapeErrors(object, pod);
    if (shape.length > 0) {
      for (const s of shape) record(undefined, object, { message: s.message, path: s.path });
      continue;
    }
    exemptionsOf(object);
    const namespaceName = stack.namespaceOf(object);
    const namespace = namespaceName !== undefined ? stack.namespaces.get(namespaceName) : undefined;
    const version = namespacePolicyVersion(namespace, fallbackVersion);
    const cacheKey = `${kind}\u0000${version}`;
    let active = activeCache.get(cacheKey);
    if (active === undefined) {
      // A custom pod-bearing kind (podTemplatePaths) gets the controls of a controller's pod template.
      active = activeControls(resourceControls, isBuiltinKind(object) ? kind : "Deployment", level, version);
      activeCache.set(cacheKey, active);
    }
    currentObject = object;
    for (const control of active) {
      const ctx: CheckContext = {
        level,
        policyVersion: version,
        config: configs.get(control.id) ?? {},
        pod,
        namespace,
        defaultNamespace: stack.defaultNamespace,
      };
      currentControl = control;
      currentContext = ctx;
      runResourceControl(control, object, ctx, reportCurrent);
    }
  }
  currentContext = undefined;

  for (const control of stackControls) {
    try {
      const violations = control.checkStack(stack, {
        level,
        config: configs.get(control.id) ?? {},
        policyVersion: fallbackVersion,
      });
      for (const v of violations) record(control, v.object ?? {}, v);
    } catch (error) {
      warnings.push(`stack control ${control.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      record(
        control,
        {},
        { message: `internal error in stack control: ${errorMessage(error)}` },
        { internalError: true, error },
      );
    }
  }

  for (const object of objects) {
    const annotated = exemptionCache.get(object);
    if (annotated?.exemption === undefined) continue;
    for (const id of annotated.controls)
      if (knownIds.has(id) && !used.has(usedKey(object, id, annotated.exemption)))
        warnings.push(
          `${describe(resourceRef(object))}: palisade.dev/exempt names ${id}, which reports nothing on it at level ${level}: remove it from the list`,
        );
  }
  (config.exemptions ?? []).forEach((e, i) => {
    if (e.until !== undefined && e.until < today(now)) {
      warnings.push(`exemptions[${i}] (${e.reason}) lapsed on ${e.until}: the findings it covered are reported again`);
      return;
    }
    if (!used.has(`c\u0000${e.reason}`))
      warnings.push(
        `exemptions[${i}] (${e.reason}) matched no finding at level ${level}: remove it, or check its patterns`,
      );
  });

  const bySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  const byEnforcement = { mandatory: 0, advisory: 0 };
  let exempted = 0;
  for (const f of findings) {
    if (f.exempted !== undefined) exempted++;
    else {
      bySeverity[f.severity]++;
      byEnforcement[f.enforcement ?? "mandatory"]++;
    }
  }
  return {
    findings,
    skipped,
    warnings,
    summary: {
      level,
      controls: resourceControls.filter((c) => levelIncludes(level, c.level)).length + stackControls.length,
      objects: objects.length,
      evaluated,
      skipped: skipped.length,
      findings: findings.length,
      exempted,
      failing: findings.length - exempted,
      bySeverity,
      byEnforcement,
    },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one resource control on one object; a control that throws fails closed as an
 * internal-error finding (the thrown value rides along for adapters), and the others still run.
 */
export function runResourceControl(
  control: ResourceControl,
  object: KubeObject,
  ctx: CheckContext,
  report: (violation: Violation, extra?: Partial<Finding>) => void,
): void {
  let violations: Violation[];
  try {
    violations = control.check(object, ctx);
  } catch (error) {
    report({ message: `internal error while checking: ${errorMessage(error)}` }, { internalError: true, error });
    return;
  }
  for (const v of violations) report(v);
}
