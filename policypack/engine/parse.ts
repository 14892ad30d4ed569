/**
 * Manifest text → objects with their source lines, or errors that name file, line and column.
 *
 * Read exactly as kubectl reads it (k8s.io/apimachinery's NewYAMLOrJSONDecoder over
 * sigs.k8s.io/yaml and go-yaml v2), because a checker that judges a different object than the
 * API server receives can be bypassed:
 * - the stream is JSON when its first non-space character is `{` (a stream of JSON values; when
 *   the second value is not JSON, the rest is read as YAML); otherwise YAML split into documents
 *   on lines that start with `---`;
 * - each YAML document is built with go-yaml v2's rules: its plain-scalar resolution (`0o65` is
 *   53, `1:20` and dates are strings, `y`/`on` are true), merge keys applied in order (a later
 *   `<<` overrides an earlier key), duplicate keys last-wins, tags, and its alias budget;
 * - empty and null documents are skipped.
 * What we do not reproduce exactly (a key that is a float, two keys that become the same JSON
 * key, `!!timestamp`, `.inf`, …) is refused with an error naming the construct and its line:
 * never a different object. test/yaml/ holds this to kubectl's own decoder (scripts/yaml-oracle).
 *
 * Syntax comes from the `yaml` package (failsafe schema: every scalar is its text), or from the
 * fast path for plain block YAML (fast-yaml.ts); values are built here.
 */
import {
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseAllDocuments,
  type Scalar,
  type Alias,
  type Document,
  type Node as YamlNode,
} from "yaml";
import { isRecord } from "./access";
import { fastParse, goIntegerText, NON_FINITE, resolvePlain, type FastDocument } from "./fast-yaml";
import type { KubeObject } from "./types";

export interface ParsedObject {
  readonly object: KubeObject;
  readonly line: number;
  /** The line of a field of the object (a finding's path), when the text says where it is. */
  readonly fieldLine?: (path: string) => number | undefined;
}

export interface ParseError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParseResult {
  readonly objects: ParsedObject[];
  readonly errors: ParseError[];
}

export interface ParseLimits {
  /**
   * Nodes (mapping entries, list items, alias expansions) allowed per document: memory stays
   * bounded whatever the input. @default 1000000
   */
  readonly maxNodes?: number;
  /**
   * Nodes allowed over every document read with these limits (pass the same object to each
   * file of a run: what is read is kept, so memory is bounded by the whole, not each file).
   * Exhausted: the rest is refused. @default no budget beyond maxNodes per document
   */
  readonly budget?: NodeBudget;
  /**
   * Try the fast path for plain block YAML first (fast-yaml.ts); it hands anything else to the
   * `yaml` package, with the same results. false: always the `yaml` package. @default true
   */
  readonly fast?: boolean;
}

/** A count of nodes left, shared by the files of one run. */
export interface NodeBudget {
  remaining: number;
}

/** One document of a stream, before the Kubernetes-object checks. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly line: number;
  /** Lines of `items[i]` when the document is a List. */
  readonly itemLines: readonly number[];
  /** Line of a field by its path (`spec.containers[0].image`), computed on first use. */
  readonly fieldLine: (path: string) => number | undefined;
}

export const DEFAULT_MAX_NODES = 1_000_000;
/** Nesting deeper than this is refused: no manifest needs it, and recursion must stay bounded. */
export const MAX_DEPTH = 1000;
/**
 * The `yaml` package needs a few hundred bytes per token; a document outside the fast path's
 * subset larger than this is refused before it is parsed. The API server takes requests of at
 * most 3 MiB, so no object that can be applied comes near it.
 */
export const MAX_SLOW_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** …and so is one whose count of structural characters promises more tokens than this. */
const MAX_SLOW_TOKENS = 400_000;

/** Nodes one document may have: its own limit, or what is left of the run's budget. */
function perDocument(limits: Limits): number {
  return Math.max(0, Math.min(limits.maxNodes, limits.budget.remaining));
}

const LIST_KIND = /List$/;

/** True for `v1/List` and typed lists (`PodList`, …) that carry `items`. */
export function isListObject(object: KubeObject): boolean {
  return typeof object.kind === "string" && LIST_KIND.test(object.kind) && Array.isArray(object["items"]);
}

/** A problem at an offset of a chunk of text. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- the stream (kubectl's decoder)

/** unicode.IsSpace: what Go's decoder skips when it sniffs for JSON (not the BOM). */
function isGoSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Line starts of the whole text, for offset → line/column. */
class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

/**
 * The end of the JSON value starting at `i` (after Go's json whitespace), or -1 when the text
 * there is not one JSON value. Strings, escapes and nesting are followed; JSON.parse validates.
 */
function jsonValueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 34 /* " */) {
        j++;
        while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
        if (j >= text.length) return -1;
      } else if (ch === 123 || ch === 91) {
        if (++depth > MAX_DEPTH) throw new Refusal(`JSON nested deeper than ${MAX_DEPTH} levels`, j);
      } else if (ch === 125 || ch === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  if (c === '"') {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
    return j < text.length ? j + 1 : -1;
  }
  const m = /^[-+0-9A-Za-z.]+/.exec(text.slice(i, i + 400));
  return m === null ? -1 : i + m[0].length;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

interface Sink {
  readonly lines: Lines;
  readonly docs: ParsedDocument[];
  readonly fail: (offset: number, message: string) => void;
  readonly limits: Limits;
  readonly stop: Stop;
}

/** Set when the node budget is spent: kubectl would read on, but we have said why we stop. */
interface Stop {
  stopped: boolean;
}

interface Limits {
  readonly maxNodes: number;
  readonly fast: boolean;
  readonly budget: NodeBudget;
}

/**
 * A JSON stream as apimachinery's YAMLOrJSONDecoder reads it. Returns the offset where YAML
 * takes over (the decoder switches when the first or second value is not JSON), or -1.
 */
function readJsonStream(text: string, sink: Sink, firstError: { offset: number; message: string }[]): number {
  let pos = 0;
  let count = 0;
  for (;;) {
    let i = pos;
    while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return -1;
    let value: unknown;
    let end = -1;
    try {
      end = jsonValueEnd(text, i);
      value = JSON.parse(text.slice(i, end < 0 ? text.length : end));
    } catch (err) {
      if (err instanceof Refusal) {
        sink.fail(err.offset, err.message);
        return -1;
      }
      if (count === 0) {
        const message = err instanceof Error ? err.message : String(err);
        const at = /position (\d+)/.exec(message);
        firstError.push({ offset: i + (at ? Number(at[1]) : 0), message: `invalid JSON: ${firstLine(message)}` });
      }
      end = -1;
    }
    if (end < 0) {
      if (count > 1) {
        sink.fail(i, "invalid JSON: a stream of several JSON objects continues with text that is not JSON");
        return -1;
      }
      // Go rewinds to the end of the last value and eats spaces up to and including a newline.
      let j = pos;
      while (j < text.length && isGoSpace(text.charCodeAt(j))) {
        j++;
        if (text.charCodeAt(j - 1) === 10) break;
      }
      return j;
    }
    count++;
    pos = end;
    if (value === null) continue; // a null document is skipped, as kubectl's RawExtension does
    const nodes = countNodes(value);
    if (nodes > perDocument(sink.limits)) {
      sink.fail(
        i,
        `over the node budget (${perDocument(sink.limits)} nodes left for this document): check the input in parts`,
      );
      return -1;
    }
    sink.limits.budget.remaining -= nodes;
    const bad = nonJsonValue(value);
    if (bad !== undefined) {
      sink.fail(i, bad);
      continue;
    }
    const line = sink.lines.at(i).line;
    // JSON is YAML: field lines come from building the same text again with positions.
    sink.docs.push({ value, line, itemLines: [], fieldLine: lazyFieldLines(text.slice(i, end), line, sink.limits) });
  }
}

/** Entries and items of a JSON value, as the YAML side counts them. */
function countNodes(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    n++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === "object" && v !== null) for (const x of Object.values(v)) stack.push(x);
  }
  return n;
}

/** A lone UTF-16 surrogate: Go's decoder turns its escape into U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** JSON.parse accepts what Go's decoder reads differently: numbers out of range, lone surrogates. */
function nonJsonValue(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "number" && !Number.isFinite(v)) return "a JSON number out of range";
    if (typeof v === "string" && LONE_SURROGATE.test(v)) return "a JSON string with a lone surrogate escape";
    if (Array.isArray(v)) stack.push(...v);
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return "a JSON key with a lone surrogate escape";
        stack.push(x);
      }
    }
  }
  return undefined;
}

/**
 * YAML as apimachinery's YAMLReader splits it: lines (CRLF read as LF); a line starting with
 * `---` ends the document when the document has content (it opens the document otherwise);
 * after `---` only spaces or a comment may follow.
 */
