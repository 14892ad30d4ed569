/**
 * Upgrade readiness: what a set of manifests meets when the cluster moves to Kubernetes v1.N.
 * Three questions, one report (`palisade upgrade`, the `upgrade-readiness` stack control):
 *
 * - API versions the target no longer serves, or serves while a replacement is due (the shared
 *   removal table, apis.ts);
 * - Pod Security drift: pods and pod templates whose verdict changes between two PSA policy
 *   versions, judged by the catalog's own pod-security controls through the engine's own
 *   selection (`activeControls`: level, `minPolicyVersion`, overrides) — nothing re-implemented;
 * - pins that lag the target by more than one minor, and namespaces that float with the cluster.
 *
 * Plain data, no I/O. Palisade's own exemptions are not applied: PodSecurity admission does not
 * read them, and this report predicts what admission does.
 */
import type { CheckContext, Control, ResourceControl } from "../../engine/control";
import { controlConfig, type PalisadeConfig } from "../../engine/config";
import { activeControls, runResourceControl } from "../../engine/evaluate";
import { isBuiltinKind, resourceRef } from "../../engine/kinds";
import { formatPolicyVersion, type PolicyVersion } from "../../engine/psa-version";
import type { StackIndex, WorkloadEntry } from "../../engine/stack";
import type { KubeObject, ResourceRef } from "../../engine/types";
import { applyLabels } from "../../controls/namespace/namespaces";
import { parseLevel, parseVersion, type PsaLevel } from "../../controls/namespace/psa";
import { podSecurityControls } from "../../controls/pod-security";
import { isRecord } from "../../engine/access";
import { advisedVersion, apiStatus, deprecatedApiOf, type MovedField } from "./apis";

/** The concrete paths (`spec.rules[0].http…`) at which an object sets a field pattern with `[*]` steps. */
export function findPaths(object: unknown, pattern: string): string[] {
  const steps = pattern.split(".");
  const out: string[] = [];
  const walk = (value: unknown, i: number, at: string): void => {
    if (value === undefined || value === null) return;
    if (i === steps.length) {
      out.push(at);
      return;
    }
    const step = steps[i]!;
    const list = step.endsWith("[*]");
    const key = list ? step.slice(0, -3) : step;
    if (!isRecord(value)) return;
    const next = value[key];
    const here = at === "" ? key : `${at}.${key}`;
    if (!list) walk(next, i + 1, here);
    else if (Array.isArray(next)) next.forEach((item, n) => walk(item, i + 1, `${here}[${n}]`));
  };
  walk(object, 0, "");
  return out;
}

function movedFields(object: KubeObject, moved: readonly MovedField[] | undefined): { path: string; to: string }[] {
  return (moved ?? []).flatMap((m) => findPaths(object, m.from).map((path) => ({ path, to: m.to })));
}

export type PsaMode = "enforce" | "audit" | "warn";
export const PSA_MODES: readonly PsaMode[] = ["enforce", "audit", "warn"];

export interface UpgradeOptions {
  /** The target Kubernetes minor (1.N → N). */
  readonly to: number;
  /**
   * The minor the cluster runs now: what namespaces without a pin are judged at today.
   * @default the oldest version the namespaces pin, else the config's psaVersion (undefined: no floating drift)
   */
  readonly from?: number;
  /** For the pod-security controls' settings (none today) and nothing else. */
  readonly config?: PalisadeConfig;
  /** @default the catalog's pod-security family */
  readonly controls?: readonly Control[];
}

export interface ApiItem {
  readonly object: KubeObject;
  readonly resource: ResourceRef;
  readonly status: "removed" | "deprecated";
  readonly apiVersion: string;
  readonly kind: string;
  readonly removedIn: number;
  /** The newest replacement the target serves. */
  readonly replacement: string;
  /** Fields that moved with the version change. */
  readonly changes?: string;
  /** The fields this object sets in the old shape, with where the replacement takes them. */
  readonly moved: readonly { readonly path: string; readonly to: string }[];
  readonly message: string;
}

