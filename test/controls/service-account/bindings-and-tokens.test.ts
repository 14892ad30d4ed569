import { saDefaultNotBound } from "../../../policypack/controls/service-account/default-not-bound";
import { saProjectedToken } from "../../../policypack/controls/service-account/projected-token";
import { saTokenSecrets } from "../../../policypack/controls/service-account/token-secrets";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, runControl } from "../../helpers/objects";

const binding = (kind: string, subjects: unknown): KubeObject => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name: "b", ...(kind === "RoleBinding" ? { namespace: "shop" } : {}) },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
  subjects,
});

describe("sa-default-not-bound", () => {
  it.each<[string, unknown, string[]]>([
    ["dedicated SA", [{ kind: "ServiceAccount", name: "web", namespace: "shop" }], []],
    ["User that is not a default SA", [{ kind: "User", name: "system:serviceaccount:shop:web" }], []],
    ["Group of a non-SA kind", [{ kind: "Group", name: "system:authenticated" }], []],
    ["a user named default", [{ kind: "User", name: "default" }], []],
    [
      "default SA",
      [
        { kind: "ServiceAccount", name: "web", namespace: "a" },
        { kind: "ServiceAccount", name: "default", namespace: "a" },
      ],
      ["subjects[1]"],
    ],
    ["default SA without namespace", [{ kind: "ServiceAccount", name: "default" }], ["subjects[0]"]],
    ["default SA username", [{ kind: "User", name: "system:serviceaccount:shop:default" }], ["subjects[0]"]],
    ["all service accounts", [{ kind: "Group", name: "system:serviceaccounts" }], ["subjects[0]"]],
    ["service accounts of a namespace", [{ kind: "Group", name: "system:serviceaccounts:shop" }], ["subjects[0]"]],
    ["odd shapes", ["x", null, { kind: 3 }], []],
    ["subjects not a list", "x", []],
  ])("%s", (_n, subjects, expected) => {
    for (const kind of ["RoleBinding", "ClusterRoleBinding"]) {
      expect(runControl(saDefaultNotBound, binding(kind, subjects)).map((v) => v.path)).toEqual(expected);
    }
  });
});

describe("sa-token-secrets", () => {
  it.each<[string, KubeObject, string[]]>([
    ["opaque Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "Opaque" }, []],
    ["Secret without type", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }, []],
    [
      "token Secret",
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "kubernetes.io/service-account-token" },
      ["type"],
    ],
    [
      "SA with imagePullSecrets",
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a" }, imagePullSecrets: [{ name: "r" }] },
      [],
    ],
    ["SA with empty secrets", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a" }, secrets: [] }, []],
    [
      "SA with secrets",
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a" }, secrets: [{ name: "t" }] },
      ["secrets"],
    ],
  ])("%s", (_n, o, expected) => expect(runControl(saTokenSecrets, o).map((v) => v.path)).toEqual(expected));
});

describe("sa-projected-token", () => {
  const spec = (token: unknown) => ({
    containers: [{ name: "c", image: "i" }],
    volumes: [
      { name: "cfg", configMap: { name: "x" } },
      { name: "token", projected: { sources: [{ configMap: { name: "ca" } }, { serviceAccountToken: token }] } },
    ],
  });
  const BASE = "volumes[1].projected.sources[1].serviceAccountToken";
  it.each<[string, unknown, Record<string, unknown>, string[]]>([
    ["audience, 600s", { path: "t", audience: "vault", expirationSeconds: 600 }, {}, []],
    ["audience, 3600s (the boundary)", { path: "t", audience: "vault", expirationSeconds: 3600 }, {}, []],
    ["audience, default expiry", { path: "t", audience: "vault" }, {}, []],
    ["3601s", { path: "t", audience: "vault", expirationSeconds: 3601 }, {}, [`${BASE}.expirationSeconds`]],
    ["no audience", { path: "t", expirationSeconds: 600 }, {}, [`${BASE}.audience`]],
    ["empty audience", { path: "t", audience: "" }, {}, [`${BASE}.audience`]],
    [
      "default expiry above a lower max",
      { path: "t", audience: "v" },
      { maxExpirationSeconds: 1800 },
      [`${BASE}.expirationSeconds`],
    ],
    ["at a lower max", { path: "t", audience: "v", expirationSeconds: 1800 }, { maxExpirationSeconds: 1800 }, []],
    ["a higher max", { path: "t", audience: "v", expirationSeconds: 7200 }, { maxExpirationSeconds: 7200 }, []],
  ])("%s, in every kind", (_n, token, config, expected) => {
    for (const o of inEveryKind(spec(token))) {
      expect(runControl(saProjectedToken, o, { config }).map((v) => v.path?.replace(/^.*spec\./, ""))).toEqual(
        expected,
      );
    }
  });

  it("names the volume and tolerates odd shapes", () => {
    const [pod] = inEveryKind(spec({ path: "t" }));
    expect(runControl(saProjectedToken, pod!)[0]?.message).toContain(
      'volume "token" projects a ServiceAccount token without an audience',
    );
    for (const volumes of [
      "x",
      [null],
      [{ projected: "x" }],
      [{ projected: { sources: [{ serviceAccountToken: "x" }] } }],
    ]) {
      expect(runControl(saProjectedToken, inEveryKind({ containers: [], volumes })[0]!)).toEqual([]);
    }
  });
});