function readYamlStream(text: string, from: number, sink: Sink): void {
  let chunk: string[] = [];
  let chunkStart = from;
  const flush = (): void => {
    if (chunk.length > 0) readYamlDocument(chunk.join(""), chunkStart, sink);
    chunk = [];
  };
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl < 0 ? text.length : nl;
    let line = text.slice(pos, lineEnd);
    if (nl >= 0 && line.endsWith("\r")) line = line.slice(0, -1);
    if (line.startsWith("---")) {
      const rest = line.slice(3).trim();
      if (rest !== "" && !rest.startsWith("#")) {
        sink.fail(pos, `invalid YAML document separator: ${JSON.stringify(line)} (only a comment may follow ---)`);
        return; // kubectl stops reading the stream here
      }
      if (chunk.length > 0) {
        flush();
        pos = nl < 0 ? text.length : nl + 1;
        chunkStart = pos;
        continue;
      }
    }
    if (chunk.length === 0) chunkStart = pos;
    chunk.push(`${line}\n`);
    pos = nl < 0 ? text.length : nl + 1;
  }
  flush();
}

// ---------------------------------------------------------------- one YAML document

/** Characters go-yaml (libyaml) refuses in a stream: C0/C1 controls, surrogates, U+FFFE/FFFF. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NON_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udfff]/u;

function readYamlDocument(chunk: string, start: number, sink: Sink): void {
  if (sink.stop.stopped) return;
  if (perDocument(sink.limits) === 0 && /^[ \t]*[^ \t\n#]/m.test(chunk)) {
    sink.stop.stopped = true;
    sink.fail(start, "the node budget of this run is spent (too many objects at once): check the input in parts");
    return;
  }
  // libyaml takes a byte-order mark at the start of each stream it reads (kubectl gives it one
  // stream per document); anywhere else it is content we do not try to place.
  const body = chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
  const base = start + chunk.length - body.length;
  const bad = NON_PRINTABLE.exec(body);
  if (bad !== null) {
    const cp = bad[0].codePointAt(0) ?? 0;
    sink.fail(base + bad.index, `character U+${cp.toString(16).toUpperCase().padStart(4, "0")} is not allowed in YAML`);
    return;
  }
  const bom = body.indexOf("\ufeff");
  if (bom >= 0) {
    sink.fail(base + bom, "a byte-order mark inside the text (only the first character may be one)");
    return;
  }
  const directive = /^(?:[ \t]*(?:#.*)?\n)*%/.exec(body);
  if (directive !== null) {
    // kubectl splits the stream at `---` lines before go-yaml sees it, so a directive is always
    // cut off from its document: go-yaml fails with "did not find expected <document start>".
    sink.fail(
      base + directive[0].length - 1,
      "a %YAML or %TAG directive: kubectl cannot read one (it splits the stream at `---`)",
    );
    return;
  }
  const end = /^(?:[ \t]*(?:#.*)?\n)*\.\.\.(?:[ \t\n]|$)/.exec(body);
  if (end !== null && end.index === 0) {
    // `...` with no document before it in its `---` section: go-yaml finds no node content.
    sink.fail(base + end[0].length - 3, "a `...` document end marker with no document before it");
    return;
  }
  const startLine = sink.lines.at(base).line;
  if (sink.limits.fast) {
    const fast = fastParse(body, perDocument(sink.limits));
    if (fast !== undefined) {
      fast.forEach((doc, index) => {
        sink.limits.budget.remaining -= doc.nodes;
        sink.docs.push({
          value: doc.value,
          line: startLine + doc.line - 1,
          itemLines: doc.itemLines.map((l) => startLine + l - 1),
          fieldLine: lazyFastFieldLines(body, index, startLine, sink.limits),
        });
      });
      return;
    }
  }
  const built = buildSlow(body, perDocument(sink.limits), false);
  if (built instanceof Refusal) {
    sink.fail(base + Math.min(built.offset, body.length), built.message);
    return;
  }
  if (built === null) return;
  sink.limits.budget.remaining -= built.nodes;
  sink.docs.push({
    value: built.value,
    line: startLine + built.line - 1,
    itemLines: built.itemLines.map((l) => startLine + l - 1),
    fieldLine: lazyFieldLines(body, startLine, sink.limits),
  });
}

/**
 * A fast-path document's field lines: the fast parser again, with positions, once, when asked.
 * (Asking the slow parser instead cost a whole `yaml` parse per object with findings: 4× the time
 * of `palisade check` on a large set.) The same text gives the same values, so only the lines are new.
 */
function lazyFastFieldLines(
  body: string,
  index: number,
  startLine: number,
  limits: Limits,
): (path: string) => number | undefined {
  let traced: FastDocument | null | undefined;
  return (path) => {
    if (traced === undefined) traced = fastParse(body, limits.maxNodes, true)?.[index] ?? null;
    if (traced === null || traced.lines === undefined) return undefined;
    const line = lineOfPath(traced.value, traced.lines, path);
    return line === undefined ? undefined : startLine + line - 1;
  };
}

