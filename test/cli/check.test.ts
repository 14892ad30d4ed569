import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, cliProcess } from "../helpers/cli";

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
        line: 8, // the field's own line, not the object's first
        path: "spec.hostNetwork",
        exempted: false,
        level: "baseline",
      }),
      expect.objectContaining({ kind: "Pod", namespace: "shop", name: "listed", line: 27, exempted: false }),
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
    expect(r.stdout).toMatch(/Pod shop\/web {2}.*mixed\.yaml:2\n {2}high +mandatory +pod-host-network/);
    expect(r.stdout).toMatch(/skipped Widget gadget .*custom resource/);
    // Top offenders, then each control's remediation once.
    expect(r.stdout).toMatch(/By control:\n +\d+ +mandatory +pod-/);
    expect(r.stdout.match(/^ {2}pod-host-network: /gm)).toHaveLength(1);
  });

  describe("one enforcement model: mandatory findings fail, advisory ones warn", () => {
    const advisoryOnly = (): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-enf-"));
      made.push(dir);
      const file = path.join(dir, "cm.yaml");
      // Meets every mandatory control; plaintext-credentials (hardened, advisory) flags the password.
      fs.writeFileSync(
        file,
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {app.properties: "db.password=hunter2"}\n',
      );
      return file;
    };

    it("an advisory finding alone exits 0, printed as a warning; --fail-on advisory makes it fail", async () => {
      const file = advisoryOnly();
      const r = await cli(["check", file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/advisory +plaintext-credentials/);
      expect(r.stdout).toMatch(/no failing findings; \d+ advisory findings? \(warnings/);
      const strict = await cli(["check", "--fail-on", "advisory", file]);
      expect(strict.code).toBe(1);
    });

    it("the config's enforcement makes a control mandatory (or off) at build time too", async () => {
      const file = advisoryOnly();
      const dir = path.dirname(file);
      const mandatory = path.join(dir, "mandatory.yaml");
      fs.writeFileSync(mandatory, "controls:\n  plaintext-credentials: {enforcement: mandatory}\n");
      expect((await cli(["check", "--config", mandatory, file])).code).toBe(1);
      const off = path.join(dir, "off.yaml");
      fs.writeFileSync(off, "controls:\n  plaintext-credentials: {enforcement: disabled}\n");
      const r = await cli(["check", "--format", "json", "--config", off, file]);
      expect(
        (JSON.parse(r.stdout) as { findings: { control: string }[] }).findings.map((f) => f.control),
      ).not.toContain("plaintext-credentials");
    });

    it("JSON carries the enforcement per finding and counts per enforcement and per control", async () => {
      const r = await cli(["check", "--format", "json", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
      const report = JSON.parse(r.stdout) as {
        findings: { control: string; enforcement: string }[];
        summary: { byEnforcement: Record<string, number>; byControl: { control: string; findings: number }[] };
      };
      expect(report.findings.every((f) => f.enforcement === "mandatory")).toBe(true);
      expect(report.summary.byEnforcement.mandatory).toBe(report.findings.length);
      expect(report.summary.byControl[0]!.findings).toBeGreaterThanOrEqual(report.summary.byControl.at(-1)!.findings);
    });

    it("SARIF: level error for mandatory, warning for advisory", async () => {
      const r = await cli(["check", "--format", "sarif", advisoryOnly()]);
      const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
      const levels = new Map(sarif.runs[0]!.results.map((x) => [x.ruleId, x.level]));
      expect(levels.get("plaintext-credentials")).toBe("warning");
    });

    it("at the defaults, a set that meets restricted and grants no critical/high RBAC exits 0; a */*/* ClusterRole exits 1", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-default-"));
      made.push(dir);
      const app = path.join(dir, "app.yaml");
      fs.writeFileSync(
        app,
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: web, namespace: shop}",
          "spec:",
          "  selector: {matchLabels: {app: web}}",
          "  template:",
          "    metadata: {labels: {app: web}}",
          "    spec:",
          "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}",
          "      containers:",
          "        - name: web",
          "          image: nginx:1.27",
          "          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}",
          "",
        ].join("\n"),
      );
      const meets = await cli(["check", app]);
      expect(meets.code).toBe(0);
      expect(meets.stdout).toMatch(/no failing findings; \d+ advisory findings/);
      const star = path.join(dir, "star.yaml");
      fs.writeFileSync(
        star,
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: operator}\nrules:\n  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n',
      );
      const admin = await cli(["check", app, star]);
      expect(admin.code).toBe(1);
      expect(admin.stdout).toMatch(/critical +mandatory +rbac-escalate/);
    });

    it("text: findings on the same field are grouped under it, the field named once", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-group-"));
      made.push(dir);
      const star = path.join(dir, "star.yaml");
      fs.writeFileSync(
        star,
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: operator}\nrules:\n  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n',
      );
      const r = await cli(["check", star]);
      const header = r.stdout.match(/^ {2}at rules\[0\] \(line 5\): (\d+) findings on this field$/m);
      expect(Number(header?.[1])).toBeGreaterThan(5);
      expect(r.stdout.match(/^ +at rules\[0\] /gm)).toHaveLength(1);
    });

    it("--min-severity hides less severe findings from the output, not from the exit status", async () => {
      const all = await cli(["check", "--format", "json", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
      const high = await cli([
        "check",
        "--format",
        "json",
        "--level",
        "baseline",
        "--min-severity",
        "critical",
        path.join(FIX, "mixed.yaml"),
      ]);
      const shown = (JSON.parse(high.stdout) as { findings: { severity: string }[] }).findings;
      expect(shown.every((f) => f.severity === "critical")).toBe(true);
      expect(high.code).toBe(all.code);
    });

    it("--namespace places objects without one, as kubectl apply -n; without it a note says how", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-ns-"));
      made.push(dir);
      const file = path.join(dir, "sa.yaml");
      fs.writeFileSync(
        file,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\nautomountServiceAccountToken: false\n",
      );
      const plain = await cli(["check", "--format", "json", file]);
      const report = JSON.parse(plain.stdout) as { warnings: string[]; findings: { control: string }[] };
      expect(report.warnings.join("\n")).toContain("pass --namespace NS");
      expect(report.findings.map((f) => f.control)).toContain("namespace-not-default");
      const placed = await cli(["check", "--format", "json", "--namespace", "shop", file]);
      const placedReport = JSON.parse(placed.stdout) as { warnings: string[]; findings: { control: string }[] };
      expect(placedReport.findings.map((f) => f.control)).not.toContain("namespace-not-default");
      expect(placedReport.warnings.join("\n")).not.toContain("pass --namespace NS");
      const bad = await cli(["check", "--namespace", "Not_Valid", file]);
      expect(bad.code).toBe(2);
    });
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
    expect(results.map((x) => x.locations[0]!.physicalLocation.region.startLine)).toEqual([8, 27]);
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
    expect(JSON.parse(r.stdout).findings[0]).toEqual(expect.objectContaining({ file: "<stdin>", line: 5 }));
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
      /types\.yaml:7: Deployment x\/d: spec\.template\.spec\.containers: expected a list, found string/,
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

/** Issue 11: read every manifest as kubectl does, bounded, never silently nothing. */
describe("palisade check: read as kubectl reads it", () => {
  const pod = (spec: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n${spec}  containers: [{name: c, image: nginx}]\n`;

  it.each([
    ["a later merge overrides an explicit key", pod("  hostPID: false\n  <<: {hostPID: true}\n")],
    ["duplicate merge keys, the last wins", pod("  hostPID: false\n  <<: {hostPID: false}\n  <<: {hostPID: true}\n")],
    ["!!merge is a merge key", pod("  hostPID: false\n  !!merge <<: {hostPID: true}\n")],
    ["a merged alias", `x-base: &b {hostPID: true}\n${pod("  hostPID: false\n  <<: *b\n")}`],
    ["YAML 1.1 booleans", pod("  hostPID: on\n")],
  ])("merge-key and YAML 1.1 bypasses are flagged: %s", async (_name, text) => {
    const r = await cli(["check", "--format", "json", "--level", "baseline", "-"], text);
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.stdout) as { findings: { control: string }[] }).findings;
    expect(f.map((x) => x.control)).toContain("pod-host-pid");
  });

  it("a privileged container merged in after privileged: false is flagged", async () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: false\n      <<: {privileged: true}\n";
    const r = await cli(["check", "--format", "json", "--level", "baseline", "-"], text);
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.stdout) as { findings: { control: string; line: number }[] }).findings;
    expect(f.find((x) => x.control === "pod-privileged")?.line).toBe(10); // where the value that wins is written
  });

  it("an octal port is 53, as kubectl reads it (network-dns-egress sees it)", async () => {
    const { parseManifests } = await import("../../policypack/engine/parse");
    const text =
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: x}\nspec:\n  podSelector: {}\n  egress:\n  - ports:\n    - {port: 0o65, protocol: UDP}\n    - port: 0O65\n  policyTypes: [Egress]\n";
    const [np] = parseManifests(text, "np.yaml").objects;
    const ports = (np?.object["spec"] as { egress: { ports: { port: unknown }[] }[] }).egress[0]?.ports;
    expect(ports?.map((p) => p.port)).toEqual([53, 53]);
  });

  it.each([
    ["a trailing ---", `${HOST_NET_POD}---\n`],
    ["--- then ---", `---\n---\n${HOST_NET_POD}`],
    ["a comment-only document", `# header\n---\n${HOST_NET_POD}---\n# only a comment\n`],
    [
      "a JSON stream",
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"x"},"spec":{"hostNetwork":true,"containers":[]}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"x"}}\n',
    ],
    [
      "JSON with a BOM",
      '\ufeff{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"x"},"spec":{"hostNetwork":true,"containers":[]}}\n',
    ],
    [
      "JSON then --- and YAML",
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"x"}}\n---\n${HOST_NET_POD}`,
    ],
    [
      "a flow mapping root",
      "{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x}, spec: {hostNetwork: true, containers: []}}\n",
    ],
  ])("reads %s (exit 1 on the host-network pod, never 2)", async (_name, text) => {
    const r = await cli(["check", "--format", "json", "--level", "baseline", "-"], text);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
  });

  it("refuses what it cannot read exactly, naming the construct and line", async () => {
    const r = await cli(["check", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: .inf\n");
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/<stdin>:5:\d+: \.inf is an infinite or NaN number/);
  });

  it("the size limit holds for standard input", () => {
    const r = cliProcess(["check", "--max-file-size", "1000", "-"], "a: b\n".repeat(1000));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/<stdin>: standard input is over the 1000 B limit/);
  });

  it("the size limit holds for a device that never ends", () => {
    if (!fs.existsSync("/dev/zero")) return;
    const r = cliProcess(["check", "--max-file-size", "4096", "/dev/zero"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/\/dev\/zero: input is over the 4\.0 KiB limit/);
  });

  it("a FIFO in a walked directory is skipped with a note, not read (it would hang)", async () => {
    const dir = tmpDir("palisade-fifo-");
    fs.writeFileSync(path.join(dir, "pod.yaml"), HOST_NET_POD);
    const made = spawnSync("mkfifo", [path.join(dir, "pipe.yaml")]);
    if (made.status !== 0) return; // no mkfifo here
    const r = await cli(["check", "--format", "json", "--level", "baseline", dir]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { warnings: string[]; summary: { files: number } };
    expect(report.summary.files).toBe(1);
    expect(report.warnings.join("\n")).toMatch(/pipe\.yaml: skipped, not a regular file \(a FIFO\)/);
  });

  it("follows a symlinked directory, once", async () => {
    const dir = tmpDir("palisade-link-");
    fs.mkdirSync(path.join(dir, "real"));
    fs.writeFileSync(path.join(dir, "real", "pod.yaml"), HOST_NET_POD);
    const outer = tmpDir("palisade-outer-");
    fs.symlinkSync(path.join(dir, "real"), path.join(outer, "linked"));
    fs.symlinkSync(outer, path.join(outer, "loop"));
    const r = await cli(["check", "--format", "json", "--level", "baseline", outer]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { warnings: string[]; summary: { files: number } };
    expect(report.summary.files).toBe(1);
    expect(report.warnings.join("\n")).toMatch(/loop: skipped, already read/);
  });

  it("a 5M-item flow list is refused cleanly, in seconds", () => {
    const file = tmp(
      "big.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [${"1,".repeat(5_000_000)}1]\n`,
    );
    const started = Date.now();
    const r = cliProcess(["check", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/big\.yaml:1:1: .*(tokens|nodes).*split it/);
    expect(r.stderr).not.toMatch(/heap|\s+at /);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.each([
    ["empty standard input", [] as string[], ""],
    ["an empty directory", ["DIR"], undefined],
  ])("finding no object at all is exit 2 (%s), unless --allow-empty", async (_name, extra, stdin) => {
    const dir = tmpDir("palisade-empty-");
    const args = extra.length === 0 ? ["-"] : [dir];
    const r = await cli(["check", ...args], stdin);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/nothing was checked \(pass --allow-empty if that is expected\)/);
    const allowed = await cli(["check", "--allow-empty", ...args], stdin);
    expect(allowed.code).toBe(0);
  });

  it("prints a pod's metadata type error once, at the field's line", async () => {
    const r = await cli(
      ["check", "-"],
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: oops\nspec:\n  containers: []\n",
    );
    expect(r.code).toBe(2);
    const errors = r.stdout.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toEqual(["error: <stdin>:5: Pod p: metadata.labels: expected a mapping, found string"]);
  });
});
