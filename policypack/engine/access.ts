/**
 * Defensive accessors: manifests are untrusted JSON, so every read checks the shape it expects
 * and answers `undefined` instead of throwing. Shape errors are reported separately (shape.ts).
 */

export type Rec = Record<string, unknown>;

export function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function rec(value: unknown): Rec | undefined {
  return isRecord(value) ? value : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Reads a dotted path of record keys; undefined as soon as a step is not a record. */
export function dig(value: unknown, ...keys: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Strings of a string array field; non-strings are dropped (shape.ts reports them). */
export function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === "string");
}

/** Joins a base path and a key the way findings spell paths: `a.b[0].c`. */
export function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** A quoted, comma-separated list as PSA spells it: `"a", "b"`. */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
