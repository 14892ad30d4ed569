// A tenant namespace and a web service in it, the way a platform team would hand them out.
// Everything the Palisade catalog asks for is there by construction; the policy pack accepts it.
"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");
// In your own project: require("palisade-k8s/components/pulumi").
const { SecureNamespace, HardenedWorkload } = require("../../dist/components/pulumi");

// Renders YAML instead of talking to a cluster; PALISADE_RENDER_DIR lets the tests choose where.
const renderDir = process.env.PALISADE_RENDER_DIR ?? new pulumi.Config().get("renderDir") ?? "rendered";
const provider = new k8s.Provider("render", {
  renderYamlToDirectory: path.resolve(pulumi.runtime.getRootDirectory(), renderDir),
});

const shop = new SecureNamespace(
  "shop",
  {
    name: "shop",
    ingress: [{ from: [{ namespace: "ingress-nginx" }], ports: [{ port: 8080 }] }],
    access: [
      { role: "edit", groups: ["shop-developers"] },
      { role: "view", groups: ["auditors"] },
    ],
  },
  { provider },
);

const web = new HardenedWorkload(
  "web",
  {
    name: "web",
    namespace: shop,
    image: "ghcr.io/example/shop-web:1.4.2@sha256:3f1c8a0f6b2d4e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a",
    replicas: 2,
    ports: [{ port: 8080, name: "http" }],
    ingressFrom: [{ namespace: "ingress-nginx" }],
    resources: { cpu: { request: "100m", limit: "500m" }, memory: { request: "128Mi", limit: "256Mi" } },
  },
  { provider },
);

exports.namespace = shop.namespaceName;
exports.serviceAccount = web.serviceAccountName;
exports.service = web.serviceName;