export interface DriftItem {
  readonly object: KubeObject;
  readonly resource: ResourceRef;
  readonly namespace: string;
  /** The PSA modes whose label pair (level, version) gives this verdict. */
  readonly modes: readonly PsaMode[];
  readonly level: "baseline" | "restricted";
  /** The version label as written: `v1.24`, `latest`, or `unset`. */
  readonly pinned: string;
  /** The policy version the verdict is taken at today, and at the target. */
  readonly from: number;
  readonly to: number;
  /** `upgrade`: the namespace floats, the cluster upgrade itself changes the verdict; `raise-pin`: only raising the pin does. */
  readonly trigger: "upgrade" | "raise-pin";
  readonly verdict: "newly-rejected" | "newly-allowed";
  /** Controls failing on the failing side (at the target when newly rejected, today when newly allowed). */
  readonly checks: readonly string[];
  /** Their messages, with the field path. */
  readonly details: readonly string[];
  /** Pods rejected by enforce once the cluster runs the target, with no one touching a label. */
  readonly breaking: boolean;
  readonly message: string;
}

export interface PinItem {
  readonly object: KubeObject;
  readonly namespace: string;
  /** Undefined for a namespace with no pod-security label at all. */
  readonly mode?: PsaMode;
  readonly kind: "lagging" | "unpinned" | "unlabelled";
  readonly pinned?: string;
  readonly path?: string;
  readonly message: string;
}

export interface UpgradeReport {
  readonly from?: number;
  readonly to: number;
  readonly apis: readonly ApiItem[];
  readonly drift: readonly DriftItem[];
  readonly pins: readonly PinItem[];
  /** What the analysis could not judge (pods of namespaces the set does not declare, …). */
  readonly notes: readonly string[];
  /** Items that break at the target: removed APIs, pods newly rejected by a floating enforce. */
  readonly breaking: number;
}

const LABEL = "pod-security.kubernetes.io/";
const labelPath = (key: string): string => `metadata.labels[${JSON.stringify(key)}]`;

/** A namespace's PSA label pair for one mode, as PSA reads it. */
interface ModeLabels {
  readonly mode: PsaMode;
  /** undefined: the level label is unset (the cluster default applies). */
  readonly level?: PsaLevel;
  /** A minor, `latest` (also for an unset or unreadable version label, as PSA does). */
  readonly version: number | "latest";
  readonly versionText: string;
}

/** The labels a namespace ends up with after its documents and patches. */
function effectiveLabels(stack: StackIndex, name: string): Record<string, unknown> {
  let labels: Record<string, unknown> = {};
  for (const doc of stack.namespaceDocuments.get(name) ?? []) labels = applyLabels(labels, doc, stack.isPatch(doc));
  return labels;
}

function modeLabels(labels: Readonly<Record<string, unknown>>): ModeLabels[] {
  return PSA_MODES.map((mode) => {
    const levelValue = labels[`${LABEL}${mode}`];
    const versionValue = labels[`${LABEL}${mode}-version`];
    // PSA: an unreadable level is evaluated as restricted, an unset or unreadable version as latest.
    const level =
      levelValue === undefined || levelValue === null ? undefined : (parseLevel(levelValue) ?? "restricted");
    const version = parseVersion(versionValue) ?? "latest";
    const versionText = typeof versionValue === "string" ? versionValue : "unset";
    return { mode, level, version, versionText };
  });
}

/** The oldest minor any namespace pins (enforce, audit or warn), for `--from`'s default. */
export function oldestPin(stack: StackIndex): number | undefined {
  let oldest: number | undefined;
  for (const name of stack.namespaceDocuments.keys())
    for (const m of modeLabels(effectiveLabels(stack, name)))
      if (m.level !== undefined && typeof m.version === "number" && (oldest === undefined || m.version < oldest))
        oldest = m.version;
  return oldest;
}

