/**
 * CEL builders the control modules share: the TypeScript helpers they mirror (globMatch) written
 * once, so every control's admission-time form escapes and anchors the same way.
 */
import { celString } from "../engine/cel";

/** The characters globMatch escapes (RE2 treats the same ones as syntax), the backslash first. */
const REGEX_SPECIALS = ["\\", ".", "+", "^", "$", "{", "}", "(", ")", "|", "[", "]"];

/** CEL: the string expression `expr` with every regex metacharacter (and `extra` ones) escaped. */
export function celRegexQuote(expr: string, extra: readonly string[] = []): string {
  return [...REGEX_SPECIALS, ...extra].reduce(
    (acc, ch) => `${acc}.replace(${celString(ch)}, ${celString(`\\${ch}`)})`,
    expr,
  );
}

/**
 * CEL: `globMatch(pattern, text)` — `*` any run, `?` one character, everything else literal,
 * anchored. `pattern` and `text` are CEL string expressions; the regex is built at run time.
 */
export function celGlobMatch(pattern: string, text: string): string {
  return `${text}.matches('^' + ${celRegexQuote(pattern)}.replace('*', '.*').replace('?', '.') + '$')`;
}
