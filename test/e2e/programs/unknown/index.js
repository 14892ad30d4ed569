// Values unknown during preview, as when they come from another resource's outputs (a namespace
// name created elsewhere): during preview they are pulumi.unknown; on update they resolve.
"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");

const provider = new k8s.Provider("render", { renderYamlToDirectory: process.env.PALISADE_RENDER_DIR });
const ns = new k8s.core.v1.Namespace("shop", {}, { provider });
const later = (value) =>
  pulumi.all([ns.metadata.name, pulumi.runtime.isDryRun() ? pulumi.output(pulumi.unknown) : value]).apply(([, v]) => v);

new k8s.apps.v1.Deployment(
  "web",
  {
    metadata: { name: "web", namespace: later("shop") },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          hostNetwork: later(true),
          containers: [{ name: "web", image: "nginx:1.27", securityContext: { privileged: true } }],
        },
      },
    },
  },
  { provider },
);
