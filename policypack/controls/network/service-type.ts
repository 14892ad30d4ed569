import { dig, isRecord, str } from "../../engine/access";
import { configBoolean, configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import { celGlobMatch } from "../cel";
import { resourceControl } from "../define";
import { celParamList } from "./metadata-egress";

/** CEL: `namespace/name` of the object, its namespace "default" when unset. */
export const CEL_OBJECT_ID =
  "(has(object.metadata.namespace) && object.metadata.namespace != '' ? object.metadata.namespace : 'default') + '/' + (has(object.metadata.name) ? object.metadata.name : '')";

/**
 * NodePort opens the port on every node; LoadBalancer asks the cloud for an address that is
 * usually public. Both bypass the ingress layer and widen the node's attack surface, so they
 * need an explicit decision: an allowlist by `namespace/name`, or (when enabled) a load balancer
 * annotated as internal.
 */
export const networkServiceType = resourceControl({
  id: "network-service-type",
  title: "No NodePort or LoadBalancer Services unless allowlisted",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-009",
    nsaCisa: "Network separation and hardening › Worker node segmentation",
  },
  remediation:
    "Use a ClusterIP Service behind an Ingress or Gateway; allowlist the few Services that must be NodePort or LoadBalancer (e.g. the ingress controller's).",
  kinds: ["Service"],
  config: {
    allowedServices: {
      type: "array",
      items: { type: "string" },
      description: 'Services ("namespace/name", with * and ? wildcards) that may be NodePort or LoadBalancer.',
      default: [],
    },
    allowInternalLoadBalancers: {
      type: "boolean",
      description: "Allow LoadBalancer Services that carry one of internalLoadBalancerAnnotations.",
      default: false,
    },
    internalLoadBalancerAnnotations: {
      type: "array",
      items: { type: "string" },
      description: 'Annotations ("key=value") that make a cloud load balancer internal.',
      default: [
        "service.beta.kubernetes.io/aws-load-balancer-internal=true",
        "service.beta.kubernetes.io/aws-load-balancer-scheme=internal",
        "networking.gke.io/load-balancer-type=Internal",
        "cloud.google.com/load-balancer-type=Internal",
        "service.beta.kubernetes.io/azure-load-balancer-internal=true",
        "service.beta.kubernetes.io/oci-load-balancer-internal=true",
      ],
    },
  },
  cel: {
    variables: [
      { name: "type", expression: "has(object.spec) && has(object.spec.type) ? object.spec.type : ''" },
      {
        name: "allowlisted",
        expression: `${celParamList("allowedServices")}.exists(g, type(g) == string && ${celGlobMatch("g", `(${CEL_OBJECT_ID})`)})`,
      },
      {
        name: "internal",
        expression:
          "params.spec.allowInternalLoadBalancers == true && has(object.metadata.annotations) && " +
          `${celParamList("internalLoadBalancerAnnotations")}.exists(a, type(a) == string && a.indexOf('=') > 0 && ` +
          "a.substring(0, a.indexOf('=')) in object.metadata.annotations && " +
          "object.metadata.annotations[a.substring(0, a.indexOf('='))] == a.substring(a.indexOf('=') + 1))",
      },
    ],
    validations: [
      {
        expression:
          "!(variables.type in ['NodePort', 'LoadBalancer']) || variables.allowlisted || (variables.type == 'LoadBalancer' && variables.internal)",
        message: "spec.type NodePort or LoadBalancer needs an allowlist entry",
      },
    ],
  },
  check(object, ctx) {
    const type = str(dig(object, "spec", "type"));
    if (type !== "NodePort" && type !== "LoadBalancer") return [];
    const meta = object.metadata;
    const id = `${str(meta?.namespace) || "default"}/${str(meta?.name) ?? ""}`;
    if (configStrings(ctx.config, "allowedServices").some((p) => globMatch(p, id))) return [];
    if (type === "LoadBalancer" && configBoolean(ctx.config, "allowInternalLoadBalancers") === true) {
      const annotations = isRecord(meta?.annotations) ? meta.annotations : {};
      const internal = configStrings(ctx.config, "internalLoadBalancerAnnotations").some((pair) => {
        const eq = pair.indexOf("=");
        return eq > 0 && annotations[pair.slice(0, eq)] === pair.slice(eq + 1);
      });
      if (internal) return [];
    }
    return [
      {
        message:
          type === "NodePort"
            ? "spec.type is NodePort: the Service opens a port on every node"
            : "spec.type is LoadBalancer: the Service gets an external load balancer",
        path: "spec.type",
      },
    ];
  },
});
