import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "../helpers/cli";

const FIX = path.join(__dirname, "..", "fixtures", "cli");

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function tmp(name: string, content: string | Buffer): string {
  const dir = tmpDir("palisade-cli-");
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const HOST_NET_POD =
  "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: nginx}]\n";

describe("palisade check: output formats", () => {
  it("json: one object with findings (file, line, resource, path), skipped and summary", async () => {
    const r = await cli(["check", "--format", "json", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      findings: Record<string, unknown>[];
      skipped: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    const hostNet = report.findings.filter((f) => f["control"] === "pod-host-network");
    expect(hostNet).toEqual([
      expect.objectContaining({
        kind: "Pod",
        namespace: "shop",
        name: "web",
        line: 2,
        path: "spec.hostNetwork",
        exempted: false,
        level: "baseline",
      }),
      expect.objectContaining({ kind: "Pod", namespace: "shop", name: "listed", line: 21, exempted: false }),
    ]);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          "control",
          "level",
          "severity",
          "message",
          "file",
          "line",
          "kind",
          "namespace",
          "name",
          "path",
          "exempted",
        ]),
      );
    }
    expect(report.skipped).toEqual([expect.objectContaining({ kind: "Widget", name: "gadget", line: 13 })]);
    expect(report.summary).toEqual(expect.objectContaining({ objects: 3, skipped: 1, level: "baseline" }));
  });

  it("text: grouped by resource with file:line, and says what was skipped", async () => {
    const r = await cli(["check", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Pod shop\/web {2}.*mixed\.yaml:2\n {2}high +pod-host-network/);
    expect(r.stdout).toMatch(/skipped Widget gadget .*custom resource/);
  });

  it("sarif: 2.1.0 with rules for the controls and results at file and line", async () => {
    const r = await cli(["check", "--format", "sarif", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe("Palisade");
    const results = run.results.filter((x) => x.ruleId === "pod-host-network");
    expect(results.map((x) => x.locations[0]!.physicalLocation.region.startLine)).toEqual([2, 21]);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("test/fixtures/cli/mixed.yaml");
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(run.tool.driver.rules[0]!.properties["security-severity"]).toMatch(/^\d+\.\d$/);
  });
});

describe("palisade check: exit codes and exemptions", () => {
  it("exits 0 when nothing fails", async () => {
    const f = tmp(
      "ok.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec:\n  containers: [{name: c, image: nginx}]\n",
    );
    expect((await cli(["check", "--level", "baseline", f])).code).toBe(0);
  });

  it("an annotation exemption with a reason is reported as exempted and does not fail", async () => {
    const f = tmp(
      "ex.yaml",
      HOST_NET_POD.replace(
        "metadata: {name: a, namespace: x}",
        'metadata: {name: a, namespace: x, annotations: {palisade.dev/exempt: "pod-host-network", palisade.dev/exempt-reason: "CNI agent"}}',
      ),
    );
    const r = await cli(["check", "--format", "json", "--level", "baseline", f]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      findings: { control: string; exempted: boolean; exemption?: { reason: string } }[];
    };
    expect(report.findings.find((x) => x.control === "pod-host-network")).toEqual(
      expect.objectContaining({
        exempted: true,
        exemption: expect.objectContaining({ reason: "CNI agent", source: "annotation" }),
      }),
    );
  });

  it("an exemption without a reason is ignored, with a warning", async () => {
    const f = tmp(
      "ex.yaml",
      HOST_NET_POD.replace(
        "metadata: {name: a, namespace: x}",
        'metadata: {name: a, namespace: x, annotations: {palisade.dev/exempt: "pod-host-network"}}',
      ),
    );
    const r = await cli(["check", "--level", "baseline", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /warning: Pod x\/a: palisade\.dev\/exempt is ignored: palisade\.dev\/exempt-reason is required/,
    );
  });

  it("a lapsed exemption no longer exempts", async () => {
    const f = tmp(
      "ex.yaml",
      HOST_NET_POD.replace(
        "metadata: {name: a, namespace: x}",
        'metadata: {name: a, namespace: x, annotations: {palisade.dev/exempt: "pod-host-network", palisade.dev/exempt-reason: "r", palisade.dev/exempt-until: "2026-01-31"}}',
      ),
    );
    const r = await cli(["check", "--level", "baseline", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/lapsed on 2026-01-31/);
  });

  it("config exemptions by namespace pattern", async () => {
    const f = tmp("p.yaml", HOST_NET_POD);
    const c = tmp(
      "c.yaml",
      "exemptions:\n  - controls: [pod-host-network]\n    namespaces: ['x*']\n    reason: legacy\n",
    );
    const r = await cli(["check", "--format", "json", "--level", "baseline", "--config", c, f]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].exemption).toEqual({ source: "config", reason: "legacy" });
  });

  it("reads standard input with -", async () => {
    const r = await cli(["check", "--format", "json", "--level", "baseline", "-"], HOST_NET_POD);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toEqual(expect.objectContaining({ file: "<stdin>", line: 1 }));
  });

  it("walks directories recursively for yaml, yml and json", async () => {
    const dir = tmpDir("palisade-dir-");
    fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(dir, "a", "one.yaml"), HOST_NET_POD);
    fs.writeFileSync(path.join(dir, "a", "b", "two.yml"), HOST_NET_POD);
    fs.writeFileSync(
      path.join(dir, "three.json"),
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "j", namespace: "x" },
        spec: { hostPID: false, containers: [] },
      }),
    );
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a manifest");
    // Tool files beside manifests are passed over in a walk (cdk8s writes construct-metadata.json).
    fs.writeFileSync(path.join(dir, "construct-metadata.json"), JSON.stringify({ version: "1.0.0", resources: {} }));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  a: b\n");
    const r = await cli(["check", "--format", "json", "--level", "baseline", dir]);
    const report = JSON.parse(r.stdout) as { summary: { files: number; objects: number } };
    expect(report.summary).toEqual(expect.objectContaining({ files: 3, objects: 3 }));
  });
});

