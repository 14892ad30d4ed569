import { rec } from "../../engine/access";
import { isNamespaced } from "../../engine/kinds";
import type { KubeObject } from "../../engine/types";
import { resourceControl } from "../define";
import { NAMESPACED_KINDS } from "../../engine/kinds";

/**
 * Namespaced objects live in a namespace of their own, not in `default`: the default namespace
 * has no Pod Security labels, NetworkPolicies or quotas of its own and is shared by everyone
 * who forgets a namespace. An unset namespace is reported too: it lands in `default` (or in
 * whatever namespace the kubeconfig context or the Pulumi provider names), which a reviewer of
 * the manifest cannot see, unless the run names it (`defaultNamespace` in the config, the Pulumi
 * provider's namespace): an install file without namespaces, applied with `kubectl apply -n
 * gitops`, is how many projects ship, and its objects land in gitops, not in default.
 */
/**
 * Roles and RoleBindings grant access to the namespace they are in: one for the default
 * namespace must live there, so its place is its purpose, not a mistake.
 */
export const ACCESS_KINDS = ["Role", "RoleBinding"];

/**
 * Objects that must be in `default`: RBAC for the default namespace, and the API server's own
 * `kubernetes` Service (no selector, ClusterIP: the server writes its endpoints) with its
 * Endpoints and EndpointSlice. A `kubernetes` Service with a selector routes the cluster's API
 * traffic to pods: that lookalike is still reported.
 */
function mustLiveThere(object: KubeObject): boolean {
  if (ACCESS_KINDS.includes(String(object.kind))) return true;
  if (object.metadata?.name !== "kubernetes") return false;
  if (object.kind === "Endpoints" || object.kind === "EndpointSlice") return true;
  if (object.kind !== "Service") return false;
  const spec = rec(object["spec"]) ?? {};
  return spec["selector"] === undefined && (spec["type"] === undefined || spec["type"] === "ClusterIP");
}

export const namespaceNotDefault = resourceControl({
  id: "namespace-not-default",
  title: "Objects set a namespace other than default",
  family: "namespace",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NS-001",
    nsaCisa: "Network separation and hardening › Namespaces",
    cis: "5.7.4",
  },
  remediation: "Set metadata.namespace to the application's own namespace on every namespaced object.",
  kinds: NAMESPACED_KINDS,
  // The control as CEL. At admission every namespaced object has a namespace: the request's (the
  // server fills metadata.namespace from it), so an unset namespace is judged where it lands, which
  // is what the check's "unset lands in default" means.
  cel: {
    validations: [
      {
        expression:
          `request.namespace != 'default' || request.kind.kind in ${JSON.stringify(ACCESS_KINDS)} || ` +
          "(has(object.metadata.name) && object.metadata.name == 'kubernetes' && " +
          "((request.kind.kind == 'Service' && !has(object.spec.selector) && (!has(object.spec.type) || object.spec.type == 'ClusterIP')) || " +
          "request.kind.kind in ['Endpoints', 'EndpointSlice']))",
      },
    ],
  },
  check(object, ctx) {
    if (isNamespaced(object) !== true) return [];
    if (mustLiveThere(object)) return [];
    const ns = object.metadata?.namespace;
    if (typeof ns !== "string" || ns === "") {
      const target = ctx.defaultNamespace;
      if (target !== undefined && target !== "" && target !== "default") return [];
      return [
        {
          message:
            "no metadata.namespace: lands in the default namespace (or the one the kubeconfig context or Pulumi provider names); set it explicitly",
          path: "metadata.namespace",
        },
      ];
    }
    if (ns !== "default") return [];
    return [
      {
        message: 'metadata.namespace is "default": use a namespace of the application\'s own',
        path: "metadata.namespace",
      },
    ];
  },
});
