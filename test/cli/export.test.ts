import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../policypack/engine/types";
import { cli } from "../helpers/cli";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-export-"));
  made.push(dir);
  return dir;
}

function objects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

describe("palisade export vap", () => {
  it("writes policies and bindings as YAML on stdout and lists what it left out on stderr", async () => {
    const r = await cli(["export", "vap", "--level", "baseline"]);
    expect(r.code).toBe(0);
    const out = objects(r.stdout);
    const policies = out.filter((o) => o.kind === "ValidatingAdmissionPolicy");
    const bindings = out.filter((o) => o.kind === "ValidatingAdmissionPolicyBinding");
    expect(policies.length).toBeGreaterThan(0);
    expect(bindings.map((b) => b.metadata?.name)).toEqual(policies.map((p) => p.metadata?.name));
    expect(policies.every((p) => p.metadata?.labels?.["palisade.dev/level"] === "baseline")).toBe(true);
    expect(r.stderr).toMatch(/exported \d+ controls as ValidatingAdmissionPolicies/);
  });

  it("--action warn sets every binding's validationActions; by default actions follow each control's enforcement", async () => {
    const r = await cli(["export", "vap", "--level", "baseline", "--action", "warn"]);
    const bindings = objects(r.stdout).filter((o) => o.kind === "ValidatingAdmissionPolicyBinding");
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings)
      expect((b as { spec: { validationActions: unknown } }).spec.validationActions).toEqual(["Warn", "Audit"]);
    const d = await cli(["export", "vap", "--level", "hardened"]);
    const actions = new Map(
      objects(d.stdout)
        .filter((o) => o.kind === "ValidatingAdmissionPolicyBinding")
        .map((b) => [b.metadata?.name, (b as { spec: { validationActions: string[] } }).spec.validationActions]),
    );
    expect(actions.get("palisade-pod-privileged")).toEqual(["Deny", "Audit"]);
    expect(actions.get("palisade-container-probes")).toEqual(["Warn", "Audit"]);
    expect(d.stdout).toMatch(/# .*\d+ mandatory: Deny; \d+ advisory: Warn/);
  });

  it("honours annotation exemptions only from the named requesters, and refuses a malformed requester", async () => {
    const plain = await cli(["export", "vap", "--level", "baseline"]);
    expect(plain.stdout).not.toContain("palisade.dev/exempt-reason");
    expect(plain.stdout).toContain("annotations on the judged objects are not honoured");
    const trusted = await cli([
      "export",
      "vap",
      "--level",
      "baseline",
      "--annotation-exemptions-from",
      "group:platform-admins,user:alice",
    ]);
    expect(trusted.code).toBe(0);
    const trustedText = JSON.stringify(objects(trusted.stdout));
    expect(trustedText).toContain("palisade.dev/exempt-reason");
    expect(trustedText).toContain('request.userInfo.username in [\\"alice\\"]');
    const bad = await cli(["export", "vap", "--annotation-exemptions-from", "platform-admins"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^palisade: .*user:NAME or group:NAME/);
  });

  it("warns about a dated config exemption (honoured until re-exported) and leaves out a lapsed one", async () => {
    const dir = tmpDir();
    const config = path.join(dir, "palisade.yaml");
    fs.writeFileSync(
      config,
      [
        "exemptions:",
        "  - {controls: [pod-privileged], namespaces: [infra], reason: node agent, until: 2999-01-31}",
        "  - {controls: [pod-privileged], namespaces: [old], reason: migration, until: 2000-01-01}",
        "",
      ].join("\n"),
    );
    const r = await cli(["export", "vap", "--level", "baseline", "--config", config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("exemptions[0] lapses after 2999-01-31");
    expect(r.stderr).toContain("do so on 2999-02-01");
    expect(r.stderr).toContain("exemptions[1] lapsed on 2000-01-01: left out");
    const text = JSON.stringify(objects(r.stdout));
    expect(text).toContain("config exemptions[0] (until 2999-01-31): node agent");
    expect(text).not.toContain("migration");
  });

  it("export pack-config writes the config file as the pack's --policy-pack-config", async () => {
    const dir = tmpDir();
    const config = path.join(dir, "palisade.yaml");
    fs.writeFileSync(config, "controls:\n  container-probes: {enforcement: mandatory}\n");
    const r = await cli(["export", "pack-config", "--config", config]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ "container-probes": { enforcementLevel: "mandatory" } });
    const bad = await cli(["export", "pack-config", "--action", "warn"]);
    expect(bad.code).toBe(2);
  });

  it("--help shows the default action of each enforcement and the trust model", async () => {
    const r = await cli(["export", "--help"]);
    expect(r.stdout).toMatch(/mandatory\s+->\s+validationActions \[Deny, Audit\]/);
    expect(r.stdout).toMatch(/advisory\s+->\s+validationActions \[Warn, Audit\]/);
    expect(r.stdout).toContain("--annotation-exemptions-from");
  });

  it("--output writes the file", async () => {
    const file = path.join(tmpDir(), "vap.yaml");
    const r = await cli(["export", "vap", "--output", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(objects(fs.readFileSync(file, "utf8")).some((o) => o.kind === "ValidatingAdmissionPolicy")).toBe(true);
  });

  it("carries a config's settings into the parameters objects", async () => {
    const dir = tmpDir();
    const config = path.join(dir, "palisade.yaml");
    fs.writeFileSync(config, "controls:\n  image-registry-allowlist:\n    registries: [registry.example.com]\n");
    const r = await cli(["export", "vap", "--config", config]);
    expect(r.code).toBe(0);
    const params = objects(r.stdout).filter((o) => o.kind === "ControlParameters");
    const registry = params.find((p) => p.metadata?.name === "image-registry-allowlist");
    if (registry !== undefined)
      expect((registry as { spec?: unknown }).spec).toEqual({ registries: ["registry.example.com"] });
    else expect(r.stderr).toContain("image-registry-allowlist");
  });

  it("usage errors exit 2 with one line, never a stack trace", async () => {
    for (const args of [
      ["export"],
      ["export", "opa"],
      ["export", "vap", "--action", "block"],
      ["export", "vap", "extra"],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^palisade: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a bad config names the file and exits 2; a pinned psaVersion is refused with the reason", async () => {
    const dir = tmpDir();
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, "level: extreme\n");
    const r = await cli(["export", "vap", "--config", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml");
    const pinned = path.join(dir, "pinned.yaml");
    fs.writeFileSync(pinned, "psaVersion: v1.30\n");
    const p = await cli(["export", "vap", "--config", pinned]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("pinned.yaml");
    expect(p.stderr).toContain("newest Pod Security policy version");
  });

  it("--help prints the install steps", async () => {
    const r = await cli(["export", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("kubectl wait --for condition=established");
  });
});