/** Field lines are found by building the document again with positions, once, when asked. */
function lazyFieldLines(body: string, startLine: number, limits: Limits): (path: string) => number | undefined {
  let traced: Built | null | undefined;
  return (path) => {
    if (traced === undefined) {
      const b = buildSlow(body, limits.maxNodes, true);
      traced = b instanceof Refusal ? null : b;
    }
    if (traced === null || traced.lines === undefined) return undefined;
    const line = lineOfPath(traced.value, traced.lines, path);
    return line === undefined ? undefined : startLine + line - 1;
  };
}

interface Built {
  readonly value: unknown;
  readonly line: number;
  readonly itemLines: number[];
  readonly nodes: number;
  /** With tracing: for each mapping and list built, the line of each key or item. */
  readonly lines?: WeakMap<object, Map<string | number, number>>;
}

function buildSlow(body: string, maxNodes: number, trace: boolean): Built | Refusal | null {
  if (body.length > MAX_SLOW_DOCUMENT_BYTES)
    return new Refusal(
      `a YAML document of ${body.length} characters outside plain block style (the limit is ${MAX_SLOW_DOCUMENT_BYTES}; the API server takes at most 3 MiB per object): split it`,
      0,
    );
  // The `yaml` package needs about a kilobyte per token and recurses per level: count both first.
  let tokens = 0;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 91 || c === 123) {
      tokens++;
      if (++depth > MAX_DEPTH) return new Refusal(`YAML nested deeper than ${MAX_DEPTH} levels`, i);
    } else if (c === 93 || c === 125) {
      tokens++;
      if (depth > 0) depth--;
    } else if (c === 44 || c === 58 || c === 45 || c === 10 || c === 38 || c === 42) tokens++;
  }
  const maxTokens = Math.min(MAX_SLOW_TOKENS, maxNodes * 4);
  if (tokens > maxTokens)
    return new Refusal(
      `a YAML document with about ${tokens} tokens outside plain block style (the limit is ${maxTokens}): split it`,
      0,
    );
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(body, {
      version: "1.1",
      schema: "failsafe",
      uniqueKeys: false,
      merge: false,
      lineCounter,
      prettyErrors: false,
      keepSourceTokens: false,
    }) as Document.Parsed[];
  } catch (err) {
    return new Refusal(`cannot parse: ${err instanceof Error ? err.message : String(err)}`, 0);
  }
  if (!Array.isArray(docs)) docs = [docs];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  for (const doc of docs) {
    const e = doc.errors[0];
    if (e !== undefined) return new Refusal(`invalid YAML: ${firstLine(e.message)}`, e.pos[0]);
  }
  if (docs.length === 0) return null;
  if (docs.length > 1) {
    const second = docs[1] as Document.Parsed;
    return new Refusal(
      "a second YAML document after `...` in the same `---` section: kubectl reads only the first; put `---` between them",
      second.range[0],
    );
  }
  const doc = docs[0] as Document.Parsed;
  const badTag = tagWithoutSpace(body);
  if (badTag !== undefined) return badTag;
  const builder = new GoYamlBuilder(body, lineOf, maxNodes, trace);
  let value: unknown;
  try {
    value = builder.document(doc.contents);
  } catch (err) {
    if (err instanceof Refusal) return err;
    if (err instanceof RangeError) return new Refusal("YAML nested too deeply", 0);
    throw err;
  }
  if (value === null) return null; // empty, comments only, or `null`: kubectl skips it
  const contents = doc.contents as YamlNode;
  const itemLines: number[] = [];
  if (isMap(contents)) {
    const items = contents.items.find((p) => isScalar(p.key) && p.key.value === "items")?.value;
    if (isSeq(items)) for (const it of items.items) itemLines.push(lineOf((it as YamlNode).range?.[0] ?? 0));
  }
  return {
    value,
    line: lineOf(contents.range?.[0] ?? 0),
    itemLines,
    nodes: builder.nodes,
    ...(builder.lines !== undefined ? { lines: builder.lines } : {}),
  };
}

/**
 * libyaml reads a tag as `!` and URI characters (`,` `[` `]` included) and wants a blank right
 * after it; the `yaml` package ends a tag at a flow indicator. Its own lexer says where its
 * tags are, so only real tags are looked at (never text in quotes or comments).
 */
