import { str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import { isNamespaced } from "../../engine/kinds";
import { celGlobMatch } from "../cel";
import { ACCESS_KINDS } from "./not-default";
import { resourceControl } from "../define";
import { NAMESPACED_KINDS } from "../../engine/kinds";

/**
 * Application and tenant objects stay out of the system namespaces (kube-system, kube-public,
 * kube-node-lease): kube-system's pods and service accounts are the control plane's, and a pod
 * placed there can mount their secrets and tokens. Platform components that belong there are
 * allowlisted by `namespace/name` pattern.
 */
export const namespaceNotSystem = resourceControl({
  id: "namespace-not-system",
  title: "Tenant objects not in system namespaces",
  family: "namespace",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NS-002",
    nsaCisa: "Network separation and hardening › Namespaces",
  },
  remediation:
    "Move the object to the application's own namespace; allowlist platform components that must live in kube-system.",
  kinds: NAMESPACED_KINDS,
  config: {
    systemNamespaces: {
      type: "array",
      items: { type: "string" },
      description: "Namespaces reserved for the cluster itself.",
      default: ["kube-system", "kube-public", "kube-node-lease"],
    },
    allowed: {
      type: "array",
      items: { type: "string" },
      description:
        'Objects ("namespace/name", with * and ? wildcards) allowed in a system namespace, e.g. "kube-system/coredns*".',
      default: [],
    },
  },
  // The control as CEL: the namespace is the request's (the one the object lands in; the server
  // fills metadata.namespace from it), and each "namespace/name" glob of `allowed` becomes an
  // anchored RE2 as globMatch builds it.
  cel: {
    validations: [
      {
        expression:
          "!(request.namespace in params.spec.systemNamespaces) || " +
          `request.kind.kind in ${JSON.stringify(ACCESS_KINDS)} || ` +
          "params.spec.allowed.filter(p, type(p) == string).exists(p, " +
          `${celGlobMatch("p", "(request.namespace + '/' + (has(object.metadata.name) ? object.metadata.name : ''))")})`,
      },
    ],
  },
  check(object, ctx) {
    if (isNamespaced(object) !== true) return [];
    // A Role or RoleBinding for a system namespace grants access to it: it must live there (what
    // it grants is the RBAC controls' to judge).
    if (ACCESS_KINDS.includes(String(object.kind))) return [];
    // An object without a namespace lands in kubectl's context namespace (or the provider's).
    const ns = str(object.metadata?.namespace) ?? ctx.defaultNamespace ?? "default";
    if (!configStrings(ctx.config, "systemNamespaces").includes(ns)) return [];
    const id = `${ns}/${str(object.metadata?.name) ?? ""}`;
    if (configStrings(ctx.config, "allowed").some((p) => globMatch(p, id))) return [];
    return [
      {
        message: `the namespace is the system namespace ${JSON.stringify(ns)}: it belongs to the cluster, not to applications`,
        path: "metadata.namespace",
      },
    ];
  },
});
