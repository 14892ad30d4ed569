import { secretConfigMapRefsExist } from "../../../policypack/controls/secrets/refs-exist";
import { controlConfig } from "../../../policypack/engine/config";
import { LATEST } from "../../../policypack/engine/psa-version";
import { StackIndex } from "../../../policypack/engine/stack";
import type { KubeObject, Violation } from "../../../policypack/engine/types";
import { inEveryKind } from "../../helpers/objects";

function run(
  objects: KubeObject[],
  config: Record<string, unknown> = {},
  isPatch?: (o: KubeObject) => boolean,
): Violation[] {
  const stack = new StackIndex(objects, isPatch ? { isPatch } : {});
  return secretConfigMapRefsExist.checkStack(stack, {
    level: "hardened",
    policyVersion: LATEST,
    config: { ...controlConfig(secretConfigMapRefsExist, {}), ...config } as never,
  });
}

const secret = (name: string, namespace = "app", extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace },
  ...extra,
});
const configMap = (name: string, namespace = "app", extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  ...extra,
});

const env = (ref: Record<string, unknown>, kind = "secretKeyRef") => ({
  containers: [{ name: "app", env: [{ name: "V", valueFrom: { [kind]: ref } }] }],
});

describe("secret-configmap-refs-exist", () => {
  it.each([
    [
      "declared Secret",
      env({ name: "db", key: "password" }),
      [secret("db", "app", { stringData: { password: "x" } })],
      [],
    ],
    ["missing Secret", env({ name: "db", key: "password" }), [], ["env[0].valueFrom.secretKeyRef.name"]],
    [
      "Secret in another namespace",
      env({ name: "db", key: "p" }),
      [secret("db", "other")],
      ["env[0].valueFrom.secretKeyRef.name"],
    ],
    ["optional ref", env({ name: "db", key: "p", optional: true }), [], []],
    [
      "missing key",
      env({ name: "db", key: "password" }),
      [secret("db", "app", { data: { user: "dQ==" } })],
      ["env[0].valueFrom.secretKeyRef.key"],
    ],
    [
      "key in stringData",
      env({ name: "db", key: "password" }),
      [secret("db", "app", { data: {}, stringData: { password: "p" } })],
      [],
    ],
    ["keys unknown", env({ name: "db", key: "password" }), [secret("db")], []],
    [
      "service-account token",
      env({ name: "tok", key: "token" }),
      [secret("tok", "app", { type: "kubernetes.io/service-account-token", data: {} })],
      [],
    ],
    [
      "ConfigMap key",
      env({ name: "cfg", key: "level" }, "configMapKeyRef"),
      [configMap("cfg", "app", { data: { level: "info" } })],
      [],
    ],
    [
      "ConfigMap binaryData key",
      env({ name: "cfg", key: "blob" }, "configMapKeyRef"),
      [configMap("cfg", "app", { binaryData: { blob: "AA==" } })],
      [],
    ],
    [
      "missing ConfigMap",
      env({ name: "cfg", key: "level" }, "configMapKeyRef"),
      [secret("cfg")],
      ["env[0].valueFrom.configMapKeyRef.name"],
    ],
    ["empty name", env({ name: "", key: "k" }), [], []],
  ])("%s", (_name, spec, others, expected) => {
    for (const workload of inEveryKind(spec)) {
      const v = run([...others, workload]);
      for (const x of v) expect(x.object).toBe(workload);
      expect(v.map((x) => x.path?.replace(/^.*containers\[0\]\./, ""))).toEqual(expected);
    }
  });

  it("resolves envFrom, volumes, items and projected sources", () => {
    const spec = {
      initContainers: [
        { name: "init", envFrom: [{ secretRef: { name: "s1" } }, { configMapRef: { name: "c1", optional: true } }] },
      ],
      ephemeralContainers: [{ name: "debug", envFrom: [{ configMapRef: { name: "c2" } }] }],
      volumes: [
        {
          name: "a",
          secret: {
            secretName: "s2",
            items: [
              { key: "tls.crt", path: "crt" },
              { key: "tls.key", path: "key" },
            ],
          },
        },
        { name: "b", configMap: { name: "c3", optional: true } },
        {
          name: "c",
          projected: {
            sources: [
              { serviceAccountToken: { path: "t" } },
              { configMap: { name: "c4" } },
              { secret: { name: "s3" } },
            ],
          },
        },
      ],
    };
    const [workload] = inEveryKind(spec);
    const v = run([secret("s2", "app", { data: { "tls.crt": "" } }), workload!]);
    expect(v.map((x) => x.path)).toEqual([
      "spec.initContainers[0].envFrom[0].secretRef.name",
      "spec.ephemeralContainers[0].envFrom[0].configMapRef.name",
      "spec.volumes[0].secret.items[1].key",
      "spec.volumes[2].projected.sources[1].configMap.name",
      "spec.volumes[2].projected.sources[2].secret.name",
    ]);
    expect(v[2]?.message).toBe('volume "a" references key "tls.key" of Secret "s2", which it does not hold');
  });

  it.each([
    [["db"], true],
    [["app/db"], true],
    [["other/db"], false],
    [["app/d*"], true],
    [["*/db"], true],
    [[], false],
  ])("assumeExisting %j covers app/db: %s", (assumeExisting, covered) => {
    const [workload] = inEveryKind(env({ name: "db", key: "k" }));
    expect(run([workload!], { assumeExisting })).toHaveLength(covered ? 0 : 1);
  });

  it("assumes kube-root-ca.crt by default", () => {
    const [workload] = inEveryKind({
      containers: [{ name: "a" }],
      volumes: [{ name: "ca", configMap: { name: "kube-root-ca.crt" } }],
    });
    expect(run([workload!])).toEqual([]);
    expect(run([workload!], { assumeExisting: [] })).toHaveLength(1);
  });

  it("takes a patch of the object as proof it exists, without judging its keys", () => {
    const patch = secret("db", "app", { data: { other: "" } });
    const [workload] = inEveryKind(env({ name: "db", key: "password" }));
    expect(run([patch, workload!], {}, (o) => o === patch)).toEqual([]);
  });

  it("uses the default namespace for objects without one", () => {
    const [workload] = inEveryKind(env({ name: "db", key: "p" }));
    const noNs = { ...workload!, metadata: { name: "w" } };
    expect(run([noNs, { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { p: "" } }])).toEqual(
      [],
    );
  });

  it("never throws on odd shapes", () => {
    const odd = [
      { containers: "x", volumes: 5 },
      {
        containers: [{ env: [null, { valueFrom: { secretKeyRef: "db" } }], envFrom: [{ secretRef: [] }] }],
        volumes: [{ projected: { sources: "x" } }, { secret: null }],
      },
    ];
    for (const spec of odd)
      for (const w of inEveryKind(spec)) expect(() => run([w, secret("db", "app", { data: "secret" })])).not.toThrow();
  });

  it("reports at low severity", () => {
    expect(secretConfigMapRefsExist.severity).toBe("low");
  });
});
