/**
 * CEL source helpers with no dependencies, so control modules can build their admission-time
 * form without loading the exporter (and, through it, the evaluator and the YAML parser).
 */

/** A CEL string literal. JSON's escapes are a subset of CEL's, so JSON.stringify is exact here. */
export function celString(text: string): string {
  return JSON.stringify(text);
}

/** The shape of a control's CEL form (kept structural so this module imports nothing). */
interface LazyCelPolicy {
  readonly variables?: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly { readonly expression: string; readonly message?: string }[];
}

/**
 * A CEL form built on first use. Only the admission export and the docs read it, so a
 * `palisade check` that loads the whole catalog (the CLI's start-up) does not pay for
 * generating the long RBAC expressions.
 */
export function lazyCel<T extends LazyCelPolicy>(build: () => T): T {
  let built: T | undefined;
  const get = (): T => (built ??= build());
  return {
    get variables() {
      return get().variables;
    },
    get validations() {
      return get().validations;
    },
  } as T;
}