interface Verdict {
  readonly checks: string[];
  readonly details: string[];
}

/**
 * The pod-security verdict on one pod-bearing object at a level and policy version: the engine's
 * own control selection and runner, exactly what `palisade check` runs for a namespace pinned there.
 */
function verdictAt(
  entry: WorkloadEntry,
  namespace: KubeObject | undefined,
  level: "baseline" | "restricted",
  version: PolicyVersion,
  controls: readonly ResourceControl[],
  config: PalisadeConfig,
  defaultNamespace: string,
): Verdict {
  const kind = typeof entry.object.kind === "string" ? entry.object.kind : "";
  const active = activeControls(controls, isBuiltinKind(entry.object) ? kind : "Deployment", level, version);
  const checks = new Set<string>();
  const details: string[] = [];
  for (const control of active) {
    const ctx: CheckContext = {
      level,
      policyVersion: version,
      config: controlConfig(control, config),
      pod: entry.pod,
      namespace,
      defaultNamespace,
    };
    runResourceControl(control, entry.object, ctx, (v) => {
      checks.add(control.id);
      details.push(`${control.id}: ${v.message}${v.path !== undefined ? ` (${v.path})` : ""}`);
    });
  }
  return { checks: [...checks], details };
}

export function analyzeUpgrade(stack: StackIndex, options: UpgradeOptions): UpgradeReport {
  const to = options.to;
  const config = options.config ?? {};
  const controls = (options.controls ?? podSecurityControls).filter(
    (c): c is ResourceControl => c.scope === "resource" && c.family === "pod-security",
  );
  const configured = parseVersion(config.psaVersion);
  const from = options.from ?? oldestPin(stack) ?? (typeof configured === "number" ? configured : undefined);
  const target = formatPolicyVersion(to);
  const apis: ApiItem[] = [];
  const drift: DriftItem[] = [];
  const pins: PinItem[] = [];
  const notes: string[] = [];

  // 1. API versions.
  for (const object of stack.objects) {
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") continue;
    const api = deprecatedApiOf(object.apiVersion, object.kind);
    if (api === undefined) continue;
    const status = apiStatus(api, to);
    if (status === "current") continue;
    const replacement = advisedVersion(api, to) ?? api.replacement;
    const what = `${object.apiVersion} ${object.kind}`;
    const moved = movedFields(object, api.moved);
    const message =
      status === "removed"
        ? `${what} is not served by ${target} (removed in v1.${api.removedIn}): use ${replacement}`
        : `${what} is deprecated at ${target} and removed in v1.${api.removedIn}: use ${replacement}`;
    apis.push({
      object,
      resource: resourceRef(object),
      status,
      apiVersion: object.apiVersion,
      kind: object.kind,
      removedIn: api.removedIn,
      replacement,
      ...(api.changes !== undefined ? { changes: api.changes } : {}),
      moved,
      message: [
        message,
        ...moved.map((m) => `${m.path} moves to ${m.to}`),
        ...(api.changes !== undefined ? [api.changes] : []),
      ].join("; "),
    });
  }

  // 2. Pins, and 3. drift, namespace by namespace.
  const undeclared = new Set<string>();
  for (const entry of stack.workloads)
    if (!stack.namespaceDocuments.has(entry.namespace)) undeclared.add(entry.namespace);
  for (const name of [...undeclared].sort())
    notes.push(
      `namespace ${JSON.stringify(name)} is not declared in the input: its pod-security labels are unknown, so its pods are not judged for drift`,
    );

  for (const [name, documents] of stack.namespaceDocuments) {
    const subject = stack.namespaces.get(name) ?? documents[documents.length - 1]!;
    const labels = effectiveLabels(stack, name);
    const modes = modeLabels(labels);
    if (modes.every((m) => m.level === undefined))
      pins.push({
        object: subject,
        namespace: name,
        kind: "unlabelled",
        message: `namespace ${JSON.stringify(name)} has no pod-security labels: the cluster's default level and version apply, and they float with the cluster`,
      });
    for (const m of modes) {
      if (m.level === undefined || m.level === "privileged") continue;
      const key = `${LABEL}${m.mode}-version`;
      if (m.version === "latest")
        pins.push({
          object: subject,
          namespace: name,
          mode: m.mode,
          kind: "unpinned",
          pinned: m.versionText,
          path: labelPath(key),
          message: `${m.mode}=${m.level} of namespace ${JSON.stringify(name)} is not pinned (${key} ${m.versionText === "unset" ? "unset" : `= ${JSON.stringify(m.versionText)}`}): it follows the cluster and changes behaviour at the upgrade to ${target}; pin it`,
        });
      else if (m.version < to - 1)
        pins.push({
          object: subject,
          namespace: name,
          mode: m.mode,
          kind: "lagging",
          pinned: m.versionText,
          path: labelPath(key),
          message: `${key}=${m.versionText} of namespace ${JSON.stringify(name)} is ${to - m.version} minors behind ${target}: raise it (the Pod Security drift says what that changes)`,
        });
    }

    // Drift: group the modes that judge the same way (same level, same version).
    const groups = new Map<string, ModeLabels[]>();
    for (const m of modes) {
      if (m.level === undefined || m.level === "privileged") continue;
      const k = `${m.level}\u0000${m.version}`;
      groups.set(k, [...(groups.get(k) ?? []), m]);
    }
    const namespaceObject = stack.namespaces.get(name);
    for (const group of groups.values()) {
      const first = group[0]!;
      const level = first.level as "baseline" | "restricted";
      const floating = first.version === "latest";
      const before = floating ? from : (first.version as number);
      if (before === undefined && (stack.workloadsByNamespace.get(name) ?? []).length > 0)
        notes.push(
          `namespace ${JSON.stringify(name)} follows the cluster (${group.map((m) => m.mode).join("/")}=${level}, no pin) but the version the cluster runs now is unknown: give --from (or the config's psaVersion) to judge its pods`,
        );
      if (before === undefined || before >= to) continue;
      for (const entry of stack.workloadsByNamespace.get(name) ?? []) {
        const was = verdictAt(entry, namespaceObject, level, before, controls, config, stack.defaultNamespace);
        const will = verdictAt(entry, namespaceObject, level, to, controls, config, stack.defaultNamespace);
        const failedBefore = was.checks.length > 0;
        const failsAfter = will.checks.length > 0;
        if (failedBefore === failsAfter) continue;
        const verdict = failsAfter ? "newly-rejected" : "newly-allowed";
        const side = failsAfter ? will : was;
        const groupModes = group.map((m) => m.mode);
        const breaking = floating && verdict === "newly-rejected" && groupModes.includes("enforce");
        const how = floating
          ? `at the upgrade from ${formatPolicyVersion(before)}`
          : `when the pin is raised from ${first.versionText}`;
        const what =
          verdict === "newly-rejected"
            ? `fails ${level}:${target} ${how} (${groupModes.join("/")})`
            : `passes ${level}:${target} ${how} (${groupModes.join("/")}), failing today`;
        drift.push({
          object: entry.object,
          resource: resourceRef(entry.object),
          namespace: name,
          modes: groupModes,
          level,
          pinned: first.versionText,
          from: before,
          to,
          trigger: floating ? "upgrade" : "raise-pin",
          verdict,
          checks: side.checks,
          details: side.details,
          breaking,
          message: `${what}: ${side.checks.join(", ")}`,
        });
      }
    }
  }

  const breaking = apis.filter((a) => a.status === "removed").length + drift.filter((d) => d.breaking).length;
  return { ...(from !== undefined ? { from } : {}), to, apis, drift, pins, notes, breaking };
}
