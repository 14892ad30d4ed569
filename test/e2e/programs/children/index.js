// Objects that reach the pack as children of component resources: a yaml/v2 ConfigGroup of
// cdk8s output and a Helm v4 chart from the repository. CrossGuard sees each child on its own.
"use strict";
const path = require("node:path");
const k8s = require("@pulumi/kubernetes");

const fixtures = process.env.PALISADE_FIXTURES;
const provider = new k8s.Provider("render", { renderYamlToDirectory: process.env.PALISADE_RENDER_DIR });

new k8s.yaml.v2.ConfigGroup("cdk8s", { files: [path.join(fixtures, "cdk8s-output", "*.k8s.yaml")] }, { provider });
new k8s.helm.v4.Chart("web", { chart: path.join(fixtures, "helm", "web"), namespace: "charts" }, { provider });
