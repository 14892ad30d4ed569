/**
 * Palisade's configuration: the level, the PSA policy version, per-control settings and
 * exemptions by namespace/name pattern. Validated up front so a typo is an error that names
 * the field, never a silently ignored setting.
 */
import { isRecord } from "./access";
import type { Control } from "./control";
import { ENFORCEMENT_SETTINGS } from "../enforcement";
import { parsePolicyVersion } from "./psa-version";
import { LEVELS, type JsonValue, type Level } from "./types";

export interface ConfigExemption {
  /** Control ids, or "*" for every control. */
  readonly controls: readonly string[];
  /** Namespace patterns (`*` and `?` wildcards); omitted = any namespace. */
  readonly namespaces?: readonly string[];
  /** Object name patterns; omitted = any name. */
  readonly names?: readonly string[];
  /** Kinds; omitted = any kind. */
  readonly kinds?: readonly string[];
  /** Why: required, shown with every exempted finding. */
  readonly reason: string;
  /** YYYY-MM-DD after which the exemption lapses. */
  readonly until?: string;
}

export interface ControlSettings {
  /** false turns the control off entirely (prefer an exemption: it leaves an audit trail). */
  readonly enabled?: boolean;
  /**
   * mandatory (blocks), advisory (warns) or disabled, at every enforcement point; `remediate`
   * (the pack's level) counts as mandatory elsewhere. `enforcementLevel` is accepted as in the
   * pack's --policy-pack-config. @default by level and severity (`palisade controls`)
   */
  readonly enforcement?: "mandatory" | "advisory" | "disabled" | "remediate";
  readonly [setting: string]: JsonValue | undefined;
}

export interface PalisadeConfig {
  readonly level?: Level;
  /** PSA policy version for objects whose namespace pins none: "latest" or "v1.N". @default "latest" */
  readonly psaVersion?: string;
  /** Namespace of namespaced objects that set none. @default "default" */
  readonly defaultNamespace?: string;
  readonly controls?: Readonly<Record<string, ControlSettings>>;
  readonly exemptions?: readonly ConfigExemption[];
  /** Custom pod-bearing kinds: "apiVersion/Kind" or "Kind" → path of the pod template. */
  readonly podTemplatePaths?: Readonly<Record<string, string>>;
  /** How `palisade export vap` builds the admission policies. */
  readonly admission?: AdmissionConfig;
}

export interface AdmissionConfig {
  /**
   * Requesters whose `palisade.dev/exempt` annotations the admission policies honour
   * (`user:NAME` or `group:NAME`, matched against the request's user info). Anyone else's
   * annotation is ignored at admission: the party being judged cannot exempt itself.
   * @default [] (no annotation is honoured at admission; only the config's exemptions apply)
   */
  readonly annotationExemptionsFrom?: readonly string[];
}

/** `user:NAME` / `group:NAME`, as the admission config and `--annotation-exemptions-from` take them. */
export const REQUESTER = /^(user|group):(.+)$/;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
}

function stringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/**
 * Checks a parsed config against the catalog; every problem names its field
 * (`controls.image-registry-allowlist.registries: expected an array of strings`).
 */