describe("palisade check: bad input is a clear error and exit 2", () => {
  const cases: [string, string | Buffer, RegExp][] = [
    [
      "malformed.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n",
      /malformed\.yaml:\d+:\d+: invalid YAML/,
    ],
    [
      "bomb.yaml",
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
      /bomb\.yaml:\d+:\d+: .*alias/,
    ],
    ["scalar.yaml", "just a string\n", /scalar\.yaml:1:1: document is not a mapping/],
    ["seq.yaml", "- a\n- b\n", /seq\.yaml:1:1: document is not a mapping \(found a sequence\)/],
    ["nokind.yaml", "apiVersion: v1\nmetadata: {name: a}\n", /nokind\.yaml:1:1: object has no kind/],
    ["noapi.yaml", "kind: Pod\nmetadata: {name: a}\n", /noapi\.yaml:1:1: object has no apiVersion/],
    [
      "types.yaml",
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: x}\nspec:\n  template:\n    spec:\n      containers: "x"\n',
      /types\.yaml:1: Deployment x\/d: spec\.template\.spec\.containers: expected a list, found string/,
    ],
    ["binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), /binary\.yaml: binary file/],
    ["bad.json", '{"apiVersion": "v1", "kind": ', /bad\.json:1:\d+: invalid JSON/],
  ];
  it.each(cases)("%s", async (name, content, message) => {
    const f = tmp(name, content);
    const r = await cli(["check", f]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)/); // no stack trace
  });

  it("a file over the size limit", async () => {
    const f = tmp("big.yaml", HOST_NET_POD.repeat(100));
    const r = await cli(["check", "--max-file-size", "1000", f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/big\.yaml: file is .* over the 1000 B limit/);
  });

  it("a missing path", async () => {
    const r = await cli(["check", "/nonexistent/palisade.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/\/nonexistent\/palisade\.yaml: no such file or directory/);
  });

  it("usage errors", async () => {
    expect((await cli(["check"])).code).toBe(2);
    expect((await cli(["check", "--level", "extreme", "x.yaml"])).stderr).toMatch(
      /--level must be one of baseline, restricted, hardened/,
    );
    expect((await cli(["check", "--frobnicate", "x.yaml"])).stderr).toMatch(/unknown option --frobnicate/);
    expect((await cli(["wat"])).code).toBe(2);
  });

  it("a config error names the file and the field", async () => {
    const c = tmp(
      "c.yaml",
      "controls:\n  no-such-control: {enabled: false}\nexemptions:\n  - controls: [pod-host-network]\n",
    );
    const r = await cli(["check", "--config", c, path.join(FIX, "mixed.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c\.yaml: controls\.no-such-control: no such control/);
    expect(r.stderr).toMatch(/c\.yaml: exemptions\[0\]\.reason: required/);
  });

  it("findings and input errors together exit 2 and still report the findings", async () => {
    const good = tmp("good.yaml", HOST_NET_POD);
    const r = await cli(["check", "--format", "json", good, "/nonexistent.yaml"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });
});
