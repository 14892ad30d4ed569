import { saTokenAutomount } from "../../../policypack/controls/service-account/token-automount";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind } from "../../helpers/objects";
import { deployment, runStack, summary } from "../namespace/stack-run";

const sa = (name: string, automount?: unknown, namespace = "shop"): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name, namespace },
  ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});
const web = (spec: Record<string, unknown>) => deployment("web", "shop", { app: "web" }, spec);
const PATH = "Deployment/web spec.template.spec.automountServiceAccountToken";

describe("sa-token-automount: pod ?? ServiceAccount ?? true", () => {
  it.each<[string, Record<string, unknown>, KubeObject[], boolean]>([
    ["pod false", { automountServiceAccountToken: false }, [], false],
    [
      "pod false beats SA true",
      { serviceAccountName: "app", automountServiceAccountToken: false },
      [sa("app", true)],
      false,
    ],
    [
      "pod true beats SA false",
      { serviceAccountName: "app", automountServiceAccountToken: true },
      [sa("app", false)],
      true,
    ],
    ["SA false", { serviceAccountName: "app" }, [sa("app", false)], false],
    ["SA true", { serviceAccountName: "app" }, [sa("app", true)], true],
    ["SA unset", { serviceAccountName: "app" }, [sa("app")], true],
    ["SA missing from the set", { serviceAccountName: "app" }, [], true],
    ["SA in another namespace", { serviceAccountName: "app" }, [sa("app", false, "other")], true],
    ["name unset resolves to default", {}, [sa("default", false)], false],
    ["name unset, default not false", {}, [sa("default")], true],
    ["deprecated alias", { serviceAccount: "app" }, [sa("app", false)], false],
    [
      "serviceAccountName wins over the alias",
      { serviceAccountName: "app", serviceAccount: "other" },
      [sa("app", false), sa("other", true)],
      false,
    ],
    [
      "odd pod value is unset",
      { serviceAccountName: "app", automountServiceAccountToken: "false" },
      [sa("app", false)],
      false,
    ],
    ["odd SA value is unset", { serviceAccountName: "app" }, [sa("app", "false")], true],
  ])("%s", (_n, spec, accounts, reported) => {
    expect(summary(runStack(saTokenAutomount, [web(spec), ...accounts]))).toEqual(reported ? [PATH] : []);
  });

  it("applies ServiceAccount patches in order; a later declaration replaces the value", () => {
    const declared = sa("default");
    const patch = sa("default", false);
    const unrelated = sa("default", undefined);
    expect(runStack(saTokenAutomount, [web({}), declared, patch], { patches: [patch] })).toEqual([]);
    expect(runStack(saTokenAutomount, [web({}), patch, unrelated], { patches: [patch, unrelated] })).toEqual([]);
    expect(runStack(saTokenAutomount, [web({}), patch, declared], { patches: [patch] })).toHaveLength(1);
  });

  it("explains each case", () => {
    const message = (spec: Record<string, unknown>, accounts: KubeObject[]) =>
      runStack(saTokenAutomount, [web(spec), ...accounts])[0]?.message;
    expect(message({ automountServiceAccountToken: true }, [])).toBe(
      "automountServiceAccountToken=true mounts the ServiceAccount token into every container",
    );
    expect(message({ serviceAccountName: "app" }, [])).toBe(
      'the ServiceAccount token is mounted: ServiceAccount "app" is not in this set, so nothing shows it turns automount off',
    );
    expect(message({ serviceAccountName: "app" }, [sa("app", true)])).toContain(
      'ServiceAccount "app" sets automountServiceAccountToken=true',
    );
    expect(message({}, [sa("default")])).toContain(
      'neither the pod nor ServiceAccount "default" sets automountServiceAccountToken=false',
    );
  });

  it("covers every pod-bearing kind, at its own path", () => {
    const objects = inEveryKind({ containers: [{ name: "c", image: "i" }] });
    expect(runStack(saTokenAutomount, objects).map((v) => v.path)).toEqual([
      "spec.automountServiceAccountToken",
      "template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.template.spec.automountServiceAccountToken",
      "spec.jobTemplate.spec.template.spec.automountServiceAccountToken",
    ]);
    expect(runStack(saTokenAutomount, [...objects, sa("default", false, "app")])).toEqual([]);
  });

  it("skips patched workloads and tolerates odd shapes", () => {
    const patch = web({});
    expect(runStack(saTokenAutomount, [patch], { patches: [patch] })).toEqual([]);
    const odd: KubeObject[] = [
      { apiVersion: "v1", kind: "ServiceAccount" },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: "x" },
    ];
    expect(summary(runStack(saTokenAutomount, odd))).toEqual(["Pod/p spec.automountServiceAccountToken"]);
  });
});
