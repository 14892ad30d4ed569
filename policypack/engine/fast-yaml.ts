/**
 * A fast path for the block YAML that manifests are nearly always written in (what kubectl, Helm,
 * kustomize and cdk8s emit): block mappings and sequences, one-line plain, single- and
 * double-quoted scalars, `|`/`|-` literal blocks, `[]`/`{}`, comments and `---` separators.
 *
 * It is not a YAML parser: the moment the text uses anything else (flow collections, anchors,
 * aliases, tags, folded or multi-line scalars, quoted or non-string keys, merge keys, duplicate
 * keys, tabs, CR line ends, directives, `...`, a scalar that would spill onto the next line, …)
 * it gives up and returns undefined, and parseManifests parses the whole text with the `yaml`
 * package as before. Scalars are resolved by go-yaml v2's rules (resolvePlain), so `yes`,
 * `0755`, `0o65` and `1:20` come out exactly as kubectl reads them. The differential suite
 * (test/yaml/) holds it to kubectl's own decoder.
 *
 * Why: the `yaml` package builds a token stream, a CST and a document tree before the plain
 * values; for a large manifest set that is most of `palisade check`'s time (see docs/benchmarks.md).
 */
/** One document: its value, the line of its root mapping, and the lines of `items[i]` (Lists). */
export interface FastDocument {
  readonly value: Record<string, unknown>;
  readonly line: number;
  readonly itemLines: readonly number[];
  /** With tracing: for each mapping and list built, the line of each key or item (as parse.ts's slow path records them). */
  readonly lines?: WeakMap<object, Map<string | number, number>>;
  /** Mapping entries and list items in it (for the caller's memory budget). */
  readonly nodes: number;
}

/** Thrown (and caught in fastParse) when the text leaves the subset. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported("unsupported");
function bail(): never {
  throw UNSUPPORTED;
}

/** Characters that make us hand the whole text to the `yaml` package. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/;
/** First characters a plain scalar of ours may not start with (indicators, quotes handled apart). */
const INDICATOR = new Set([
  "-",
  "?",
  ":",
  ",",
  "[",
  "]",
  "{",
  "}",
  "#",
  "&",
  "*",
  "!",
  "|",
  ">",
  "'",
  '"',
  "%",
  "@",
  "`",
]);
/**
 * Escapes of double-quoted scalars that go-yaml v2 and JSON.parse read alike. go-yaml has no
 * `\/` (an error there) and reads `\uD83D` as an invalid code point: neither is ours.
 */
const JSON_ESCAPES = new Set(['"', "\\", "b", "f", "n", "r", "t", "u"]);

/** A plain scalar that go-yaml reads as ±infinity or NaN: JSON cannot carry it (kubectl fails). */
export const NON_FINITE: unique symbol = Symbol("non-finite");