function tagWithoutSpace(body: string): Refusal | undefined {
  if (!body.includes("!")) return undefined;
  let offset = 0;
  for (const tok of new Lexer().lex(body)) {
    // The lexer's control tokens (document start, scalar, flow error end) are not source text.
    if (tok === "\x02" || tok === "\x18" || tok === "\x1f") continue;
    if (CST.tokenType(tok) === "tag" && !tok.startsWith("!<")) {
      const next = body[offset + tok.length];
      if (/[,[\]]/.test(tok) || (next !== undefined && next !== " " && next !== "\t" && next !== "\n"))
        return new Refusal(`the YAML tag ${tok} must be followed by a space (kubectl's reader refuses it)`, offset);
    }
    offset += tok.length;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

// ---------------------------------------------------------------- go-yaml v2's decoder

const TAG = "tag:yaml.org,2002:";
/** go-yaml v2's alias budget (decode.go): its ratio of alias-driven decodes to all decodes. */
const ALIAS_RATIO_LOW = 400_000;
const ALIAS_RATIO_HIGH = 4_000_000;
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW));
}

/** A key as go-yaml holds it in map[interface{}]interface{}: its Go type and value. */
interface GoKey {
  /** Identity in the Go map: type and value. */
  readonly id: string;
  /** The JSON key sigs.k8s.io/yaml makes of it. */
  readonly json: string;
}

type Built1 = unknown;

/**
 * Builds a document's value as go-yaml v2 decodes it into interface{} and sigs.k8s.io/yaml turns
 * that into JSON, from the `yaml` package's syntax tree (failsafe schema: scalars are text).
 */
class GoYamlBuilder {
  readonly lines: WeakMap<object, Map<string | number, number>> | undefined;
  private decodeCount = 0;
  get nodes(): number {
    return this.decodeCount;
  }
  private aliasCount = 0;
  private aliasDepth = 0;
  private depth = 0;
  private readonly expanding = new Set<Alias>();
  /** The node each alias names: the latest anchor of that name before it (libyaml's rule). */
  private readonly targets = new Map<Alias, YamlNode | undefined>();
  /** Scalars written inside a flow collection, where libyaml's plain scalars follow YAML 1.1. */
  private readonly inFlow = new Set<Scalar>();

  constructor(
    private readonly text: string,
    private readonly lineOf: (offset: number) => number,
    private readonly maxNodes: number,
    trace: boolean,
  ) {
    this.lines = trace ? new WeakMap() : undefined;
  }

  document(contents: YamlNode | null): unknown {
    if (contents === null) return null;
    this.resolveAnchors(contents);
    this.decodeCount++; // the document node
    return this.unmarshal(contents);
  }

