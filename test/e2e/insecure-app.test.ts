/**
 * examples/insecure-app through the real `pulumi` with the policy pack: refused on preview,
 * allowed with warnings when its controls are made advisory, fixed by `remediate`, and the same
 * verdict from `pulumi policy analyze` on its exported state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { cliProcess } from "../helpers/cli";
import { POLICY_PACK, PulumiWorkspace, renderedFiles, ROOT, SETUP_TIMEOUT, toolchainEnv, violations } from "./pulumi";

/** Controls the example breaks on purpose; each must be named by the pack. */
const EXPECTED_MANDATORY = [
  "pod-host-network",
  "pod-privileged",
  "pod-capabilities-baseline",
  "pod-host-ports",
  "pod-allow-privilege-escalation",
  "pod-run-as-non-root",
  "pod-seccomp-restricted",
  "pod-capabilities-restricted",
  "rbac-wildcard-verbs",
  "rbac-wildcard-resources",
  "rbac-secrets-read",
  "rbac-pod-exec",
  "rbac-escalate",
  "rbac-bind",
  "rbac-impersonate",
];
const EXPECTED_ADVISORY = [
  "image-latest-tag",
  "plaintext-credentials",
  "network-service-type",
  "network-external-ips",
  "pod-read-only-root-filesystem",
];

let ws: PulumiWorkspace;
let out: string;
let preview: ReturnType<PulumiWorkspace["pulumi"]>;

beforeAll(() => {
  toolchainEnv();
  ws = new PulumiWorkspace("insecure", path.join(ROOT, "examples", "insecure-app"));
  out = path.join(ws.dir, "..", "rendered");
  ws.stack("dev");
  preview = ws.pulumi(["preview", "--policy-pack", POLICY_PACK], { PALISADE_RENDER_DIR: out });
}, SETUP_TIMEOUT);

it("preview is refused, and every violated control is named", () => {
  expect(preview.code).not.toBe(0);
  const v = violations(preview.output);
  const mandatory = new Set(v.filter((x) => x.level === "mandatory").map((x) => x.policy));
  const advisory = new Set(v.filter((x) => x.level === "advisory").map((x) => x.policy));
  for (const id of EXPECTED_MANDATORY) expect([id, mandatory.has(id)]).toEqual([id, true]);
  for (const id of EXPECTED_ADVISORY) expect([id, advisory.has(id)]).toEqual([id, true]);
  expect(preview.output).toMatch(/container "shop" must not set securityContext\.privileged=true/);
  expect(preview.output).not.toMatch(/internal error|can't run/);
});

it("with those controls advisory, preview succeeds and still shows them as warnings", () => {
  const mandatory = [
    ...new Set(
      violations(preview.output)
        .filter((x) => x.level === "mandatory")
        .map((x) => x.policy),
    ),
  ];
  const config = ws.write("advisory.json", JSON.stringify(Object.fromEntries(mandatory.map((id) => [id, "advisory"]))));
  const r = ws.pulumi(["preview", "--policy-pack", POLICY_PACK, "--policy-pack-config", config], {
    PALISADE_RENDER_DIR: out,
  });
  expect(r.code).toBe(0);
  const v = violations(r.output);
  expect(v.filter((x) => x.level === "mandatory")).toEqual([]);
  for (const id of EXPECTED_MANDATORY) expect(v).toContainEqual({ policy: id, level: "advisory" });
});

it("a misspelled policy name in --policy-pack-config is reported by palisade-exemptions, not silently ignored", () => {
  const config = ws.write("typo.json", JSON.stringify({ "pod-privilegd": "advisory" }));
  const r = ws.pulumi(["preview", "--policy-pack", POLICY_PACK, "--policy-pack-config", config], {
    PALISADE_RENDER_DIR: out,
  });
  expect(r.output).toContain('--policy-pack-config names no policy "pod-privilegd"');
});

it("remediate fixes the workload, and the rendered YAML carries the fixes", () => {
  // Fully fixable here. (allowPrivilegeEscalation is not set while SYS_ADMIN is added, and "drop ALL"
  // cannot cure the added capabilities: at "remediate" those would still fail, as mandatory.)
  const fixable = ["pod-privileged", "pod-run-as-non-root", "pod-seccomp-restricted", "pod-drop-net-raw"];
  const mandatory = [
    ...new Set(
      violations(preview.output)
        .filter((x) => x.level === "mandatory")
        .map((x) => x.policy),
    ),
  ];
  const settings: Record<string, string> = Object.fromEntries(mandatory.map((id) => [id, "advisory"]));
  for (const id of fixable) settings[id] = "remediate";
  const config = ws.write("remediate.json", JSON.stringify(settings));
  const up = ws.pulumi(["up", "--yes", "--policy-pack", POLICY_PACK, "--policy-pack-config", config], {
    PALISADE_RENDER_DIR: out,
  });
  expect(up.code).toBe(0);
  const deployment = renderedFiles(out).find((f) => /deployment-default-shop\.yaml$/.test(f));
  expect(deployment).toBeDefined();
  const doc = parseAllDocuments(fs.readFileSync(deployment!, "utf8"))[0]!.toJS() as {
    spec: {
      template: {
        spec: { securityContext: Record<string, unknown>; containers: { securityContext: Record<string, unknown> }[] };
      };
    };
  };
  const podSpec = doc.spec.template.spec;
  expect(podSpec.securityContext).toEqual(
    expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }),
  );
  const sc = podSpec.containers[0]!.securityContext;
  expect(sc["privileged"]).toBe(false);
  expect((sc["capabilities"] as { drop: string[] }).drop).toContain("NET_RAW");
  // The checker agrees: the fixed controls no longer fire on what was rendered.
  const check = cliProcess(["check", "--format", "json", out]);
  const fired = new Set(
    (JSON.parse(check.stdout) as { findings: { control: string }[] }).findings.map((f) => f.control),
  );
  for (const id of ["pod-privileged", "pod-run-as-non-root", "pod-seccomp-restricted", "pod-drop-net-raw"]) {
    expect([id, fired.has(id)]).toEqual([id, false]);
  }
  expect(fired.has("pod-host-network")).toBe(true); // not safely fixable: still reported
});

it("`pulumi policy analyze` on the exported state reports the same violations", () => {
  const state = path.join(ws.dir, "..", "state.json");
  expect(ws.pulumi(["stack", "export", "--file", state]).code).toBe(0);
  const r = ws.pulumi(["policy", "analyze", "--policy-pack", POLICY_PACK, "--file", state]);
  expect(r.code).not.toBe(0);
  const analyzed = new Set(
    violations(r.output)
      .filter((x) => x.level === "mandatory")
      .map((x) => x.policy),
  );
  // The state holds the remediated inputs: the fixed controls are gone, the rest are as in preview.
  for (const id of [
    "pod-host-network",
    "pod-capabilities-baseline",
    "pod-host-ports",
    "rbac-wildcard-verbs",
    "rbac-escalate",
  ]) {
    expect([id, analyzed.has(id)]).toEqual([id, true]);
  }
  expect(analyzed.has("pod-seccomp-restricted")).toBe(false);
});
