/**
 * Manifest text → objects with their source lines, or errors that name file, line and column.
 * YAML is read as 1.1 (what kubectl's sigs.k8s.io/yaml does: `yes`/`on` are booleans), with
 * aliases bounded so a billion-laughs document is an error, never a hang.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import { isRecord } from "./access";
import { fastParse } from "./fast-yaml";
import type { KubeObject } from "./types";

export interface ParsedObject {
  readonly object: KubeObject;
  readonly line: number;
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
  /** Alias expansions allowed per document (yaml's own guard against alias bombs). */
  readonly maxAliasCount?: number;
  /**
   * Try the fast path for plain block YAML first (fast-yaml.ts); it hands anything else to the
   * `yaml` package, with the same results. false: always the `yaml` package. @default true
   */
  readonly fast?: boolean;
}

const LIST_KIND = /List$/;

/** True for `v1/List` and typed lists (`PodList`, …) that carry `items`. */
export function isListObject(object: KubeObject): boolean {
  return typeof object.kind === "string" && LIST_KIND.test(object.kind) && Array.isArray(object["items"]);
}

export function parseManifests(text: string, file: string, limits: ParseLimits = {}): ParseResult {
  const objects: ParsedObject[] = [];
  const errors: ParseError[] = [];
  const lineCounter = new LineCounter();
  const position = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (offset: number, message: string): void => {
    errors.push({ file, ...position(offset), message });
  };

  if (text.trimStart().startsWith("{") || text.trimStart().startsWith("[")) {
    // JSON is YAML, but JSON.parse is faster and its errors are the ones users expect.
    try {
      const value: unknown = JSON.parse(text);
      collect(value, 1, objects, (message) => errors.push({ file, line: 1, column: 1, message }));
      return { objects, errors };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const m = /position (\d+)/.exec(message);
      const offset = m ? Number(m[1]) : 0;
      const before = text.slice(0, offset).split("\n");
      errors.push({
        file,
        line: before.length,
        column: (before[before.length - 1] ?? "").length + 1,
        message: `invalid JSON: ${message}`,
      });
      return { objects, errors };
    }
  }

  const fast = limits.fast === false ? undefined : fastParse(text);
  if (fast !== undefined) {
    for (const doc of fast) {
      const fail = (message: string): void => {
        errors.push({ file, line: doc.line, column: 1, message });
      };
      collect(doc.value, doc.line, objects, fail, doc.itemLines);
    }
    return { objects, errors };
  }

  const docs = parseAllDocuments(text, {
    version: "1.1",
    merge: true,
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) fail(e.pos[0], `invalid YAML: ${firstLine(e.message)}`);
      continue;
    }
    const contents = doc.contents as YamlNode | null;
    if (contents === null) continue; // an empty document between separators
    const start = contents.range?.[0] ?? 0;
    if (!isMap(contents)) {
      fail(
        start,
        `document is not a mapping (found ${isSeq(contents) ? "a sequence" : "a scalar"}); a Kubernetes object is a mapping with apiVersion and kind`,
      );
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount ?? 100 });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      fail(
        start,
        /alias/i.test(message) ? `too many YAML alias expansions (a possible alias bomb): ${message}` : message,
      );
      continue;
    }
    const itemLines = listItemLines(contents, (offset) => position(offset).line);
    collect(value, position(start).line, objects, (message) => fail(start, message), itemLines);
  }
  return { objects, errors };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** Lines of each `items[i]` of a List document, so findings point at the item, not the List. */
function listItemLines(map: YamlNode, lineOf: (offset: number) => number): number[] {
  if (!isMap(map)) return [];
  const items = map.get("items", true);
  if (!isSeq(items)) return [];
  return items.items.map((item) => lineOf((item as YamlNode).range?.[0] ?? 0));
}

function collect(
  value: unknown,
  line: number,
  out: ParsedObject[],
  fail: (message: string) => void,
  itemLines: readonly number[] = [],
): void {
  if (Array.isArray(value)) {
    fail("document is a sequence; a Kubernetes object is a mapping with apiVersion and kind");
    return;
  }
  if (!isRecord(value)) {
    fail("document is not a mapping; a Kubernetes object is a mapping with apiVersion and kind");
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
      collect(item, itemLines[i] ?? line, out, (m) => fail(`items[${i}]: ${m}`));
    });
    return;
  }
  out.push({ object, line });
}
