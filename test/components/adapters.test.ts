/**
 * The adapters are thin: for the same arguments, the Pulumi components (under setMocks) and the
 * cdk8s constructs produce exactly the pure builders' manifests. Asserted on generated
 * arguments, plus the Pulumi conventions (type tokens, parenting, providers, outputs) and the
 * cdk8s ones (ordering, chart namespaces).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Chart, Testing } from "cdk8s";
import fc from "fast-check";
import * as cdk8sComponents from "../../components/cdk8s";
import { hardenedWorkload, secureNamespace, type Manifest } from "../../components/manifests";
import * as pulumiComponents from "../../components/pulumi";
import { scenario } from "./arbitraries";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
  readonly parent?: string;
}

const registered = new Map<string, Registered>();
const urns = new Map<string, string>();

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.set(args.name, {
        type: args.type,
        name: args.name,
        inputs: args.inputs as Record<string, unknown>,
        provider: args.provider,
      });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "palisade",
  "test",
  false,
);

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function registration(resources: readonly pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map(async (r) => urns.set(await settled(r.urn), "")));
}

/** JSON form of the builder's objects (what a serialised manifest is). */
function plain(objects: readonly Manifest[]): unknown[] {
  return JSON.parse(JSON.stringify(objects)) as unknown[];
}

let counter = 0;
const unique = (base: string): string => `${base}-${++counter}`;

