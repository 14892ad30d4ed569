/**
 * Exemptions: per object by annotation, per config by pattern. An exemption never hides a
 * finding: the finding is kept and marked, so the report is an audit trail.
 */
import type { ConfigExemption, PalisadeConfig } from "./config";
import { isValidDate } from "./config";
import type { Control } from "./control";
import type { Exemption, KubeObject, ResourceRef, Violation } from "./types";

export const EXEMPT_ANNOTATION = "palisade.dev/exempt";
export const EXEMPT_REASON_ANNOTATION = "palisade.dev/exempt-reason";
export const EXEMPT_UNTIL_ANNOTATION = "palisade.dev/exempt-until";

export interface AnnotationExemptions {
  /** Control ids the object is validly exempted from. */
  readonly controls: ReadonlySet<string>;
  readonly exemption?: Exemption;
  /** Problems with the annotations themselves: a missing reason, a bad or lapsed date. */
  readonly problems: readonly string[];
  /** Every id listed, valid or not (to warn about unknown ids). */
  readonly listed: readonly string[];
}

const NONE: AnnotationExemptions = { controls: new Set(), problems: [], listed: [] };

/** Today as YYYY-MM-DD in UTC. */
export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function annotationExemptions(object: KubeObject, now: Date): AnnotationExemptions {
  const annotations = object.metadata?.annotations;
  if (annotations === undefined || annotations === null || typeof annotations !== "object") return NONE;
  const list = annotations[EXEMPT_ANNOTATION];
  if (typeof list !== "string") return NONE;
  const listed = list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const reason = annotations[EXEMPT_REASON_ANNOTATION];
  const until = annotations[EXEMPT_UNTIL_ANNOTATION];
  const problems: string[] = [];
  if (typeof reason !== "string" || reason.trim() === "") {
    problems.push(`${EXEMPT_ANNOTATION} is ignored: ${EXEMPT_REASON_ANNOTATION} is required`);
  }
  if (until !== undefined) {
    if (typeof until !== "string" || !isValidDate(until))
      problems.push(`${EXEMPT_ANNOTATION} is ignored: ${EXEMPT_UNTIL_ANNOTATION} must be a date YYYY-MM-DD`);
    else if (until < today(now)) problems.push(`${EXEMPT_ANNOTATION} lapsed on ${until}`);
  }
  if (problems.length > 0) return { controls: new Set(), problems, listed };
  const exemption: Exemption = { source: "annotation", reason: (reason as string).trim() };
  if (typeof until === "string") (exemption as { until?: string }).until = until;
  return { controls: new Set(listed), exemption, problems, listed };
}

/** Compiled globs: the same few patterns are matched against every object. */
const globCache = new Map<string, RegExp>();

/** Glob with `*` and `?`, anchored. */
export function globMatch(pattern: string, text: string): boolean {
  let compiled = globCache.get(pattern);
  if (compiled === undefined) {
    let re = "^";
    for (const ch of pattern) re += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    compiled = new RegExp(`${re}$`);
    if (globCache.size < 10_000) globCache.set(pattern, compiled);
  }
  return compiled.test(text);
}

function matchesAny(patterns: readonly string[] | undefined, value: string | undefined): boolean {
  if (patterns === undefined) return true;
  return value !== undefined && patterns.some((p) => globMatch(p, value));
}

/** The config exemptions whose patterns cover this control on this resource, lapsed or not. */
function coveringConfigExemptions(
  config: PalisadeConfig,
  controlId: string,
  resource: ResourceRef,
  namespace: string | undefined,
): ConfigExemption[] {
  return (config.exemptions ?? ([] as ConfigExemption[])).filter(
    (e) =>
      (e.controls.includes("*") || e.controls.includes(controlId)) &&
      matchesAny(e.namespaces, namespace) &&
      matchesAny(e.names, resource.name) &&
      (e.kinds === undefined || e.kinds.includes(resource.kind)),
  );
}

/** The first config exemption covering this control on this resource that has not lapsed. */
export function configExemption(
  config: PalisadeConfig,
  controlId: string,
  resource: ResourceRef,
  namespace: string | undefined,
  now: Date,
): Exemption | undefined {
  const day = today(now);
  const e = coveringConfigExemptions(config, controlId, resource, namespace).find(
    (x) => x.until === undefined || x.until >= day,
  );
  if (e === undefined) return undefined;
  return e.until !== undefined
    ? { source: "config", reason: e.reason, until: e.until }
    : { source: "config", reason: e.reason };
}

/**
 * A config exemption that would cover this control on this resource but has lapsed, when no
 * valid one does: the finding is enforced again, and the audit trail says why.
 */
export function lapsedConfigExemption(
  config: PalisadeConfig,
  controlId: string,
  resource: ResourceRef,
  namespace: string | undefined,
  now: Date,
): ConfigExemption | undefined {
  const day = today(now);
  const covering = coveringConfigExemptions(config, controlId, resource, namespace);
  if (covering.some((x) => x.until === undefined || x.until >= day)) return undefined;
  return covering[0];
}

/**
 * An exemption carried over from a control this one supersedes: a restricted control that
 * overrides a baseline one (PSA's OverrideCheckIDs: pod-volume-types over pod-host-path,
 * pod-capabilities-restricted over pod-capabilities-baseline) reports the same field the
 * baseline control would have, so an exemption of the baseline control covers that finding —
 * for that field only (the overridden control, run on the object, flags the same path), never
 * the stricter control's other findings.
 */
export function supersededExemption(
  control: Control,
  violation: Violation,
  exemptionOf: (controlId: string) => Exemption | undefined,
  flaggedPaths: (controlId: string) => readonly (string | undefined)[],
): Exemption | undefined {
  if (violation.path === undefined) return undefined;
  for (const id of control.overrides ?? []) {
    const exemption = exemptionOf(id);
    if (exemption === undefined) continue;
    if (flaggedPaths(id).includes(violation.path)) return { ...exemption, via: id };
  }
  return undefined;
}
