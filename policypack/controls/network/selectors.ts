/**
 * Label selectors (metav1.LabelSelector) read the way the API server and the CNIs read them:
 * `matchLabels` and every `matchExpressions` entry are ANDed, and a selector with neither selects
 * everything. A selector the API would reject (unknown operator, `In` without values, `Exists`
 * with values, a non-string label value) is `undefined` here: callers treat it as selecting
 * nothing, so a broken policy never counts as isolating a pod nor as allowing everyone.
 */
import { arr, dig, isRecord, rec, str } from "../../engine/access";

export type Operator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Empty for Exists and DoesNotExist. */
  readonly values: readonly string[];
}

export interface Selector {
  /** matchLabels entries (as `In` with one value) followed by matchExpressions, ANDed. */
  readonly requirements: readonly Requirement[];
}

const OPERATORS: readonly Operator[] = ["In", "NotIn", "Exists", "DoesNotExist"];

/** The everything-selector `{}`. */
export const EVERYTHING: Selector = { requirements: [] };

/** Parses a LabelSelector; undefined when it is not one the API would accept. */
export function parseSelector(value: unknown): Selector | undefined {
  if (!isRecord(value)) return undefined;
  const requirements: Requirement[] = [];
  const matchLabels = value["matchLabels"];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) return undefined;
    for (const [key, v] of Object.entries(matchLabels)) {
      if (typeof v !== "string") return undefined;
      requirements.push({ key, operator: "In", values: [v] });
    }
  }
  const expressions = value["matchExpressions"];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return undefined;
    for (const e of expressions) {
      const key = str(dig(e, "key"));
      const operator = str(dig(e, "operator")) as Operator | undefined;
      if (key === undefined || key === "" || operator === undefined || !OPERATORS.includes(operator)) return undefined;
      const raw = rec(e)?.["values"];
      if (raw !== undefined && raw !== null && !Array.isArray(raw)) return undefined;
      const values = arr(raw);
      if (!values.every((v): v is string => typeof v === "string")) return undefined;
      const needsValues = operator === "In" || operator === "NotIn";
      if (needsValues !== values.length > 0) return undefined;
      requirements.push({ key, operator, values });
    }
  }
  return { requirements };
}

/** True for a selector that selects everything: `{}` (or only empty matchLabels/matchExpressions). */
export function isEverything(selector: Selector): boolean {
  return selector.requirements.length === 0;
}

/** String labels of a metadata record; other values are ignored (shape checks report them). */
export function labelsOf(metadata: unknown): Readonly<Record<string, string>> {
  const labels = rec(dig(metadata, "labels"));
  const out: Record<string, string> = {};
  if (labels === undefined) return out;
  for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  return out;
}

function satisfies(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case "In":
      return value !== undefined && r.values.includes(value);
    case "NotIn":
      // labels.Selector: NotIn matches when the key is absent, too.
      return value === undefined || !r.values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

/** Does the selector select an object with these labels? */
export function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every((r) => satisfies(r, labels));
}

/**
 * True when every object the selector selects carries `key` with a value in `allowed`: some
 * requirement is `key In (…)` with all its values allowed (matchLabels counts as `In`).
 */
export function requiresLabel(selector: Selector, key: string, allowed: readonly string[]): boolean {
  return selector.requirements.some(
    (r) => r.key === key && r.operator === "In" && r.values.every((v) => allowed.includes(v)),
  );
}

/** True when the selector requires `key` to have one of a listed set of values (`In`, matchLabels). */
export function requiresKey(selector: Selector, key: string): boolean {
  return selector.requirements.some((r) => r.key === key && r.operator === "In");
}

/** `{app=web, tier in (a,b), !debug}` — a selector as a message shows it. */
export function describeSelector(selector: Selector): string {
  const parts = selector.requirements.map((r) => {
    switch (r.operator) {
      case "In":
        return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(",")})`;
      case "NotIn":
        return `${r.key} notin (${r.values.join(",")})`;
      case "Exists":
        return r.key;
      case "DoesNotExist":
        return `!${r.key}`;
    }
  });
  return `{${parts.join(", ")}}`;
}

/** `{app=web, tier=db}` — a label set as a message shows it. */
export function describeLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}}`;
}
