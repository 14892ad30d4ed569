/**
 * Reading manifests from files, directories and standard input. Every problem is an input
 * error that names the file (and line and column when the YAML says where): missing paths,
 * binary files, input over the size limit (files, pipes, devices and standard input alike),
 * malformed YAML, documents that are not objects. A directory walk follows symlinked folders
 * (a checker must see what `kubectl apply -f <link>` would apply; cycles are noted and cut) and
 * skips what is not a regular file (FIFOs, sockets, devices: reading one can block or never
 * end) with a note. Shared by the CLI and the cdk8s plugin.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./args";
import { flattenLists } from "../policypack/engine/evaluate";
import { describe as describeResource, resourceRef } from "../policypack/engine/kinds";
import { parseManifests, type NodeBudget, type ParseError } from "../policypack/engine/parse";
import { podView, type PodView } from "../policypack/engine/pod";
import { shapeErrors } from "../policypack/engine/shape";
import type { Finding, KubeObject, SourceLocation } from "../policypack/engine/types";

export const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];
/** Folders a recursive walk passes over: dependencies and VCS metadata are never manifests. */
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);
/**
 * Files a recursive walk passes over: tool configuration and metadata that sit beside manifests
 * (cdk8s writes construct-metadata.json into its output folder). Named explicitly, they are read.
 */
export const NON_MANIFEST_FILES = new Set([
  "construct-metadata.json",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "cdk8s.yaml",
  "Pulumi.yaml",
  "PulumiPolicy.yaml",
  "Chart.yaml",
  "values.yaml",
]);
/**
 * Per input. Parsing needs several times the text in memory; 64 MiB keeps a run under about a
 * gigabyte, and no object the API server accepts (3 MiB per request) comes near it.
 */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Nodes (mapping entries, list items) read in one run, all files together: every object is
 * kept for the stack controls, so this is what bounds memory (about 300 bytes a node, all in).
 */
export const MAX_TOTAL_NODES = 3_000_000;

/** Where an object came from, and where each of its fields is (for findings that name a path). */
export interface LocatedSource extends SourceLocation {
  /** The line of the object's document (or List item); `line` is the same until a field is located. */
  readonly objectLine: number;
}

export interface LoadedObjects {
  readonly objects: KubeObject[];
  readonly sources: Map<KubeObject, LocatedSource>;
  readonly errors: ParseError[];
  /** Things passed over on purpose (FIFOs in a walk, symlink cycles): said, not silent. */
  readonly notes: string[];
  readonly files: number;
  /** The line of a field of an object, by the source the loader gave it. */
  readonly fieldLine: (source: SourceLocation, path: string) => number | undefined;
}

export interface LoadOptions {
  readonly maxFileBytes?: number;
  /** Standard input's text (tests inject it); by default it is read, bounded by maxFileBytes. */
  readonly readStdin?: () => Promise<string>;
}

function inputError(file: string, message: string): ParseError {
  return { file, line: 0, column: 0, message };
}

function isManifestName(name: string): boolean {
  return (
    MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase()) &&
    !NON_MANIFEST_FILES.has(name) &&
    !/^Pulumi\..+\.ya?ml$/.test(name)
  );
}

/**
 * Expands paths into files: directories recursively (manifest extensions only, regular files
 * only, symlinked folders followed once), in sorted order. Paths named explicitly are read
 * whatever they are (a pipe such as `<(helm template …)` is a fine input; the size limit holds).
 */
export function expandPaths(paths: readonly string[], errors: ParseError[], notes: string[] = []): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      errors.push(inputError(dir, `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
      return;
    }
    if (visited.has(real)) {
      notes.push(`${dir}: skipped, already read as ${real} (a symlink loop or a second link to it)`);
      return;
    }
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push(inputError(dir, `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      let stat: fs.Stats | fs.Dirent = entry;
      if (entry.isSymbolicLink()) {
        try {
          stat = fs.statSync(full);
        } catch {
          if (isManifestName(entry.name)) notes.push(`${full}: skipped, a symlink to nothing`);
          continue;
        }
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (isManifestName(entry.name)) {
        if (stat.isFile()) files.push(full);
        else notes.push(`${full}: skipped, not a regular file (${kindOf(stat)}); name it to read it`);
      }
    }
  };
  for (const p of paths) {
    if (p === "-") {
      files.push("-");
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(
        inputError(p, code === "ENOENT" ? "no such file or directory" : `cannot read: ${code ?? String(err)}`),
      );
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else files.push(p);
  }
  return files;
}

function kindOf(stat: fs.Stats | fs.Dirent): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a file";
}

/**
 * The bytes of a file, reading at most maxBytes + 1 so a pipe, a device (`/dev/zero`) or a
 * file that grows cannot exhaust memory: undefined when there is more than maxBytes.
 */
