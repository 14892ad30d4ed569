/**
 * Every `pass.*.yaml` fixture under test/fixtures/** whose objects are built-in kinds must be
 * valid Kubernetes: `kubectl apply --server-side --dry-run=server --validate=strict` accepts it
 * (schema, unknown and duplicate fields, API validation, API versions served by v1.35). The
 * namespaces the fixtures name are created first (unlabelled, so Pod Security does not interfere:
 * this is about validity, not policy).
 *
 * Fixtures belong to the control authors: a refused one is listed (file, object, server message)
 * in .tools/control-plane/reports/fixtures-valid.json and fails the test; nothing is edited here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { isBuiltinKind } from "../../policypack/engine/kinds";
import { parseManifests } from "../../policypack/engine/parse";
import type { KubeObject } from "../../policypack/engine/types";
import { FIXTURES } from "../helpers/fixtures";
import { ControlPlane, mapLimit, ROOT, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS, writeReport } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

function passFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...passFixtures(full));
    else if (/^pass\..+\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

interface FileResult {
  readonly file: string;
  readonly objects: number;
  readonly builtin: number;
  readonly skipped: string[];
  readonly ok: boolean;
  readonly output: string;
  /** Refused only because it targets an older Kubernetes whose API versions 1.35 no longer serves. */
  readonly olderTarget?: string;
}

let cp: ControlPlane;
let scratch: string;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: [] });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-fixtures-"));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

it("server-side apply with strict field validation accepts every pass.*.yaml fixture of built-in kinds", async () => {
  const files = passFixtures(FIXTURES);
  const parsed = files.map((file) => {
    const text = fs.readFileSync(file, "utf8");
    const result = parseManifests(text, file);
    const objects = result.objects.map((o) => o.object);
    return { file, text, objects, errors: result.errors };
  });
  const flatten = (objects: KubeObject[]): KubeObject[] =>
    objects.flatMap((o) =>
      /List$/.test(String(o.kind)) && Array.isArray(o["items"]) ? flatten(o["items"] as KubeObject[]) : [o],
    );
  const namespaces = new Set<string>();
  for (const p of parsed)
    for (const o of flatten(p.objects)) {
      const ns = o.metadata?.namespace;
      if (typeof ns === "string" && ns !== "") namespaces.add(ns);
      if (o.kind === "Namespace" && typeof o.metadata?.name === "string") namespaces.add(o.metadata.name);
    }
  for (const ns of namespaces) await cp.ensureNamespace(ns);
  // Pods naming a RuntimeClass are refused by the RuntimeClass admission plugin until it exists:
  // that is a missing cluster object, not an invalid manifest.
  const runtimeClasses = new Set<string>();
  for (const p of parsed)
    for (const o of flatten(p.objects)) {
      const spec =
        o.kind === "Pod" ? o["spec"] : (o["spec"] as { template?: { spec?: unknown } } | undefined)?.template?.spec;
      const rc = (spec as { runtimeClassName?: unknown } | undefined)?.runtimeClassName;
      if (typeof rc === "string" && rc !== "") runtimeClasses.add(rc);
    }
  for (const name of runtimeClasses) {
    const r = await cp.request("POST", "/apis/node.k8s.io/v1/runtimeclasses", {
      apiVersion: "node.k8s.io/v1",
      kind: "RuntimeClass",
      metadata: { name },
      handler: "runc",
    });
    if (r.status !== 201) throw new Error(`RuntimeClass ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  const results: FileResult[] = await mapLimit(parsed, 2, async (p, i) => {
    const all = flatten(p.objects);
    const builtin = all.filter((o) => isBuiltinKind(o));
    const skipped = all
      .filter((o) => !isBuiltinKind(o))
      .map((o) => `${String(o.apiVersion)} ${String(o.kind)} ${String(o.metadata?.name)}`);
    const rel = path.relative(ROOT, p.file);
    if (p.errors.length > 0)
      return {
        file: rel,
        objects: all.length,
        builtin: 0,
        skipped,
        ok: false,
        output: `YAML: ${JSON.stringify(p.errors)}`,
      };
    if (builtin.length === 0) return { file: rel, objects: all.length, builtin: 0, skipped, ok: true, output: "" };
    // The file as written when it holds only built-in kinds (strict validation then also sees
    // duplicate keys); otherwise its built-in objects re-serialised.
    const input = builtin.length === all.length ? p.text : builtin.map((o) => stringify(o)).join("---\n");
    const file = path.join(scratch, `${i}.yaml`);
    fs.writeFileSync(file, input);
    const r = await cp.kubectl([
      "apply",
      "--server-side",
      "--dry-run=server",
      "--validate=strict",
      "--field-manager=palisade-fixtures",
      "-f",
      file,
    ]);
    const output = `${r.stdout}${r.stderr}`.split(file).join(rel).trim();
    // A fixture written for an older Kubernetes (its palisade-config sets kubernetesVersion) may use
    // an API version 1.35 no longer serves: reported, not failed.
    const target = /kubernetesVersion"\s*:\s*"v?1\.(\d+)/.exec(
      p.text
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .join("\n"),
    );
    const olderTarget = target !== null && Number(target[1]) < 35 && /no matches for kind/.test(output);
    return {
      file: rel,
      objects: all.length,
      builtin: builtin.length,
      skipped,
      ok: r.code === 0,
      output,
      ...(olderTarget ? { olderTarget: `targets v1.${target[1]}` } : {}),
    };
  });

  const invalid = results.filter((r) => !r.ok && r.olderTarget === undefined);
  const older = results.filter((r) => !r.ok && r.olderTarget !== undefined);
  const summary = {
    files: results.length,
    objects: results.reduce((n, r) => n + r.objects, 0),
    builtinObjects: results.reduce((n, r) => n + r.builtin, 0),
    filesWithoutBuiltinKinds: results.filter((r) => r.builtin === 0 && r.ok).map((r) => r.file),
    nonBuiltinObjectsSkipped: results.flatMap((r) => r.skipped.map((s) => `${r.file}: ${s}`)),
    runtimeClassesCreated: [...runtimeClasses],
    servedOnlyByOlderKubernetes: older.map((r) => `${r.file} (${r.olderTarget ?? ""}): ${r.output}`),
    invalidFiles: invalid.length,
  };
  const report = writeReport("fixtures-valid.json", { summary, invalid, older, results });
  process.stderr.write(`[fixtures-valid] ${JSON.stringify({ ...summary, report }, null, 2)}\n`);
  expect(results.length).toBeGreaterThan(100);
  expect(invalid.map((r) => `${r.file}:\n${r.output}`)).toEqual([]);
});
