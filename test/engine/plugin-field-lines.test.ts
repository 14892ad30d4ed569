/**
 * The cdk8s plugin's report points at the field's own line in the synthesized file (the shared
 * loader locates findings), not at the object's first line.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as plugins from "cdk8s-cli/lib/plugins";
import { PalisadeValidation } from "../../components/cdk8s/validation-plugin";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require("cdk8s-cli/plugins") as typeof plugins;

it("a cdk8s report location names the field's line", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-plugin-lines-"));
  try {
    const file = path.join(dir, "app.k8s.yaml");
    fs.writeFileSync(
      file,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx\n",
    );
    const ctx = new ValidationContext([file], "palisade", "0.1.0");
    await new PalisadeValidation({ level: "baseline" }).validate(ctx);
    // The report's JSON names them violatingConstructs (the typings say violatingResources).
    const violations = ctx.report.toJson().violations as unknown as {
      ruleName: string;
      violatingConstructs: { locations: string[] }[];
    }[];
    const hostPid = violations.find((v) => v.ruleName === "pod-host-pid");
    expect(hostPid?.violatingConstructs[0]?.locations).toEqual([
      "spec.hostPID (line 7): host namespaces (hostPID=true)",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
