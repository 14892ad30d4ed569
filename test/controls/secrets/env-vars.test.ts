import { secretEnvVars } from "../../../policypack/controls/secrets/env-vars";
import { podView } from "../../../policypack/engine/pod";
import { inEveryKind, runControl } from "../../helpers/objects";

describe("secret-env-vars", () => {
  it.each([
    ["plain value", { env: [{ name: "A", value: "x" }] }, []],
    ["configMapKeyRef", { env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }] }, []],
    ["fieldRef", { env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }, []],
    [
      "secretKeyRef",
      {
        env: [
          { name: "A", value: "x" },
          { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
        ],
      },
      ["env[1].valueFrom.secretKeyRef"],
    ],
    [
      "optional secretKeyRef",
      { env: [{ name: "B", valueFrom: { secretKeyRef: { name: "s", key: "k", optional: true } } }] },
      ["env[0].valueFrom.secretKeyRef"],
    ],
    [
      "envFrom secretRef",
      { envFrom: [{ configMapRef: { name: "c" } }, { prefix: "S_", secretRef: { name: "s" } }] },
      ["envFrom[1].secretRef"],
    ],
    ["odd shapes", { env: [null, { valueFrom: "x" }], envFrom: [1, { secretRef: "s" }] }, []],
  ] as const)("%s", (_name, container, expected) => {
    for (const type of ["initContainers", "containers", "ephemeralContainers"]) {
      for (const object of inEveryKind({ [type]: [{ name: "app", ...container }] })) {
        const prefix = `${podView(object)!.specPath}.${type}[0].`;
        expect(runControl(secretEnvVars, object).map((v) => v.path?.replace(prefix, ""))).toEqual(expected);
      }
    }
  });

  it("names the container, the variable and the Secret", () => {
    const [object] = inEveryKind({
      containers: [
        { name: "api", env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "p" } } }] },
      ],
    });
    expect(runControl(secretEnvVars, object!)[0]?.message).toBe(
      'container "api" must not read Secret "db" into env DB_PASSWORD: mount it as a file',
    );
  });
});