export function validateConfig(
  raw: unknown,
  catalog: readonly Control[],
): { config: PalisadeConfig; errors: string[] } {
  const errors: string[] = [];
  if (raw === null || raw === undefined) return { config: {}, errors };
  if (!isRecord(raw)) return { config: {}, errors: [`the config must be a mapping, found ${typeOf(raw)}`] };
  const known = new Set([
    "level",
    "psaVersion",
    "defaultNamespace",
    "controls",
    "exemptions",
    "podTemplatePaths",
    "admission",
  ]);
  for (const k of Object.keys(raw))
    if (!known.has(k)) errors.push(`${k}: unknown setting (known: ${[...known].join(", ")})`);
  if (raw["level"] !== undefined && !LEVELS.includes(raw["level"] as Level)) {
    errors.push(`level: expected one of ${LEVELS.join(", ")}, found ${JSON.stringify(raw["level"])}`);
  }
  if (
    raw["psaVersion"] !== undefined &&
    (typeof raw["psaVersion"] !== "string" || parsePolicyVersion(raw["psaVersion"]) === undefined)
  ) {
    errors.push(`psaVersion: expected "latest" or "v1.N", found ${JSON.stringify(raw["psaVersion"])}`);
  }
  if (raw["defaultNamespace"] !== undefined && typeof raw["defaultNamespace"] !== "string") {
    errors.push(`defaultNamespace: expected a string, found ${typeOf(raw["defaultNamespace"])}`);
  }
  const byId = new Map(catalog.map((c) => [c.id, c]));
  const controls = raw["controls"];
  if (controls !== undefined) {
    if (!isRecord(controls))
      errors.push(`controls: expected a mapping of control id to settings, found ${typeOf(controls)}`);
    else {
      for (const [id, settings] of Object.entries(controls)) {
        const control = byId.get(id);
        if (control === undefined) {
          errors.push(`controls.${id}: no such control (see \`palisade controls\`)`);
          continue;
        }
        if (!isRecord(settings)) {
          errors.push(`controls.${id}: expected a mapping, found ${typeOf(settings)}`);
          continue;
        }
        for (const [name, value] of Object.entries(settings)) {
          if (name === "enabled") {
            if (typeof value !== "boolean")
              errors.push(`controls.${id}.enabled: expected a boolean, found ${typeOf(value)}`);
            continue;
          }
          if (name === "enforcement" || name === "enforcementLevel") {
            if (typeof value !== "string" || !ENFORCEMENT_SETTINGS.includes(value))
              errors.push(
                `controls.${id}.${name}: expected one of ${ENFORCEMENT_SETTINGS.join(", ")}, found ${JSON.stringify(value)}`,
              );
            continue;
          }
          const prop = control.config?.[name];
          if (prop === undefined) {
            const names = Object.keys(control.config ?? {});
            errors.push(
              `controls.${id}.${name}: unknown setting (${names.length ? `known: enabled, enforcement, ${names.join(", ")}` : "this control takes only enabled and enforcement"})`,
            );
            continue;
          }
          const ok =
            prop.type === "array"
              ? Array.isArray(value) &&
                value.every(
                  (x) => typeOf(x) === (prop.items?.type === "integer" ? "number" : (prop.items?.type ?? typeOf(x))),
                )
              : prop.type === "integer"
                ? Number.isInteger(value)
                : typeOf(value) === prop.type;
          if (!ok)
            errors.push(
              `controls.${id}.${name}: expected ${prop.type}${prop.items ? ` of ${prop.items.type}` : ""}, found ${typeOf(value)}`,
            );
          else if (prop.enum !== undefined && !prop.enum.includes(value as JsonValue)) {
            errors.push(
              `controls.${id}.${name}: expected one of ${prop.enum.map((e) => JSON.stringify(e)).join(", ")}`,
            );
          }
        }
      }
    }
  }
  const exemptions = raw["exemptions"];
  if (exemptions !== undefined) {
    if (!Array.isArray(exemptions)) errors.push(`exemptions: expected a list, found ${typeOf(exemptions)}`);
    else
      exemptions.forEach((e: unknown, i) => {
        const at = `exemptions[${i}]`;
        if (!isRecord(e)) return errors.push(`${at}: expected a mapping, found ${typeOf(e)}`);
        for (const k of Object.keys(e)) {
          if (!["controls", "namespaces", "names", "kinds", "reason", "until"].includes(k))
            errors.push(`${at}.${k}: unknown setting`);
        }
        if (!stringArray(e["controls"]) || e["controls"].length === 0)
          errors.push(`${at}.controls: expected a non-empty list of control ids or "*"`);
        else
          for (const id of e["controls"])
            if (id !== "*" && !byId.has(id)) errors.push(`${at}.controls: no such control ${JSON.stringify(id)}`);
        for (const k of ["namespaces", "names", "kinds"]) {
          if (e[k] !== undefined && !stringArray(e[k])) errors.push(`${at}.${k}: expected a list of strings`);
        }
        if (typeof e["reason"] !== "string" || e["reason"].trim() === "")
          errors.push(`${at}.reason: required: say why the exemption is safe`);
        if (e["until"] !== undefined && (typeof e["until"] !== "string" || !isValidDate(e["until"]))) {
          errors.push(`${at}.until: expected a date YYYY-MM-DD`);
        }
        return undefined;
      });
  }
  const admission = raw["admission"];
  if (admission !== undefined) {
    if (!isRecord(admission)) errors.push(`admission: expected a mapping, found ${typeOf(admission)}`);
    else
      for (const [k, v] of Object.entries(admission)) {
        if (k !== "annotationExemptionsFrom")
          errors.push(`admission.${k}: unknown setting (known: annotationExemptionsFrom)`);
        else if (!stringArray(v)) errors.push(`admission.${k}: expected a list of "user:NAME" or "group:NAME"`);
        else
          v.forEach((r, i) => {
            if (!REQUESTER.test(r.trim()))
              errors.push(`admission.${k}[${i}]: expected "user:NAME" or "group:NAME", found ${JSON.stringify(r)}`);
          });
      }
  }
  const paths = raw["podTemplatePaths"];
  if (paths !== undefined && (!isRecord(paths) || !Object.values(paths).every((v) => typeof v === "string"))) {
    errors.push(`podTemplatePaths: expected a mapping of "apiVersion/Kind" to a template path`);
  }
  return { config: errors.length === 0 ? (raw as PalisadeConfig) : {}, errors };
}

/** Keys of a control's config entry that say whether and how it is enforced, not how it judges. */
const ENFORCEMENT_KEYS = new Set(["enabled", "enforcement", "enforcementLevel"]);

/** A control's settings: declared defaults overlaid with the user's values. */
export function controlConfig(control: Control, config: PalisadeConfig): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, prop] of Object.entries(control.config ?? {})) out[name] = prop.default;
  const user = config.controls?.[control.id];
  if (user !== undefined) {
    for (const [name, value] of Object.entries(user))
      if (!ENFORCEMENT_KEYS.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}
