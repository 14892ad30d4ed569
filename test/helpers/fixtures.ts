/**
 * The fixture convention (Polaris'): test/fixtures/<control-id>/pass.<case>.yaml and
 * fail.<case>.yaml. One set of YAML drives the engine, CrossGuard and CLI tests.
 *
 * A fixture file may start with header comments:
 *   # palisade-config: {"psaVersion": "v1.30", "controls": {...}}   (JSON, merged over config.yaml)
 *   # expect-paths: spec.containers[0].securityContext.privileged; spec.hostPID
 * A `config.yaml` in the fixture folder applies to every file in it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { PalisadeConfig } from "../../policypack/engine/config";
import { parseManifests } from "../../policypack/engine/parse";
import type { KubeObject } from "../../policypack/engine/types";

export const FIXTURES = path.join(__dirname, "..", "fixtures");

export interface Fixture {
  readonly file: string;
  readonly name: string;
  readonly kind: "pass" | "fail";
  readonly objects: KubeObject[];
  readonly config: PalisadeConfig;
  /** When given, the exact set of finding paths expected (fail fixtures). */
  readonly expectPaths?: string[];
}

function header(text: string, key: string): string | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const m = new RegExp(`^#\\s*${key}:\\s*(.*)$`).exec(line);
    if (m) return (m[1] ?? "").trim();
  }
  return undefined;
}

function merge(a: PalisadeConfig, b: PalisadeConfig): PalisadeConfig {
  const controls: Record<string, Record<string, unknown>> = {};
  for (const [id, s] of Object.entries(a.controls ?? {})) controls[id] = { ...s };
  for (const [id, s] of Object.entries(b.controls ?? {})) controls[id] = { ...(controls[id] ?? {}), ...s };
  return { ...a, ...b, controls: controls as PalisadeConfig["controls"] };
}

export function fixturesFor(controlId: string): Fixture[] {
  const dir = path.join(FIXTURES, controlId);
  if (!fs.existsSync(dir)) return [];
  const dirConfigFile = path.join(dir, "config.yaml");
  const dirConfig = fs.existsSync(dirConfigFile)
    ? (parseYaml(fs.readFileSync(dirConfigFile, "utf8")) as PalisadeConfig)
    : {};
  return fs
    .readdirSync(dir)
    .filter((f) => /^(pass|fail)\..+\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const text = fs.readFileSync(file, "utf8");
      const parsed = parseManifests(text, file);
      if (parsed.errors.length > 0)
        throw new Error(`${file}: ${parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("; ")}`);
      const inline = header(text, "palisade-config");
      const config = merge(dirConfig, inline ? (JSON.parse(inline) as PalisadeConfig) : {});
      const paths = header(text, "expect-paths");
      return {
        file,
        name: f.replace(/\.ya?ml$/, ""),
        kind: f.startsWith("pass.") ? "pass" : "fail",
        objects: parsed.objects.map((o) => o.object),
        config,
        ...(paths !== undefined
          ? {
              expectPaths: paths
                .split(";")
                .map((p) => p.trim())
                .filter((p) => p !== ""),
            }
          : {}),
      } satisfies Fixture;
    });
}
