/**
 * Helpers for the Pulumi package tests (yaml-app, yaml-insecure, yaml-schema, packed-install):
 * adding the repository (or the installed npm package) as the `palisade` package of a program, and
 * reading rendered manifests.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, parseDocument } from "yaml";
import { type PulumiWorkspace, renderedFiles, ROOT, type RunResult } from "./pulumi";

/**
 * `pulumi package add <source>` in the program's folder, then the `packages` entry it means to
 * write. The CLI (v3.259.0) gets the schema from the plugin and asks the YAML host to generate and
 * link an SDK; pulumi-yaml v1.25.0 has no Link method, so the command fails after the schema step
 * and leaves Pulumi.yaml as it was (docs/pulumi-package.md). The entry is then written here, as
 * the CLI writes it for a folder: the folder's path. `source` is the repository by default; the
 * packed-install test passes the installed package (`./node_modules/palisade-k8s`).
 */
export function addPalisadePackage(ws: Pick<PulumiWorkspace, "dir" | "pulumi">, source: string = ROOT): RunResult {
  const add = ws.pulumi(["package", "add", source]);
  const file = path.join(ws.dir, "Pulumi.yaml");
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  doc.setIn(["packages", "palisade"], source);
  fs.writeFileSync(file, doc.toString());
  return add;
}

/** Every rendered file (path relative to the folder) with its parsed YAML documents. */
export function renderedManifests(dir: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const file of renderedFiles(dir))
    out.set(
      path.relative(dir, file),
      parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS() as unknown),
    );
  return out;
}

/** Runs `f` and returns its result with the wall time it took, in seconds. */
export function timed<T>(f: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = f();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