  /** Anchors in document order; an anchor is defined before its node's children (so `&a [*a]` names itself). */
  private resolveAnchors(root: YamlNode): void {
    const anchors = new Map<string, YamlNode>();
    const stack: [unknown, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [n, inFlow] = stack.pop() as [unknown, boolean];
      if (n === null || n === undefined) continue;
      if (isAlias(n)) {
        this.targets.set(n, anchors.get(n.source));
        continue;
      }
      if (isPair(n)) {
        stack.push([n.value, inFlow], [n.key, inFlow]);
        continue;
      }
      const node = n as YamlNode;
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
      if (isScalar(node) && inFlow) this.inFlow.add(node);
      if (isMap(node) || isSeq(node)) {
        const flow = inFlow || node.flow === true;
        for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], flow]);
      }
    }
  }

  private offset(node: YamlNode | null | undefined): number {
    return node?.range?.[0] ?? 0;
  }

  private refuse(node: YamlNode | null | undefined, message: string): never {
    throw new Refusal(message, this.offset(node));
  }

  private line(node: YamlNode | null | undefined): number {
    return this.lineOf(this.offset(node));
  }

  /** d.unmarshal: counts every decode as go-yaml does, for its alias budget and ours. */
  private count(node: YamlNode | null): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    )
      this.refuse(node, "document contains excessive aliasing (a possible alias bomb)");
    if (this.decodeCount > this.maxNodes)
      this.refuse(
        node,
        `over the node budget (${this.maxNodes} nodes left for this document, counting alias expansions): check the input in parts`,
      );
  }

  private unmarshal(node: YamlNode | null): Built1 {
    this.count(node);
    if (node === null) return null; // an absent node is an empty plain scalar: null
    if (isAlias(node)) return this.alias(node, (target) => this.unmarshalTarget(target));
    return this.unmarshalTarget(node);
  }

  private unmarshalTarget(node: YamlNode): Built1 {
    if (isScalar(node)) return this.scalar(node);
    if (++this.depth > MAX_DEPTH) this.refuse(node, `YAML nested deeper than ${MAX_DEPTH} levels`);
    try {
      if (isMap(node)) {
        const out = new Map<string, { key: GoKey; value: unknown; line: number }>();
        this.mapping(node, out);
        return this.toObject(out);
      }
      if (isSeq(node)) {
        const arr: unknown[] = [];
        const lines = this.lines !== undefined ? new Map<number, number>() : undefined;
        for (const item of node.items) {
          lines?.set(arr.length, this.line(item as YamlNode));
          arr.push(this.unmarshal(item as YamlNode | null));
        }
        if (lines !== undefined) this.lines?.set(arr, lines);
        return arr;
      }
    } finally {
      this.depth--;
    }
    return this.refuse(node, "unsupported YAML node");
  }

  private alias<T>(node: Alias, then: (target: YamlNode) => T): T {
    const target = this.targets.get(node);
    if (target === undefined) this.refuse(node, `unknown anchor '${node.source}' referenced`);
    if (this.expanding.has(node)) this.refuse(node, `anchor '${node.source}' value contains itself`);
    this.expanding.add(node);
    this.aliasDepth++;
    try {
      this.count(target);
      return then(target);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(node);
    }
  }

  private toObject(out: Map<string, { key: GoKey; value: unknown; line: number }>): Record<string, unknown> {
    // Two different Go keys that print as the same JSON key: Go's map order picks the winner at random.
    const byJson = new Map<string, string>();
    const entries: [string, unknown][] = [];
    const lines = this.lines !== undefined ? new Map<string, number>() : undefined;
    for (const { key, value, line } of out.values()) {
      const seen = byJson.get(key.json);
      if (seen !== undefined)
        throw new Refusal(
          `two different keys both become the JSON key ${JSON.stringify(key.json)} (kubectl keeps one of them at random)`,
          0,
        );
      byJson.set(key.json, key.id);
      entries.push([key.json, value]);
      lines?.set(key.json, line);
    }
    // fromEntries defines own properties, so a `__proto__` key is data, never a prototype.
    const obj = Object.fromEntries(entries) as Record<string, unknown>;
    if (lines !== undefined) this.lines?.set(obj, lines);
    return obj;
  }

  /** d.mapping into a map[interface{}]interface{}: entries in order, merges applied in place. */
  private mapping(node: YamlNode, out: Map<string, { key: GoKey; value: unknown; line: number }>): void {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const v = pair.value as YamlNode | null;
      if (isScalar(k) && isMergeKey(k)) {
        this.merge(v, out, k);
        continue;
      }
      const key = this.key(k);
      const value = this.unmarshal(v);
      const line = this.line(k ?? v);
      out.delete(key.id); // a later duplicate wins; keep the entry's line with it
      out.set(key.id, { key, value, line });
    }
  }

  private merge(
    v: YamlNode | null,
    out: Map<string, { key: GoKey; value: unknown; line: number }>,
    at: YamlNode,
  ): void {
    const wantMap = (): never =>
      this.refuse(v ?? at, "map merge requires map or sequence of maps as the value (a `<<` merge key)");
    const into = (n: YamlNode): void => {
      this.count(n);
      if (isAlias(n)) {
        this.alias(n, (target) => {
          if (!isMap(target)) wantMap();
          this.mergeMap(target, out);
        });
      } else this.mergeMap(n, out);
    };
    if (v === null) return wantMap();
    if (isMap(v)) return into(v);
    if (isAlias(v)) {
      if (!isMap(this.targets.get(v))) wantMap();
      return into(v);
    }
    if (isSeq(v)) {
      // go-yaml steps backwards: earlier maps of the list take precedence.
      for (let i = v.items.length - 1; i >= 0; i--) {
        const item = v.items[i] as YamlNode | null;
        if (item === null) wantMap();
        const isMapLike = isMap(item) || (isAlias(item) && isMap(this.targets.get(item)));
        if (!isMapLike) wantMap();
        into(item as YamlNode);
      }
      return;
    }
    return wantMap();
  }

  private mergeMap(node: YamlNode, out: Map<string, { key: GoKey; value: unknown; line: number }>): void {
    if (++this.depth > MAX_DEPTH) this.refuse(node, `YAML nested deeper than ${MAX_DEPTH} levels`);
    try {
      this.mapping(node, out);
    } finally {
      this.depth--;
    }
  }

  /** A mapping key as go-yaml decodes it, and the JSON key sigs.k8s.io/yaml makes of it. */
  private key(k: YamlNode | null): GoKey {
    this.count(k);
    let node: YamlNode | null = k;
    if (node !== null && isAlias(node)) {
      let resolved: YamlNode | undefined;
      this.alias(node, (t) => (resolved = t));
      node = resolved ?? null;
    }
    if (node !== null && !isScalar(node))
      this.refuse(k, "a mapping key that is a mapping or a list (invalid map key for kubectl)");
    const v = node === null ? null : this.scalar(node);
    if (typeof v === "string") return { id: `s${v}`, json: v };
    if (typeof v === "boolean") return { id: `b${v}`, json: String(v) };
    if (typeof v === "number" && node !== null && node.tag !== `${TAG}float`) {
      // Go prints an int key in decimal; a float key would be printed as float32: not ours.
      const text = goIntegerText(String(node.value).replace(/_/g, ""));
      if (text !== undefined) return { id: `i${text}`, json: text };
    }
    if (v === null) return this.refuse(k, "a null mapping key (`~`, `null` or empty): kubectl refuses it");
    return this.refuse(k, `a mapping key that is a number other than an integer (${String(v)})`);
  }

  /** d.scalar into interface{} (resolve.go + decode.go), then what JSON can carry. */
  private scalar(node: Scalar): unknown {
    const text = String(node.value ?? "");
    const tag = node.tag;
    if (node.type === "QUOTE_DOUBLE") this.checkEscapes(node);
    // No tag: a quoted or block scalar is a string; a plain one is resolved.
    // In [ ] and { }, `a:,` is the scalar "a:" for libyaml (YAML 1.1) but the key `a` for the
    // `yaml` package (YAML 1.2): refuse rather than guess.
    // Spaces before that `:` do not change it: `[a :]` is the scalar "a :" for libyaml.
    if (
      node.type === "PLAIN" &&
      this.inFlow.has(node) &&
      /^[ \t]*:[,[\]{}]/.test(this.text.slice(node.range?.[1] ?? 0))
    )
      this.refuse(
        node,
        "`:` directly before `,` `[` `]` `{` or `}`: kubectl reads it as part of a scalar; add a space after `:` or quote the scalar",
      );
    if (node.type === "PLAIN" && this.inFlow.has(node) && /^[:?]|\?/.test(text))
      this.refuse(
        node,
        `the plain scalar ${JSON.stringify(text)} inside [ ] or { } reads differently in kubectl (\`:\` or \`?\` are indicators there): quote it`,
      );
    if (tag === undefined) {
      if (node.type !== "PLAIN") return text;
      return this.plain(node, text);
    }
    switch (tag) {
      case "!":
      case `${TAG}str`:
        return text;
      case `${TAG}binary`:
        return this.binary(node, text);
      case `${TAG}int`:
      case `${TAG}float`:
      case `${TAG}bool`:
      case `${TAG}null`:
        return this.tagged(node, tag, text);
      case `${TAG}timestamp`:
        return this.refuse(
          node,
          "!!timestamp is not supported (kubectl turns it into an RFC 3339 string): quote the date instead",
        );
      default:
        // go-yaml leaves a scalar with any other tag (`!foo`, `!!merge`, `!!set`, …) its text.
        return text;
    }
  }

  private plain(node: Scalar, text: string): unknown {
    const v = resolvePlain(text);
    if (v === NON_FINITE)
      this.refuse(node, `${text} is an infinite or NaN number, which JSON cannot carry (kubectl refuses the document)`);
    return v;
  }

  /** A scalar with !!int, !!float, !!bool or !!null: resolved, and it must resolve to that type. */
  private tagged(node: Scalar, tag: string, text: string): unknown {
    let v = resolvePlain(text);
    if (v === NON_FINITE) {
      if (tag === `${TAG}float`)
        return this.refuse(
          node,
          `${text} is an infinite or NaN number, which JSON cannot carry (kubectl refuses the document)`,
        );
      v = text; // resolves as a float, so it mismatches the tag below
    }
    const short = `!!${tag.slice(TAG.length)}`;
    const got =
      v === null
        ? "!!null"
        : typeof v === "boolean"
          ? "!!bool"
          : typeof v === "number"
            ? goIntegerText(text.replace(/_/g, "")) !== undefined
              ? "!!int"
              : "!!float"
            : "!!str";
    if (got === short || (short === "!!float" && got === "!!int")) return v;
    return this.refuse(node, `cannot decode ${got} \`${text}\` as a ${short}`);
  }

  /** !!binary: base64 (line breaks allowed, padding required) to a UTF-8 string. */
  private binary(node: Scalar, text: string): string {
    const b64 = text.replace(/[\r\n]/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64))
      this.refuse(node, "!!binary value contains invalid base64 data");
    const bytes = Buffer.from(b64, "base64");
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return this.refuse(node, "!!binary value is not UTF-8 text (kubectl would replace bytes in it)");
    }
  }

  /** Escapes the `yaml` package reads but go-yaml refuses (`\/`, UTF-16 surrogate escapes). */
  private checkEscapes(node: Scalar): void {
    const [start, end] = node.range ?? [0, 0];
    const src = this.text.slice(start, end);
    for (const m of src.matchAll(/\\(\\|\/|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])/g))
      if (m[1] !== "\\")
        this.refuse(node, `the escape ${m[0]}… in a double-quoted string is not one kubectl's YAML reader accepts`);
  }
}

