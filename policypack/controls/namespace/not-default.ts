import { isNamespaced } from "../../engine/kinds";
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
    validations: [{ expression: "request.namespace != 'default'" }],
  },
  check(object, ctx) {
    if (isNamespaced(object) !== true) return [];
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
