/**
 * What a new user writes, for test/e2e/packed-install.test.ts: a Pulumi TypeScript project (the
 * tsconfig of Pulumi's own template, plus exactOptionalPropertyTypes), a cdk8s project in
 * JavaScript and a Pulumi YAML project using the installed package as the Pulumi package
 * `palisade`, each with the palisade-k8s package installed from its tarball. README.md ("Use it in
 * your project", "From any Pulumi language") and docs/install.md show these same commands.
 */

/** Versions the fresh projects install (the repository's own, so npm's cache has them). */
export const PEERS = {
  pulumi: "@pulumi/pulumi@3.248.0",
  kubernetes: "@pulumi/kubernetes@4.32.0",
  policy: "@pulumi/policy@1.21.0",
} as const;

/** The commands the test runs, as the README gives them (`<tarball>` is the package). */
export const COMMANDS = {
  pulumiInstall: "npm install palisade-k8s @pulumi/pulumi @pulumi/kubernetes @pulumi/policy",
  typecheck: "npx tsc --noEmit",
  preview: "pulumi preview --policy-pack node_modules/palisade-k8s/policypack",
  cdk8sInstall: "npm install palisade-k8s cdk8s constructs",
  synth: "npx cdk8s synth",
  check: "npx palisade check dist",
  npx: "npx -p palisade-k8s palisade check",
  packageAdd: "pulumi package add ./node_modules/palisade-k8s",
  getSchema: "pulumi package get-schema ./node_modules/palisade-k8s",
} as const;

export const PULUMI_YAML = `name: shop-infra
runtime: nodejs
description: A tenant namespace and a web service, hardened by palisade-k8s
`;

/** Pulumi's TypeScript template (pulumi new typescript), with exactOptionalPropertyTypes on. */
export const PULUMI_TSCONFIG = `{
  "compilerOptions": {
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "outDir": "bin",
    "target": "es2020",
    "module": "commonjs",
    "moduleResolution": "node",
    "sourceMap": true,
    "experimentalDecorators": true,
    "pretty": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitReturns": true,
    "forceConsistentCasingInFileNames": true
  },
  "files": ["index.ts"]
}
`;

/** index.ts: hardened by the components; with config `insecure: true`, a Deployment the pack must refuse. */
export const PULUMI_INDEX_TS = `import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { HardenedWorkload, SecureNamespace } from "palisade-k8s/components/pulumi";
import { catalog } from "palisade-k8s/controls";
import { evaluate, type KubeObject } from "palisade-k8s";

const config = new pulumi.Config();
// Renders YAML to a folder instead of talking to a cluster (drop it to deploy).
const provider = new k8s.Provider("render", { renderYamlToDirectory: config.require("renderDir") });

if (config.getBoolean("insecure")) {
  new k8s.apps.v1.Deployment(
    "web",
    {
      metadata: { name: "web", namespace: "default" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            hostNetwork: true,
            containers: [{ name: "web", image: "nginx:latest", securityContext: { privileged: true } }],
          },
        },
      },
    },
    { provider },
  );
} else {
  const shop = new SecureNamespace(
    "shop",
    {
      name: "shop",
      ingress: [{ from: [{ namespace: "ingress-nginx" }], ports: [{ port: 8080 }] }],
      access: [{ role: "edit", groups: ["shop-developers"] }],
    },
    { provider },
  );
  new HardenedWorkload(
    "web",
    {
      name: "web",
      namespace: shop,
      image: "ghcr.io/example/web:1.4.2@sha256:3f1c8a0f6b2d4e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a",
      ports: [{ port: 8080 }],
      ingressFrom: [{ namespace: "ingress-nginx" }],
    },
    { provider },
  );
}

// The engine is plain data in, findings out: usable from any program or test.
const probe: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: "shop" } };
export const controls = catalog.length;
export const probeFindings = evaluate([probe], { controls: catalog }).findings.length;
`;

/**
 * Pulumi.yaml of a Pulumi YAML project using the installed package as the Pulumi package
 * `palisade` (the `packages:` entry is what `pulumi package add ./node_modules/palisade-k8s`
 * records; the test adds it). Renders YAML to `renderDir` instead of talking to a cluster.
 */
export const PULUMI_YAML_PROGRAM = `name: shop-yaml
runtime: yaml
description: A tenant namespace and a web service from the palisade Pulumi package, installed from npm
config:
  renderDir:
    type: string
resources:
  render:
    type: pulumi:providers:kubernetes
    properties:
      renderYamlToDirectory: \${renderDir}
  shop:
    type: palisade:index:SecureNamespace
    properties:
      name: shop
      access:
        - role: edit
          groups: [shop-developers]
    options:
      providers:
        - \${render}
  web:
    type: palisade:index:HardenedWorkload
    properties:
      name: web
      namespace: shop
      tenant: shop
      image: ghcr.io/example/shop-web:1.4.2@sha256:3f1c8a0f6b2d4e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a
      ports:
        - port: 8080
          name: http
    options:
      providers:
        - \${render}
      dependsOn:
        - \${shop}
outputs:
  namespace: \${shop.namespaceName}
  serviceAccount: \${web.serviceAccountName}
`;

/** main.js of the cdk8s project; PALISADE_TEST_INSECURE adds a privileged Deployment. */
export const CDK8S_MAIN_JS = `const { App, Chart, ApiObject } = require("cdk8s");
const { SecureNamespace, HardenedWorkload } = require("palisade-k8s/components/cdk8s");

const app = new App();
const chart = new Chart(app, "shop");
new SecureNamespace(chart, "namespace", {
  name: "shop",
  access: [{ role: "view", groups: ["auditors"] }],
});
new HardenedWorkload(chart, "web", {
  name: "web",
  namespace: "shop",
  tenant: "shop",
  image: "ghcr.io/example/web:1.4.2@sha256:3f1c8a0f6b2d4e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a",
  ports: [{ port: 8080 }],
  ingressFrom: [{ namespace: "ingress-nginx" }],
});
if (process.env.PALISADE_TEST_INSECURE) {
  new ApiObject(chart, "debug", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "debug", namespace: "shop" },
    spec: {
      selector: { matchLabels: { app: "debug" } },
      template: {
        metadata: { labels: { app: "debug" } },
        spec: { containers: [{ name: "debug", image: "busybox", securityContext: { privileged: true } }] },
      },
    },
  });
}
app.synth();
`;

/** cdk8s.yaml loading the plugin from the installed package, by path or (from npm) by name. */
export function cdk8sYaml(plugin: "path" | "name", pluginsDirectory?: string): string {
  const pkg = plugin === "path" ? "./node_modules/palisade-k8s" : "palisade-k8s";
  return `language: typescript
app: node main.js
output: dist
${pluginsDirectory !== undefined ? `pluginsDirectory: ${pluginsDirectory}\n` : ""}validations:
  - package: ${pkg}
    version: 0.1.0
    class: PalisadeValidation
    properties:
      level: hardened
`;
}
