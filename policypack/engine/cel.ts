/**
 * CEL source helpers with no dependencies, so control modules can build their admission-time
 * form without loading the exporter (and, through it, the evaluator and the YAML parser).
 */

/** A CEL string literal. JSON's escapes are a subset of CEL's, so JSON.stringify is exact here. */
export function celString(text: string): string {
  return JSON.stringify(text);
}