describe("Pulumi components", () => {
  it("register the builder's manifests, one typed resource per object (30 generated runs)", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const nsName = unique("ns");
        const wlName = unique("wl");
        const ns = new pulumiComponents.SecureNamespace(nsName, s.namespace);
        const wl = new pulumiComponents.HardenedWorkload(wlName, s.workload);
        await registration([...ns.resources, ...wl.resources]);
        const emitted = (component: string, manifests: readonly Manifest[]): unknown[] =>
          manifests.map((m) => registered.get(pulumiComponents.childName(component, m))?.inputs);
        expect(emitted(nsName, ns.manifests)).toEqual(plain(secureNamespace(s.namespace)));
        expect(emitted(wlName, wl.manifests)).toEqual(plain(hardenedWorkload(s.workload)));
      }),
      { numRuns: 30 },
    );
  });

  it("use the palisade type tokens, the matching Kubernetes types, and parent every child", async () => {
    const ns = new pulumiComponents.SecureNamespace("tokens", {
      name: "tokens",
      access: [{ role: "view", groups: ["devs"] }],
    });
    const wl = new pulumiComponents.HardenedWorkload("tokens-web", {
      name: "web",
      namespace: ns,
      image: `ghcr.io/acme/web:1.0@sha256:${"b".repeat(64)}`,
      ports: [{ port: 8080 }],
    });
    await registration([...ns.resources, ...wl.resources]);
    expect(registered.get("tokens")?.type).toBe("palisade:index:SecureNamespace");
    expect(registered.get("tokens-web")?.type).toBe("palisade:index:HardenedWorkload");
    const types = [...ns.resources, ...wl.resources].map(
      (r) => (r as unknown as { __pulumiType: string }).__pulumiType,
    );
    expect(types).toEqual([
      "kubernetes:core/v1:Namespace",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:core/v1:ResourceQuota",
      "kubernetes:core/v1:ResourceQuota",
      "kubernetes:core/v1:LimitRange",
      // The namespace controller creates `default`: it is patched, not created.
      "kubernetes:core/v1:ServiceAccountPatch",
      "kubernetes:rbac.authorization.k8s.io/v1:Role",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    const nsUrn = await settled(ns.urn);
    const wlUrn = await settled(wl.urn);
    for (const r of ns.resources)
      expect(await settled((r as unknown as { __parentResource: pulumi.Resource }).__parentResource.urn)).toBe(nsUrn);
    for (const r of wl.resources)
      expect(await settled((r as unknown as { __parentResource: pulumi.Resource }).__parentResource.urn)).toBe(wlUrn);
  });

  it("expose the namespace name and the ServiceAccount names as outputs", async () => {
    const ns = new pulumiComponents.SecureNamespace("outputs", {
      name: "outputs",
      serviceAccounts: ["reporter"],
      access: [{ role: "deploy", serviceAccounts: ["ci"] }],
    });
    const wl = new pulumiComponents.HardenedWorkload("outputs-web", {
      name: "web",
      namespace: ns,
      image: `ghcr.io/acme/web:1.0@sha256:${"c".repeat(64)}`,
      ports: [{ port: 8080 }],
    });
    expect(await settled(ns.namespaceName)).toBe("outputs");
    expect(await settled(ns.serviceAccountNames)).toEqual(["default", "reporter", "ci"]);
    expect(await settled(wl.serviceAccountName)).toBe("web");
    expect(await settled(wl.serviceName as pulumi.Output<string>)).toBe("web");
    // A SecureNamespace as namespace: its name and tenant label the pods.
    expect(wl.namespace).toBe("outputs");
    const deployment = wl.manifests.find((m) => m.kind === "Deployment") as Manifest & {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(deployment.spec.template.metadata.labels["palisade.dev/tenant"]).toBe("outputs");
  });

  it("pass a provider (opts.provider or opts.providers) through to every child", async () => {
    const provider = new k8s.Provider("render", { renderYamlToDirectory: "rendered" });
    const viaProvider = new pulumiComponents.SecureNamespace("via-provider", { name: "via-provider" }, { provider });
    const viaProviders = new pulumiComponents.HardenedWorkload(
      "via-providers",
      {
        name: "web",
        namespace: "via-provider",
        image: `ghcr.io/acme/web:1.0@sha256:${"d".repeat(64)}`,
        ports: [{ port: 8080 }],
      },
      { providers: [provider] },
    );
    await registration([...viaProvider.resources, ...viaProviders.resources]);
    const providerUrn = await settled(provider.urn);
    for (const m of viaProvider.manifests)
      expect(registered.get(pulumiComponents.childName("via-provider", m))?.provider).toBe(`${providerUrn}::render-id`);
    for (const m of viaProviders.manifests)
      expect(registered.get(pulumiComponents.childName("via-providers", m))?.provider).toBe(
        `${providerUrn}::render-id`,
      );
  });

  it("throw the builder's error at construction", () => {
    expect(() => new pulumiComponents.SecureNamespace("bad", { name: "Bad" })).toThrow(
      /^SecureNamespaceArgs\.name: "Bad" is not a DNS-1123 label/,
    );
  });
});

describe("cdk8s constructs", () => {
  it("synthesize the builder's manifests (100 generated runs)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const chart = Testing.chart();
        new cdk8sComponents.SecureNamespace(chart, "ns", s.namespace);
        new cdk8sComponents.HardenedWorkload(chart, "wl", s.workload);
        expect(Testing.synth(chart)).toEqual(plain([...secureNamespace(s.namespace), ...hardenedWorkload(s.workload)]));
      }),
      { numRuns: 100 },
    );
  });

  it("take name and tenant from a SecureNamespace construct, and synthesize it first", () => {
    const app = Testing.app();
    const chart = new Chart(app, "apps");
    const image = `ghcr.io/acme/web:1.0@sha256:${"e".repeat(64)}`;
    // Declared before the namespace it runs in: the dependency still orders the Namespace first.
    const holder = new Chart(app, "first");
    const ns = new cdk8sComponents.SecureNamespace(chart, "ns", { name: "shop", tenant: "retail" });
    const wl = new cdk8sComponents.HardenedWorkload(holder, "web", {
      name: "web",
      namespace: ns,
      image,
      ports: [{ port: 8080 }],
    });
    expect(wl.namespace).toBe("shop");
    expect(wl.serviceAccountName).toBe("web");
    expect(wl.serviceName).toBe("web");
    const workload = Testing.synth(holder).find((o: { kind: string }) => o.kind === "Deployment") as {
      metadata: { namespace: string };
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(workload.metadata.namespace).toBe("shop");
    expect(workload.spec.template.metadata.labels["palisade.dev/tenant"]).toBe("retail");
    expect(Testing.synth(chart)[0]).toMatchObject({ kind: "Namespace", metadata: { name: "shop" } });
  });

  it("keep a chart's default namespace off the cluster-scoped Namespace", () => {
    const chart = Testing.chart();
    const scoped = new Chart(chart, "scoped", { namespace: "elsewhere" });
    new cdk8sComponents.SecureNamespace(scoped, "ns", { name: "scoped" });
    const [namespace, ...rest] = Testing.synth(scoped) as { metadata: { namespace?: string } }[];
    expect(namespace?.metadata.namespace).toBeUndefined();
    for (const o of rest) expect(o.metadata.namespace).toBe("scoped");
  });

  it("throw the builder's error at construction", () => {
    const chart = Testing.chart();
    expect(
      () => new cdk8sComponents.HardenedWorkload(chart, "bad", { name: "web", namespace: "shop", image: "nginx:1.27" }),
    ).toThrow(/^HardenedWorkloadArgs\.image: "nginx:1\.27" is not pinned by digest/);
  });
});
