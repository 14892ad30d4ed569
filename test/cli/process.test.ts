/** The real command as a user runs it: exit codes, standard input, no stack traces. */
import * as path from "node:path";
import { cliProcess } from "../helpers/cli";

const FIX = path.join(__dirname, "..", "fixtures", "cli");

describe("bin/palisade.js", () => {
  it("exits 1 on findings and prints JSON on stdout", () => {
    const r = cliProcess(["check", "--format", "json", "--level", "baseline", path.join(FIX, "mixed.yaml")]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.failing).toBeGreaterThan(0);
  });

  it("reads standard input", () => {
    const r = cliProcess(
      ["check", "--level", "baseline", "-"],
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec:\n  hostNetwork: true\n  containers: []\n",
    );
    expect(r.code).toBe(1);
  });

  it("exits 2 with a one-line message and no stack trace on bad input", () => {
    const r = cliProcess(["check", "-"], "- not\n- an object\n");
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/<stdin>:1:1: document is not a mapping/);
    expect(r.stderr).not.toMatch(/\s+at /);
  });

  it("prints the catalog as JSON", () => {
    const r = cliProcess(["controls", "--format", "json"]);
    expect(r.code).toBe(0);
    const { controls } = JSON.parse(r.stdout) as { controls: Record<string, unknown>[] };
    expect(controls.length).toBeGreaterThan(0);
    for (const c of controls) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(["id", "title", "family", "level", "severity", "scope", "references", "remediation"]),
      );
      expect([
        "pod-security",
        "workload",
        "service-account",
        "rbac",
        "network",
        "namespace",
        "secrets",
        "images",
      ]).toContain(c["family"]);
    }
  });
});
