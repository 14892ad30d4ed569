// The pack's audit trail in a real preview: a stack control's finding exempted by annotation (a
// ClusterRoleBinding of the built-in edit role everywhere) and a resource control's finding
// exempted by the pack's config (a host-network Deployment in the "infra" namespace).
"use strict";
const k8s = require("@pulumi/kubernetes");

const provider = new k8s.Provider("render", { renderYamlToDirectory: process.env.PALISADE_RENDER_DIR });

new k8s.rbac.v1.ClusterRoleBinding(
  "devs-edit",
  {
    metadata: {
      name: "devs-edit",
      annotations: {
        "palisade.dev/exempt": "rbac-admin-equivalent-binding",
        "palisade.dev/exempt-reason": "break-glass group, reviewed in SEC-7",
      },
    },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "devs" }],
  },
  { provider },
);

new k8s.apps.v1.Deployment(
  "cni",
  {
    metadata: { name: "cni", namespace: "infra" },
    spec: {
      selector: { matchLabels: { app: "cni" } },
      template: {
        metadata: { labels: { app: "cni" } },
        spec: {
          hostNetwork: true,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "cni",
              image: "registry.example.com/cni:1.0",
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  },
  { provider },
);
