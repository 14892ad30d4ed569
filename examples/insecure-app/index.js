// Deliberately insecure: what a quick copy-paste from a tutorial looks like. The Palisade policy
// pack must refuse it (examples/insecure-app/README.md lists what it breaks). Plain JavaScript so
// the Pulumi language host runs it without compiling.
"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");

const config = new pulumi.Config();
// PALISADE_RENDER_DIR lets the end-to-end tests render into a folder of their own.
const renderDir = process.env.PALISADE_RENDER_DIR ?? config.get("renderDir") ?? "rendered";
const provider = new k8s.Provider("render", { renderYamlToDirectory: renderDir });

const labels = { app: "shop" };
new k8s.apps.v1.Deployment(
  "shop",
  {
    metadata: { name: "shop", namespace: "default" },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          containers: [
            {
              name: "shop",
              image: "nginx:latest",
              ports: [{ containerPort: 80, hostPort: 80 }],
              securityContext: { privileged: true, capabilities: { add: ["NET_ADMIN", "SYS_ADMIN"] } },
              env: [{ name: "DB_PASSWORD", value: "hunter2hunter2" }],
            },
          ],
        },
      },
    },
  },
  { provider },
);

new k8s.rbac.v1.Role(
  "shop-admin",
  {
    metadata: { name: "shop-admin", namespace: "default" },
    rules: [
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
    ],
  },
  { provider },
);

new k8s.core.v1.Service(
  "shop",
  {
    metadata: { name: "shop", namespace: "default" },
    spec: {
      type: "LoadBalancer",
      selector: labels,
      ports: [{ port: 80, targetPort: 80 }],
      externalIPs: ["203.0.113.10"],
    },
  },
  { provider },
);
