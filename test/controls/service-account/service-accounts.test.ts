import { saDedicated } from "../../../policypack/controls/service-account/dedicated";
import { saDefaultAutomount } from "../../../policypack/controls/service-account/default-automount";
import { saDefaultDeclared } from "../../../policypack/controls/service-account/default-declared";
import { saDeprecatedField } from "../../../policypack/controls/service-account/deprecated-field";
import { saExists } from "../../../policypack/controls/service-account/exists";
import type { CheckContext } from "../../../policypack/engine/control";
import { podView } from "../../../policypack/engine/pod";
import { LATEST } from "../../../policypack/engine/psa-version";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, runControl } from "../../helpers/objects";
import { deployment, namespace, runStack, summary } from "../namespace/stack-run";

const sa = (name: string, extra: Record<string, unknown> = {}, ns = "shop"): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name, namespace: ns },
  ...extra,
});
const container = { containers: [{ name: "c", image: "i" }] };
const last = (p: string | undefined) => p?.split(".").pop();
const ctx = (o: KubeObject): CheckContext => ({
  level: "hardened",
  policyVersion: LATEST,
  config: {},
  pod: podView(o),
});

describe("sa-dedicated", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["named", { serviceAccountName: "web" }, []],
    ["alias naming one", { serviceAccount: "web" }, []],
    ["unset", {}, ["serviceAccountName"]],
    ["empty", { serviceAccountName: "" }, ["serviceAccountName"]],
    ["default", { serviceAccountName: "default" }, ["serviceAccountName"]],
    ["alias default", { serviceAccount: "default" }, ["serviceAccount"]],
    ["name wins over the alias", { serviceAccountName: "web", serviceAccount: "default" }, []],
  ])("%s, in every kind", (_n, spec, expected) => {
    for (const o of inEveryKind({ ...container, ...spec }))
      expect(runControl(saDedicated, o).map((v) => last(v.path))).toEqual(expected);
  });
});

describe("sa-deprecated-field", () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ["unset", {}, false],
    ["empty", { serviceAccount: "" }, false],
    ["set", { serviceAccount: "web" }, true],
    [
      "equal to serviceAccountName (as the API server returns it)",
      { serviceAccountName: "web", serviceAccount: "web" },
      false,
    ],
    ["differing from serviceAccountName", { serviceAccountName: "web", serviceAccount: "admin" }, true],
  ])("%s", (_n, spec, reported) => {
    for (const o of inEveryKind({ ...container, ...spec })) {
      expect(runControl(saDeprecatedField, o).map((v) => last(v.path))).toEqual(reported ? ["serviceAccount"] : []);
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["moves the alias", { serviceAccount: "web" }, "web"],
    ["keeps serviceAccountName, which already wins", { serviceAccountName: "api", serviceAccount: "web" }, "api"],
    ["fills an empty serviceAccountName", { serviceAccountName: "", serviceAccount: "web" }, "web"],
  ])("fix %s", (_n, spec, expected) => {
    for (const o of inEveryKind({ ...container, ...spec })) {
      const before = JSON.stringify(o);
      const fixed = saDeprecatedField.fix!(o, ctx(o));
      expect(JSON.stringify(o)).toBe(before);
      expect(saDeprecatedField.check(fixed, ctx(fixed))).toEqual([]);
      expect(podView(fixed)?.spec["serviceAccountName"]).toBe(expected);
      expect(podView(fixed)?.spec).not.toHaveProperty("serviceAccount");
    }
  });
});

describe("sa-default-automount", () => {
  it.each<[string, KubeObject, boolean]>([
    ["default, false", sa("default", { automountServiceAccountToken: false }), false],
    ["default, unset", sa("default"), true],
    ["default, true", sa("default", { automountServiceAccountToken: true }), true],
    ["default, odd value", sa("default", { automountServiceAccountToken: "false" }), true],
    ["another account, unset", sa("web"), false],
  ])("%s", (_n, o, reported) => {
    expect(runControl(saDefaultAutomount, o).map((v) => v.path)).toEqual(
      reported ? ["automountServiceAccountToken"] : [],
    );
  });

  it("fixes by setting false, without mutating the input", () => {
    for (const o of [sa("default"), sa("default", { automountServiceAccountToken: true, secrets: [] })]) {
      const before = JSON.stringify(o);
      const fixed = saDefaultAutomount.fix!(o, ctx(o));
      expect(JSON.stringify(o)).toBe(before);
      expect(fixed["automountServiceAccountToken"]).toBe(false);
      expect(runControl(saDefaultAutomount, fixed)).toEqual([]);
    }
    const other = sa("web");
    expect(saDefaultAutomount.fix!(other, ctx(other))).toBe(other);
  });
});

describe("sa-default-declared", () => {
  const web = deployment("web", "shop");
  it.each<[string, KubeObject[], string[]]>([
    ["declared", [web, sa("default", { automountServiceAccountToken: false })], []],
    // The value of a declared default ServiceAccount is sa-default-automount's finding.
    ["declared without the field", [web, sa("default")], []],
    ["missing", [web], ["Namespace/shop"]],
    ["in another namespace only", [web, sa("default", {}, "other")], ["Namespace/shop"]],
    ["missing, namespace declared", [web, namespace("shop")], ["Namespace/shop"]],
  ])("%s", (_n, objects, expected) => expect(summary(runStack(saDefaultDeclared, objects))).toEqual(expected));

  it("wants a patch-only default ServiceAccount to be patched with the field", () => {
    const patch = sa("default", { metadata: { name: "default", namespace: "shop", labels: { a: "b" } } });
    expect(summary(runStack(saDefaultDeclared, [web, patch], { patches: [patch] }))).toEqual([
      "ServiceAccount/default automountServiceAccountToken",
    ]);
    const good = sa("default", { automountServiceAccountToken: false });
    expect(runStack(saDefaultDeclared, [web, good], { patches: [good] })).toEqual([]);
  });
});

describe("sa-exists", () => {
  const web = (spec: Record<string, unknown>) => deployment("web", "shop", { app: "web" }, spec);
  it.each<[string, KubeObject[], Record<string, unknown>, string[]]>([
    ["declared", [web({ serviceAccountName: "web" }), sa("web")], {}, []],
    ["patched", [web({ serviceAccountName: "web" }), sa("web")], { patch: true }, []],
    ["default assumed", [web({})], {}, []],
    ["missing", [web({ serviceAccountName: "web" })], {}, ["Deployment/web spec.template.spec.serviceAccountName"]],
    [
      "other namespace",
      [web({ serviceAccountName: "web" }), sa("web", {}, "x")],
      {},
      ["Deployment/web spec.template.spec.serviceAccountName"],
    ],
    ["alias missing", [web({ serviceAccount: "ghost" })], {}, ["Deployment/web spec.template.spec.serviceAccount"]],
    [
      "default not assumed",
      [web({})],
      { assumeExisting: [] },
      ["Deployment/web spec.template.spec.serviceAccountName"],
    ],
    ["assumed by pattern", [web({ serviceAccountName: "platform-x" })], { assumeExisting: ["shop/platform-*"] }, []],
  ])("%s", (_n, objects, options, expected) => {
    const { patch, ...config } = options;
    const patches = patch === true ? objects.filter((o) => o.kind === "ServiceAccount") : [];
    expect(summary(runStack(saExists, objects, { config: config as never, patches }))).toEqual(expected);
  });
});