function readBounded(file: string, maxBytes: number): Buffer | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(size - total, 64 * 1024), maxBytes + 1 - total);
      if (want <= 0) return undefined;
      const buf = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, want, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") continue; // a non-blocking pipe: wait for more
        throw err;
      }
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return undefined;
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the bytes look binary: a NUL byte, or text that is not valid UTF-8. */
export function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedObjects> {
  const errors: ParseError[] = [];
  const notes: string[] = [];
  const objects: KubeObject[] = [];
  const sources = new Map<KubeObject, LocatedSource>();
  const locators = new WeakMap<SourceLocation, (path: string) => number | undefined>();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tooBig = (what: string): string =>
    `${what} over the ${formatBytes(maxBytes)} limit (--max-file-size): refused unread past it`;
  const files = expandPaths(paths, errors, notes);
  const budget: NodeBudget = { remaining: MAX_TOTAL_NODES };
  for (const file of files) {
    const name = file === "-" ? "<stdin>" : file;
    let bytes: Buffer | undefined;
    if (file === "-") {
      bytes =
        options.readStdin !== undefined ? Buffer.from(await options.readStdin(), "utf8") : await readStdin(maxBytes);
      if (bytes === undefined || bytes.length > maxBytes) {
        errors.push(inputError(name, tooBig("standard input is")));
        continue;
      }
    } else {
      try {
        const size = fs.statSync(file).size;
        if (size > maxBytes) {
          errors.push(
            inputError(file, `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit (--max-file-size)`),
          );
          continue;
        }
        bytes = readBounded(file, maxBytes);
      } catch (err) {
        errors.push(inputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
        continue;
      }
      if (bytes === undefined) {
        errors.push(inputError(file, tooBig("input is")));
        continue;
      }
    }
    if (looksBinary(bytes)) {
      errors.push(inputError(name, "binary file: not YAML or JSON"));
      continue;
    }
    let parsed;
    try {
      parsed = parseManifests(bytes.toString("utf8"), name, { budget });
    } catch (err) {
      // Pathological input the reader did not foresee: an input error, not a crash.
      errors.push(inputError(name, `cannot parse: ${err instanceof Error ? err.message : String(err)}`));
      continue;
    }
    for (const e of parsed.errors) errors.push(e);
    for (const { object, line, fieldLine } of parsed.objects) {
      objects.push(object);
      const source: LocatedSource = { file: name, line, objectLine: line };
      sources.set(object, source);
      if (fieldLine !== undefined) locators.set(source, fieldLine);
    }
  }
  const fieldLine = (source: SourceLocation, p: string): number | undefined => locators.get(source)?.(p);
  return { objects, sources, errors, notes, files: files.length, fieldLine };
}

/**
 * Findings moved to their field's own line (SARIF regions, text, JSON, the cdk8s report); the
 * object's line stays as `objectLine` for grouping. A finding with no path keeps the object's.
 */
export function locateFindings<F extends Finding>(findings: readonly F[], loaded: LoadedObjects): F[] {
  return findings.map((f) => {
    if (f.source === undefined) return f;
    const objectLine = (f.source as Partial<LocatedSource>).objectLine ?? f.source.line;
    const line = f.path !== undefined ? (loaded.fieldLine(f.source, f.path) ?? objectLine) : objectLine;
    const source: LocatedSource = { file: f.source.file, line, objectLine };
    return { ...f, source };
  });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Standard input, read until its end or until it passes maxBytes (then it is left unread). */
function readStdin(maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (c: Buffer): void => {
      total += c.length;
      if (total > maxBytes) {
        process.stdin.off("data", onData);
        process.stdin.pause();
        process.stdin.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    process.stdin.on("data", onData);
    process.stdin.on("end", () => resolve(Buffer.concat(chunks, total)));
    process.stdin.on("error", reject);
  });
}

/** `file:line:column: message` (line and column when known). */
export function formatParseError(e: ParseError): string {
  if (e.line <= 0) return `${e.file}: ${e.message}`;
  return e.column > 0 ? `${e.file}:${e.line}:${e.column}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
}

/** What the whole-set commands (reach, upgrade, access) analyse: flat objects, where each came from, input errors. */
export interface AnalysisInput {
  readonly loaded: LoadedObjects;
  /** Every object, List items flattened. */
  readonly objects: KubeObject[];
  readonly sources: Map<KubeObject, LocatedSource>;
  /** Input errors as the CLI prints them (`file:line: …`), parse errors first. */
  readonly errors: string[];
  /** `file:line` of an object, or `<input>`. */
  readonly where: (object: KubeObject) => string;
}

export interface AnalysisLoadOptions extends LoadOptions {
  /** Which objects' field types are checked (the kinds the analysis reads). */
  readonly shapeChecked: (object: KubeObject, pod: PodView | undefined) => boolean;
  /** Custom pod-bearing kinds, as the config names them. */
  readonly podTemplatePaths?: Readonly<Record<string, string>>;
}

/**
 * Load, flatten Lists, and check field types of the kinds an analysis reads: a wrong-typed field
 * (the same checks as palisade check) is an input error named by file, object and field, never a
 * silent guess. One home for what reach, upgrade and access each did by hand.
 */
export async function loadForAnalysis(paths: readonly string[], options: AnalysisLoadOptions): Promise<AnalysisInput> {
  const loaded = await loadManifests(paths, options);
  const errors = loaded.errors.map(formatParseError);
  const objects: KubeObject[] = [];
  const sources = new Map<KubeObject, LocatedSource>();
  const where = (object: KubeObject): string => {
    const at = sources.get(object);
    return at === undefined ? "<input>" : `${at.file}:${at.line}`;
  };
  for (const o of loaded.objects) {
    const at = loaded.sources.get(o);
    const listWhere = at === undefined ? "<input>" : `${at.file}:${at.line}`;
    for (const item of flattenLists([o], (m) => errors.push(`${listWhere}: ${m}`))) {
      objects.push(item);
      if (at !== undefined) sources.set(item, at);
      const pod = podView(item, options.podTemplatePaths);
      if (options.shapeChecked(item, pod))
        for (const e of shapeErrors(item, pod))
          errors.push(`${listWhere}: ${describeResource(resourceRef(item))}: ${e.message}`);
    }
  }
  return { loaded, objects, sources, errors, where };
}

/** `--max-file-size BYTES`, validated. */
export function maxFileBytesOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError("--max-file-size must be a positive whole number of bytes");
  return n;
}

/** A namespace flag's value, refused unless it is a namespace name the API server would accept (a DNS label). */
export function namespaceOption(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) || text.length > 63)
    throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a valid namespace name`);
  return text;
}
