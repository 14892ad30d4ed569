import { namespaceLimitRange } from "../../../policypack/controls/namespace/limit-range";
import { namespaceResourceQuota } from "../../../policypack/controls/namespace/resource-quota";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment, namespace, runStack, summary } from "./stack-run";

const quota = (spec: unknown, name = "q", ns = "shop"): KubeObject => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name, namespace: ns },
  spec,
});
const range = (limits: unknown, name = "lr", ns = "shop"): KubeObject => ({
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: { name, namespace: ns },
  spec: { limits },
});
const FULL = { "requests.cpu": "1", "requests.memory": "1Gi", "limits.cpu": "2", "limits.memory": "2Gi" };
const web = deployment("web", "shop");

describe("namespace-resource-quota", () => {
  it.each<[string, KubeObject[], string[]]>([
    ["full quota", [quota({ hard: FULL })], []],
    [
      "short names are requests",
      [quota({ hard: { cpu: "1", memory: "1Gi", "limits.cpu": "2", "limits.memory": "2Gi" } })],
      [],
    ],
    [
      "split across quotas",
      [
        quota({ hard: { cpu: "1", memory: "1Gi" } }),
        quota({ hard: { "limits.cpu": "2", "limits.memory": "2Gi" } }, "l"),
      ],
      [],
    ],
    ["zero still bounds", [quota({ hard: { ...FULL, "limits.cpu": "0" } })], []],
    [
      "none",
      [],
      [
        'namespace "shop" (not declared in this set) has no ResourceQuota: its pods can take any amount of CPU and memory',
      ],
    ],
    [
      "scoped only",
      [quota({ scopes: ["BestEffort"], hard: FULL })],
      [
        'namespace "shop" (not declared in this set) has no ResourceQuota without scopes: its pods can take any amount of CPU and memory',
      ],
    ],
    [
      "scopeSelector only",
      [quota({ scopeSelector: { matchExpressions: [] }, hard: FULL })],
      [expect.stringContaining("without scopes")],
    ],
    [
      "missing limits",
      [quota({ hard: { cpu: "1", memory: "1Gi" } })],
      [
        'namespace "shop" (not declared in this set) has no ResourceQuota that sets limits.cpu, limits.memory in spec.hard',
      ],
    ],
    ["in another namespace", [quota({ hard: FULL }, "q", "other")], [expect.stringContaining("has no ResourceQuota")]],
    ["odd shapes", [quota("x"), quota({ hard: [1] })], [expect.stringContaining("that sets requests.cpu")]],
  ])("%s", (_n, objects, expected) => {
    expect(runStack(namespaceResourceQuota, [web, ...objects]).map((v) => v.message)).toEqual(expected);
  });

  it("reports on the declared Namespace and follows the configured keys", () => {
    const ns = namespace("shop");
    const out = runStack(namespaceResourceQuota, [ns, web, quota({ hard: FULL })], {
      config: { requiredResources: ["pods", "cpu"] },
    });
    expect(out.map((v) => [v.object, v.message])).toEqual([
      [ns, 'namespace "shop" has no ResourceQuota that sets pods in spec.hard'],
    ]);
  });

  it("counts the keys a patch sets", () => {
    const patch = quota({ hard: FULL });
    expect(runStack(namespaceResourceQuota, [web, patch], { patches: [patch] })).toEqual([]);
  });
});

describe("namespace-limit-range", () => {
  const container = {
    type: "Container",
    default: { cpu: "1", memory: "1Gi" },
    defaultRequest: { cpu: "100m", memory: "128Mi" },
  };
  it.each<[string, KubeObject[], number]>([
    ["container defaults", [range([container])], 0],
    [
      "split across ranges",
      [
        range([{ type: "Container", default: container.default }]),
        range([{ type: "Container", defaultRequest: container.defaultRequest }], "b"),
      ],
      0,
    ],
    ["none", [], 1],
    ["Pod item only", [range([{ type: "Pod", max: { cpu: "2" } }])], 1],
    ["no memory default", [range([{ ...container, default: { cpu: "1" } }])], 1],
    ["in another namespace", [range([container], "lr", "other")], 1],
    ["odd shapes", [range("x"), range([null, { type: "Container", default: "x" }])], 1],
  ])("%s", (_n, objects, count) => expect(runStack(namespaceLimitRange, [web, ...objects])).toHaveLength(count));

  it("names the missing fields, and requires max when configured", () => {
    expect(runStack(namespaceLimitRange, [web, range([{ ...container, default: { cpu: "1" } }])])[0]?.message).toBe(
      'namespace "shop" (not declared in this set) has no LimitRange Container item that sets default.memory',
    );
    expect(
      runStack(namespaceLimitRange, [web, range([container])], { config: { requireMax: true } })[0]?.message,
    ).toContain("max.cpu, max.memory");
    expect(summary(runStack(namespaceLimitRange, [web]))).toEqual(["Namespace/shop"]);
  });
});