/** go-yaml's merge key: `<<` plain and untagged, or tagged !!merge (or the non-specific `!`). */
function isMergeKey(k: Scalar): boolean {
  if (k.value !== "<<") return false;
  if (k.tag === undefined) return k.type === "PLAIN";
  return k.tag === `${TAG}merge` || k.tag === "!";
}

// ---------------------------------------------------------------- field lines

/** Splits `spec.containers[0]["a.b"].x` into its keys and indexes. */
function splitPath(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\.?([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (m === null) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3] as string) as string);
    i = re.lastIndex;
  }
  return out;
}

function lineOfPath(
  root: unknown,
  lines: WeakMap<object, Map<string | number, number>>,
  path: string,
): number | undefined {
  const parts = splitPath(path);
  if (parts === undefined) return undefined;
  let cur: unknown = root;
  let found: number | undefined;
  for (const part of parts) {
    if (typeof cur !== "object" || cur === null) break;
    const line = lines.get(cur)?.get(part);
    if (line === undefined) break;
    found = line;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return found;
}

// ---------------------------------------------------------------- entry points

/** Every non-empty document of a stream, read as kubectl reads it. */
export function parseDocuments(
  text: string,
  file: string,
  limits: ParseLimits = {},
): { documents: ParsedDocument[]; errors: ParseError[] } {
  const lines = new Lines(text);
  const errors: ParseError[] = [];
  const documents: ParsedDocument[] = [];
  const sink: Sink = {
    lines,
    docs: documents,
    fail: (offset, message) => errors.push({ file, ...lines.at(offset), message }),
    stop: { stopped: false },
    limits: {
      maxNodes: limits.maxNodes ?? DEFAULT_MAX_NODES,
      fast: limits.fast ?? true,
      budget: limits.budget ?? { remaining: Infinity },
    },
  };
  let i = 0;
  while (i < text.length && isGoSpace(text.charCodeAt(i))) i++;
  let yamlFrom = 0;
  const jsonError: { offset: number; message: string }[] = [];
  // kubectl sniffs only its first 4096 bytes for the `{`.
  if (text[i] === "{" && Buffer.byteLength(text.slice(0, i)) < 4096) yamlFrom = readJsonStream(text, sink, jsonError);
  if (yamlFrom >= 0) {
    const before = errors.length;
    readYamlStream(text, yamlFrom, sink);
    // Text that starts like JSON and is neither: kubectl reports the JSON error, as do we.
    const json = jsonError[0];
    if (json !== undefined && documents.length === 0 && errors.length > before)
      errors.splice(before, errors.length - before, { file, ...lines.at(json.offset), message: json.message });
  }
  return { documents, errors };
}

export function parseManifests(text: string, file: string, limits: ParseLimits = {}): ParseResult {
  const { documents, errors } = parseDocuments(text, file, limits);
  const objects: ParsedObject[] = [];
  for (const doc of documents) {
    const fail = (message: string): void => {
      errors.push({ file, line: doc.line, column: 1, message });
    };
    collect(doc.value, doc.line, objects, fail, doc.itemLines, doc.fieldLine, "");
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { objects, errors };
}

function collect(
  value: unknown,
  line: number,
  out: ParsedObject[],
  fail: (message: string) => void,
  itemLines: readonly number[],
  fieldLine: (path: string) => number | undefined,
  prefix: string,
): void {
  if (Array.isArray(value)) {
    fail("document is not a mapping (found a sequence); a Kubernetes object is a mapping with apiVersion and kind");
    return;
  }
  if (!isRecord(value)) {
    fail(
      `document is not a mapping (found a ${typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? "scalar" : typeof value}); a Kubernetes object is a mapping with apiVersion and kind`,
    );
    return;
  }
  const object = value as KubeObject;
  const missing = ["apiVersion", "kind"].filter((k) => typeof value[k] !== "string" || value[k] === "");
  if (missing.length > 0) {
    fail(`object has no ${missing.join(" and ")} (a string is required)`);
    return;
  }
  if (isListObject(object)) {
    (object["items"] as unknown[]).forEach((item, i) => {
      collect(
        item,
        itemLines[i] ?? line,
        out,
        (m) => fail(`items[${i}]: ${m}`),
        [],
        fieldLine,
        `${prefix}items[${i}].`,
      );
    });
    return;
  }
  // Not enumerable: a function, kept out of deep comparisons and serialisations of results.
  const parsed: ParsedObject = { object, line };
  Object.defineProperty(parsed, "fieldLine", { value: (path: string) => fieldLine(prefix + path), enumerable: false });
  out.push(parsed);
}
