// A cdk8s app with Palisade's constructs: `npx cdk8s synth` writes dist/shop.k8s.yaml, and the
// validation plugin in cdk8s.yaml checks it against the whole catalog.
"use strict";
const { App, Chart } = require("cdk8s");
// In your own project: require("palisade-k8s/components/cdk8s").
const { SecureNamespace, HardenedWorkload } = require("../../dist/components/cdk8s");

const app = new App();
const chart = new Chart(app, "shop");
new SecureNamespace(chart, "namespace", {
  name: "shop",
  ingress: [{ from: [{ namespace: "ingress-nginx" }], ports: [{ port: 8080 }] }],
  access: [{ role: "view", groups: ["auditors"] }],
});
new HardenedWorkload(chart, "web", {
  name: "web",
  namespace: "shop",
  tenant: "shop",
  image: "ghcr.io/example/shop-web:1.4.2@sha256:3f1c8a0f6b2d4e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a",
  replicas: 2,
  ports: [{ port: 8080, name: "http" }],
  ingressFrom: [{ namespace: "ingress-nginx" }],
});
app.synth();
