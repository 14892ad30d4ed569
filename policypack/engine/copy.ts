/**
 * Deep copy of plain JSON-like data that keeps every non-plain value by reference. Fixes run on
 * Pulumi inputs, where secrets are class instances and unknowns are sentinels: structuredClone
 * would turn a secret into a plain object and leak it as plaintext.
 */
export function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => copyPlain(v)) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyPlain(v);
    return out as T;
  }
  return value;
}
