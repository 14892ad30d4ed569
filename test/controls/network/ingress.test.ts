import { networkIngressHost } from "../../../policypack/controls/network/ingress-host";
import { networkIngressHostUnique } from "../../../policypack/controls/network/ingress-host-unique";
import { hostCovers } from "../../../policypack/controls/network/ingress-hosts";
import { networkIngressNginxSnippets } from "../../../policypack/controls/network/ingress-nginx-snippets";
import { networkIngressTls } from "../../../policypack/controls/network/ingress-tls";
import type { KubeObject } from "../../../policypack/engine/types";
import { runControl } from "../../helpers/objects";
import { runStack, summary } from "../namespace/stack-run";

const rule = (host: string | undefined, path = "/") => ({
  ...(host === undefined ? {} : { host }),
  http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] },
});
const ingress = (
  spec: unknown,
  name = "web",
  namespace = "shop",
  annotations?: Record<string, string>,
): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec,
});

describe("hostCovers", () => {
  it.each([
    ["a.example.com", "a.example.com", true],
    ["A.Example.com", "a.example.com", true],
    ["*.example.com", "a.example.com", true],
    ["*.example.com", "*.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "a.b.example.com", false],
    ["*.example.com", "*.b.example.com", false],
    ["a.example.com", "b.example.com", false],
  ])("%s covers %s: %s", (pattern, host, expected) => expect(hostCovers(pattern, host)).toBe(expected));
});

describe("network-ingress-tls", () => {
  it.each<[string, unknown, string[]]>([
    ["host listed", { tls: [{ hosts: ["a.example.com"] }], rules: [rule("a.example.com")] }, []],
    ["wildcard certificate", { tls: [{ hosts: ["*.example.com"] }], rules: [rule("a.example.com")] }, []],
    [
      "TLS section without hosts covers all",
      { tls: [{ secretName: "x" }], rules: [rule("a.example.com"), rule(undefined)] },
      [],
    ],
    ["no tls", { rules: [rule("a.example.com")] }, ["spec.tls"]],
    ["empty tls", { tls: [], rules: [rule("a.example.com")] }, ["spec.tls"]],
    ["default backend only, no tls", { defaultBackend: { service: { name: "web" } } }, ["spec.tls"]],
    [
      "host not listed",
      { tls: [{ hosts: ["a.example.com"] }], rules: [rule("b.example.com")] },
      ["spec.rules[0].host"],
    ],
    [
      "rule without host",
      { tls: [{ hosts: ["a.example.com"] }], rules: [rule("a.example.com"), rule("")] },
      ["spec.rules[1]"],
    ],
    ["odd shape", { tls: "x", rules: "y" }, ["spec.tls"]],
  ])("%s", (_n, spec, expected) =>
    expect(runControl(networkIngressTls, ingress(spec)).map((v) => v.path)).toEqual(expected),
  );
});

describe("network-ingress-host", () => {
  it.each<[string, unknown, string[]]>([
    ["exact hosts", { rules: [rule("a.example.com"), rule("b.example.com")] }, []],
    ["no rules", {}, []],
    ["wildcard", { rules: [rule("*.example.com")] }, ["spec.rules[0].host"]],
    ["no host", { rules: [rule(undefined)] }, ["spec.rules[0]"]],
    ["empty host", { rules: [rule("")] }, ["spec.rules[0]"]],
    ["default backend", { defaultBackend: { service: { name: "web" } } }, ["spec.defaultBackend"]],
    ["extensions/v1beta1 backend", { backend: { serviceName: "web", servicePort: 80 } }, ["spec.backend"]],
  ])("%s", (_n, spec, expected) =>
    expect(runControl(networkIngressHost, ingress(spec)).map((v) => v.path)).toEqual(expected),
  );
});

describe("network-ingress-host-unique", () => {
  it.each<[string, KubeObject[], string[]]>([
    [
      "distinct hosts",
      [ingress({ rules: [rule("a.example.com")] }), ingress({ rules: [rule("b.example.com")] }, "b", "other")],
      [],
    ],
    [
      "one host split by path in one namespace",
      [ingress({ rules: [rule("a.example.com", "/")] }), ingress({ rules: [rule("a.example.com", "/api")] }, "api")],
      [],
    ],
    [
      "same host in another namespace",
      [
        ingress({ rules: [rule("a.example.com")] }),
        ingress({ rules: [rule("A.EXAMPLE.COM", "/x")] }, "evil", "tenant"),
      ],
      ["Ingress/evil spec.rules[0].host"],
    ],
    [
      "same host and path twice",
      [
        ingress({ rules: [rule("a.example.com")] }),
        ingress({ rules: [rule("b.example.com"), rule("a.example.com")] }, "copy"),
      ],
      ["Ingress/copy spec.rules[1].http.paths[0]"],
    ],
    ["one Ingress repeating itself is fine", [ingress({ rules: [rule("a.example.com"), rule("a.example.com")] })], []],
    [
      "rules without host are not claims",
      [ingress({ rules: [rule(undefined)] }), ingress({ rules: [rule(undefined)] }, "b", "x")],
      [],
    ],
  ])("%s", (_n, objects, expected) => expect(summary(runStack(networkIngressHostUnique, objects))).toEqual(expected));

  it("names the owner", () => {
    const [v] = runStack(networkIngressHostUnique, [
      ingress({ rules: [rule("a.example.com")] }),
      ingress({ rules: [rule("a.example.com")] }, "b", "other"),
    ]);
    expect(v?.message).toBe('rules[0].host "a.example.com" is already served by Ingress shop/web in namespace "shop"');
  });

  it("ignores patches and odd shapes", () => {
    const patch = ingress({ rules: [rule("a.example.com")] }, "p", "other");
    const odd = ingress({ rules: [{ host: "a.example.com", http: { paths: "x" } }, 3] }, "odd");
    expect(
      runStack(networkIngressHostUnique, [ingress({ rules: [rule("a.example.com")] }), patch, odd], {
        patches: [patch],
      }),
    ).toEqual([]);
  });
});

describe("network-ingress-nginx-snippets", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["ordinary annotations", { "nginx.ingress.kubernetes.io/rewrite-target": "/", "x/server-snippet": "y" }, []],
    [
      "ingress-nginx snippets",
      {
        "nginx.ingress.kubernetes.io/configuration-snippet": "a",
        "nginx.ingress.kubernetes.io/server-snippet": "b",
        "nginx.ingress.kubernetes.io/auth-snippet": "c",
      },
      [
        'metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]',
        'metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]',
        'metadata.annotations["nginx.ingress.kubernetes.io/auth-snippet"]',
      ],
    ],
    [
      "NGINX Inc snippets",
      { "nginx.org/location-snippets": "a" },
      ['metadata.annotations["nginx.org/location-snippets"]'],
    ],
  ])("%s", (_n, annotations, expected) => {
    expect(runControl(networkIngressNginxSnippets, ingress({}, "web", "shop", annotations)).map((v) => v.path)).toEqual(
      expected,
    );
  });

  it("follows a custom annotation prefix", () => {
    const o = ingress({}, "web", "shop", { "custom.io/server-snippet": "x" });
    expect(runControl(networkIngressNginxSnippets, o)).toEqual([]);
    expect(runControl(networkIngressNginxSnippets, o, { config: { annotationPrefixes: ["custom.io"] } })).toHaveLength(
      1,
    );
  });
});
