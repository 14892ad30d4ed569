/**
 * Reading manifests from files, directories and standard input. Every problem is an input
 * error that names the file (and line and column when the YAML says where): missing paths,
 * binary files, files over the size limit, malformed YAML, documents that are not objects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseManifests, type ParseError } from "../policypack/engine/parse";
import type { KubeObject, SourceLocation } from "../policypack/engine/types";

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
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface LoadedObjects {
  readonly objects: KubeObject[];
  readonly sources: Map<KubeObject, SourceLocation>;
  readonly errors: ParseError[];
  readonly files: number;
}

export interface LoadOptions {
  readonly maxFileBytes?: number;
  readonly readStdin?: () => Promise<string>;
}

function inputError(file: string, message: string): ParseError {
  return { file, line: 0, column: 0, message };
}

/** Expands paths into files: directories recursively (manifest extensions only), in sorted order. */
export function expandPaths(paths: readonly string[], errors: ParseError[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push(inputError(dir, `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (
        MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) &&
        !NON_MANIFEST_FILES.has(entry.name) &&
        !/^Pulumi\..+\.ya?ml$/.test(entry.name)
      ) {
        files.push(full);
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
  const objects: KubeObject[] = [];
  const sources = new Map<KubeObject, SourceLocation>();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files = expandPaths(paths, errors);
  for (const file of files) {
    let text: string;
    if (file === "-") {
      text = await (options.readStdin ?? readStdin)();
    } else {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch (err) {
        errors.push(inputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
        continue;
      }
      if (size > maxBytes) {
        errors.push(
          inputError(file, `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit (--max-file-size)`),
        );
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        errors.push(inputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
        continue;
      }
      if (looksBinary(bytes)) {
        errors.push(inputError(file, "binary file: not YAML or JSON"));
        continue;
      }
      text = bytes.toString("utf8");
    }
    const name = file === "-" ? "<stdin>" : file;
    let parsed;
    try {
      parsed = parseManifests(text, name);
    } catch (err) {
      // The YAML library can fail on pathological input (deep nesting): an input error, not a crash.
      errors.push(inputError(name, `cannot parse: ${err instanceof Error ? err.message : String(err)}`));
      continue;
    }
    errors.push(...parsed.errors);
    for (const { object, line } of parsed.objects) {
      objects.push(object);
      sources.set(object, { file: name, line });
    }
  }
  return { objects, sources, errors, files: files.length };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

/** `file:line:column: message` (line and column when known). */
export function formatParseError(e: ParseError): string {
  if (e.line <= 0) return `${e.file}: ${e.message}`;
  return e.column > 0 ? `${e.file}:${e.line}:${e.column}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
}