// go-yaml v2's resolve table (resolve.go): the words a plain scalar is looked up in first.
const PLAIN_WORDS = new Map<string, unknown>();
for (const w of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) PLAIN_WORDS.set(w, true);
for (const w of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) PLAIN_WORDS.set(w, false);
for (const w of ["", "~", "null", "Null", "NULL"]) PLAIN_WORDS.set(w, null);
for (const w of [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"])
  PLAIN_WORDS.set(w, NON_FINITE);

/** go-yaml's `yamlStyleFloat`: the only spellings it hands to strconv.ParseFloat after the integer forms. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt/ParseUint with base 0 (after go-yaml removed every `_`). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * A Go integer literal as strconv.ParseInt, then ParseUint, read it with base 0 (go-yaml has
 * removed every `_`): its exact decimal, or undefined when it is not one or out of range.
 */
export function goIntegerText(plain: string): string | undefined {
  const m = GO_INT.exec(plain);
  if (m === null) return undefined;
  const [, sign, hex, oct, bin, zeroOct, dec] = m;
  let v: bigint;
  if (hex !== undefined) v = BigInt(`0x${hex}`);
  else if (oct !== undefined) v = BigInt(`0o${oct}`);
  else if (bin !== undefined) v = BigInt(`0b${bin}`);
  else if (zeroOct !== undefined) v = zeroOct === "" ? 0n : BigInt(`0o${zeroOct}`);
  else v = BigInt(dec as string);
  if (sign === "-") v = -v;
  // ParseInt first (int64); ParseUint takes no sign at all.
  if (v >= INT64_MIN && v <= INT64_MAX) return String(v);
  if (sign === "" && v <= UINT64_MAX) return String(v);
  return undefined;
}

/**
 * The value go-yaml v2 (what kubectl and the API server read YAML with) gives an untagged plain
 * scalar decoded into interface{}: its resolve() table, then base-0 Go integers (`0o65`, `0x1F`,
 * `0755`, `_` ignored), then decimal floats; anything else — `1:20`, timestamps, `1e400` — stays
 * a string. `.inf`/`.nan` give NON_FINITE (JSON has no such number).
 */
export function resolvePlain(source: string): unknown {
  const word = PLAIN_WORDS.get(source);
  if (word !== undefined || PLAIN_WORDS.has(source)) return word;
  const c = source.charCodeAt(0);
  if (c === 46 /* . */) {
    // strconv.ParseFloat on the raw text: digits, `_` between digits, an optional exponent.
    const m = /^\.([0-9_]+)(?:[eE][-+]?([0-9_]+))?$/.exec(source);
    if (m === null || !/[0-9]/.test(m[1] as string) || (m[2] !== undefined && !/[0-9]/.test(m[2]))) return source;
    if (source.includes("_") && !underscoreOK(source)) return source;
    const f = Number(source.replace(/_/g, ""));
    return Number.isFinite(f) ? f : source;
  }
  const digit = c >= 48 && c <= 57;
  if (!digit && c !== 43 /* + */ && c !== 45 /* - */) return source;
  const plain = source.includes("_") ? source.replace(/_/g, "") : source;
  const i = goIntegerText(plain);
  if (i !== undefined) return Number(i);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    return Number.isFinite(f) ? f : source; // ParseFloat's range error leaves the text a string
  }
  return source;
}

/** strconv's underscoreOK for a decimal: each `_` between two digits. */
function underscoreOK(s: string): boolean {
  let saw = "^";
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") saw = "0";
    else if (ch === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else if (saw === "_") return false;
    else saw = "!";
  }
  return saw !== "_";
}

/** The value of a plain scalar, as go-yaml reads it, or bail for what the slow path must report. */
function plainValue(source: string): unknown {
  const v = resolvePlain(source);
  if (v === NON_FINITE) bail();
  return v;
}

/** A plain key: only one go-yaml reads as a string (no numbers, booleans, null or `<<`). */
function plainKey(source: string): string {
  if (source.length > 1000 || source === "__proto__" || source === "<<") bail();
  if (resolvePlain(source) !== source) bail();
  return source;
}

function isSpaceOrEnd(s: string, i: number): boolean {
  return i >= s.length || s.charCodeAt(i) === 32;
}

/** After a closed quoted scalar or `[]`/`{}`: only spaces, or spaces and a comment. */
function checkTail(s: string, from: number): void {
  let i = from;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  if (i < s.length && (s[i] !== "#" || i === from)) bail();
}

/**
 * Where a `key:` ends in `s` from `from`: the index of the first `:` followed by a space or the
 * end of the line, or -1 when the text is not a key (a comment or no such colon comes first).
 */
function keyColon(s: string, from: number): number {
  let i = s.indexOf(":", from);
  const hash = s.indexOf(" #", from);
  while (i >= 0) {
    if (hash >= 0 && hash < i) return -1;
    if (isSpaceOrEnd(s, i + 1)) return i;
    i = s.indexOf(":", i + 1);
  }
  return -1;
}

class Parser {
  private readonly lines: string[];
  /** Leading spaces of each line, or -1 for a blank or comment-only line. */
  private readonly indent: Int32Array;
  private li = 0;
  private end = 0;
  /** Entries and items left in the node budget (parse.ts's per-document limit). */
  private budget: number;
  private readonly maxNodes: number;
  /** Set when field lines are asked for: a finding's line is found from these, never by a second, slower parser. */
  private readonly traced: WeakMap<object, Map<string | number, number>> | undefined;

  constructor(text: string, maxNodes: number, trace = false) {
    this.maxNodes = maxNodes;
    this.traced = trace ? new WeakMap() : undefined;
    this.budget = maxNodes;
    this.lines = text.split("\n");
    this.indent = new Int32Array(this.lines.length);
    for (let i = 0; i < this.lines.length; i++) {
      const s = this.lines[i] as string;
      let n = 0;
      while (n < s.length && s.charCodeAt(n) === 32) n++;
      this.indent[i] = n === s.length || s.charCodeAt(n) === 35 /* # */ ? -1 : n;
    }
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    const lines = this.lines;
    let start = 0;
    for (let i = 0; i <= lines.length; i++) {
      let boundary = i === lines.length;
      if (!boundary) {
        const s = lines[i] as string;
        const c = s.charCodeAt(0);
        if (c === 45 /* - */ && s.startsWith("---") && isSpaceOrEnd(s, 3)) {
          if (s.slice(3).trim() !== "") bail();
          boundary = true;
        } else if (c === 46 /* . */ && s.startsWith("...") && isSpaceOrEnd(s, 3)) bail();
        else if (c === 37 /* % */) bail();
      }
      if (!boundary) continue;
      const doc = this.document(start, i);
      if (doc !== undefined) docs.push(doc);
      // An empty document (after `---` or not) is null to go-yaml: kubectl skips it, so do we.
      start = i + 1;
    }
    return docs;
  }

  private document(start: number, end: number): FastDocument | undefined {
    this.end = end;
    this.budget = this.maxNodes;
    this.li = this.next(start);
    if (this.li >= end) return undefined; // empty (or comments only)
    if (this.indent[this.li] !== 0) bail();
    const line = this.li + 1;
    const items: number[][] = [];
    const value = this.map(0, false, items);
    if (this.next(this.li) < end) bail();
    return {
      value,
      line,
      itemLines: items[0] ?? [],
      nodes: this.maxNodes - this.budget,
      ...(this.traced !== undefined ? { lines: this.traced } : {}),
    };
  }

  /** The next line at or after i that is neither blank nor a comment (or this.end). */
  private next(i: number): number {
    while (i < this.end && this.indent[i] === -1) i++;
    return i;
  }

  private isDash(i: number): boolean {
    const s = this.lines[i] as string;
    const n = this.indent[i] as number;
    return s.charCodeAt(n) === 45 && isSpaceOrEnd(s, n + 1);
  }

  /**
   * A block mapping whose keys sit at column n. With `inline`, the first key is on the current
   * line after a sequence dash. `itemLines` receives the item lines of a root `items` sequence.
   */
  private map(n: number, inline: boolean, itemLines?: number[][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keyLines = this.traced !== undefined ? new Map<string, number>() : undefined;
    if (keyLines !== undefined) this.traced?.set(out, keyLines);
    let first = true;
    for (;;) {
      if (!(first && inline)) {
        this.li = this.next(this.li);
        if (this.li >= this.end || (this.indent[this.li] as number) < n) break;
        if (this.indent[this.li] !== n || this.isDash(this.li)) bail();
      }
      first = false;
      if (--this.budget < 0) bail(); // the slow path reports the limit
      const s = this.lines[this.li] as string;
      if (INDICATOR.has(s[n] as string)) bail();
      const colon = keyColon(s, n);
      if (colon < 0) bail();
      const key = plainKey(s.slice(n, colon).trimEnd());
      if (Object.prototype.hasOwnProperty.call(out, key)) bail();
      let v = colon + 1;
      while (v < s.length && s.charCodeAt(v) === 32) v++;
      const lines = itemLines !== undefined && key === "items" ? [] : undefined;
      keyLines?.set(key, this.li + 1);
      out[key] = this.value(s, v, n, true, lines);
      if (lines !== undefined && itemLines !== undefined) itemLines[0] = lines;
    }
    return out;
  }

  /** A block sequence whose dashes sit at column n. */
  private seq(n: number, itemLines?: number[]): unknown[] {
    const out: unknown[] = [];
    const lineOfItem = this.traced !== undefined ? new Map<number, number>() : undefined;
    if (lineOfItem !== undefined) this.traced?.set(out, lineOfItem);
    for (;;) {
      this.li = this.next(this.li);
      if (this.li >= this.end || (this.indent[this.li] as number) < n) break;
      if (this.indent[this.li] !== n) bail();
      if (!this.isDash(this.li)) break; // the parent mapping's next key (a compact sequence)
      if (--this.budget < 0) bail();
      const s = this.lines[this.li] as string;
      let c = n + 1;
      while (c < s.length && s.charCodeAt(c) === 32) c++;
      const ch = s[c];
      itemLines?.push(this.li + 1);
      lineOfItem?.set(out.length, this.li + 1);
      if (c >= s.length || ch === "#") {
        // The item's node is on the lines below; an empty item is left to the yaml package.
        const j = this.next(this.li + 1);
        if (j >= this.end || (this.indent[j] as number) <= n) bail();
        this.li = j;
        if (itemLines !== undefined) itemLines[itemLines.length - 1] = j + 1;
        lineOfItem?.set(out.length, j + 1);
        out.push(this.isDash(j) ? this.seq(this.indent[j] as number) : this.map(this.indent[j] as number, false));
      } else if (ch !== '"' && ch !== "'" && !INDICATOR.has(ch as string) && keyColon(s, c) >= 0) {
        out.push(this.map(c, true));
      } else {
        out.push(this.value(s, c, n, false));
      }
    }
    return out;
  }

  /**
   * The value that starts at column v of line s (after `key: ` or `- `); n is the column of the
   * key or dash. Leaves this.li on the first line not consumed.
   */
  private value(s: string, v: number, n: number, inMap: boolean, itemLines?: number[]): unknown {
    const ch = s[v];
    if (v >= s.length || ch === "#") {
      const j = this.next(this.li + 1);
      if (j < this.end && (this.indent[j] as number) > n) {
        this.li = j;
        return this.isDash(j)
          ? this.seq(this.indent[j] as number, itemLines)
          : this.map(this.indent[j] as number, false);
      }
      if (inMap && j < this.end && this.indent[j] === n && this.isDash(j)) {
        this.li = j;
        return this.seq(n, itemLines);
      }
      this.li = j;
      return plainValue(""); // an empty value is null
    }
    let result: unknown;
    if (ch === '"') {
      let i = v + 1;
      let escaped = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 92 /* \ */) {
          if (!JSON_ESCAPES.has(s[i + 1] as string)) bail();
          if (s[i + 1] === "u" && /^[dD][89a-fA-F]/.test(s.slice(i + 2, i + 4))) bail();
          escaped = true;
          i++;
        } else if (c === 34 /* " */) break;
      }
      if (i >= s.length) bail();
      checkTail(s, i + 1);
      if (escaped) {
        try {
          result = JSON.parse(s.slice(v, i + 1));
        } catch {
          bail();
        }
      } else result = s.slice(v + 1, i);
    } else if (ch === "'") {
      let i = v + 1;
      for (; i < s.length; i++) {
        if (s.charCodeAt(i) === 39 /* ' */) {
          if (s.charCodeAt(i + 1) === 39) i++;
          else break;
        }
      }
      if (i >= s.length) bail();
      checkTail(s, i + 1);
      result = s.slice(v + 1, i).replace(/''/g, "'");
    } else if (ch === "|") {
      return this.literal(s, v, n);
    } else if (ch === "[" || ch === "{") {
      const close = ch === "[" ? "]" : "}";
      if (s[v + 1] !== close) bail();
      checkTail(s, v + 2);
      result = ch === "[" ? [] : {};
    } else {
      if (INDICATOR.has(ch as string) && !(ch === "-" && !isSpaceOrEnd(s, v + 1))) bail();
      const hash = s.indexOf(" #", v);
      const body = (hash >= 0 ? s.slice(v, hash) : s.slice(v)).trimEnd();
      // `a: b: c` (a mapping in a compact value) and friends are the yaml package's to report.
      if (body.endsWith(":") || body.includes(": ")) bail();
      result = plainValue(body);
    }
    // Nothing may continue the scalar on a more-indented line (multi-line scalars are not ours).
    const j = this.next(this.li + 1);
    if (j < this.end && (this.indent[j] as number) > n) bail();
    this.li = j;
    return result;
  }

  /** A `|` or `|-` block scalar whose header is at column v of line s, inside a node at column n. */
  private literal(s: string, v: number, n: number): string {
    let h = v + 1;
    const strip = s[h] === "-";
    if (strip) h++;
    checkTail(s, h);
    if (h < s.length && s[h] !== " ") bail();
    const lines = this.lines;
    let i = this.li + 1;
    let m = -1;
    for (; i < this.end; i++) {
      const line = lines[i] as string;
      if (line === "") continue;
      let k = 0;
      while (k < line.length && line.charCodeAt(k) === 32) k++;
      if (k === line.length) bail(); // whitespace-only lines: indentation subtleties, not ours
      m = k;
      break;
    }
    const first = i;
    if (m <= n) {
      // No content line: an empty scalar; the line found (if any) belongs to the parent.
      this.li = first;
      return "";
    }
    let last = first;
    for (; i < this.end; i++) {
      const line = lines[i] as string;
      if (line === "") continue;
      let k = 0;
      while (k < line.length && line.charCodeAt(k) === 32) k++;
      if (k === line.length) bail();
      if (k < m) break;
      last = i;
    }
    if (last === lines.length - 1) bail(); // no final line break: chomping edge cases
    // Leading empty lines are content too (each an empty line of the value).
    let body = "";
    for (let j = this.li + 1; j <= last; j++) {
      const line = lines[j] as string;
      body += (j === this.li + 1 ? "" : "\n") + (line === "" ? "" : line.slice(m));
    }
    const j = this.next(last + 1);
    if (j < this.end && (this.indent[j] as number) > n) bail();
    this.li = j;
    return strip ? body : `${body}\n`;
  }
}

/**
 * The documents of `text` that have content, or undefined when the text needs the `yaml` package
 * (anything outside the subset, any error, a document that is not a mapping).
 */
export function fastParse(text: string, maxNodes = Infinity, trace = false): FastDocument[] | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    return new Parser(text, maxNodes, trace).documents();
  } catch (err) {
    if (err === UNSUPPORTED || err instanceof RangeError) return undefined; // RangeError: deep nesting
    throw err;
  }
}
