import { join, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

const SYSTEM_CLASSES = ["system-cluster-critical", "system-node-critical"];

/**
 * spec.priorityClassName is not one of the system priority classes outside the namespaces allowed
 * to use them: those classes preempt (and so evict) every ordinary pod, and are meant for the
 * components that keep the cluster alive. kube-system is allowed by default, as the API server's
 * Priority admission allows it.
 */
export const podSystemPriorityClass = resourceControl({
  id: "pod-system-priority-class",
  title: "Tenant pods cannot use system priority classes",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RES-006",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Use a PriorityClass of your own (or none) instead of system-cluster-critical/system-node-critical outside kube-system, and cap priority classes per namespace with a ResourceQuota scopeSelector.",
  kinds: POD_KINDS,
  config: {
    restrictedClasses: {
      type: "array",
      items: { type: "string" },
      description: "Priority classes reserved for the allowed namespaces.",
      default: SYSTEM_CLASSES,
    },
    allowedNamespaces: {
      type: "array",
      items: { type: "string" },
      description: "Namespaces whose pods may use the restricted priority classes.",
      default: ["kube-system"],
    },
  },
  cel: {
    validations: [
      {
        expression:
          "!has(variables.podSpec.priorityClassName) || !(variables.podSpec.priorityClassName in params.spec.restrictedClasses) || request.namespace in params.spec.allowedNamespaces",
        message: "pod must not use a restricted priorityClassName outside the allowed namespaces",
      },
    ],
  },
  check(object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const name = str(pod.spec["priorityClassName"]);
    if (name === undefined || !configStrings(ctx.config, "restrictedClasses").includes(name)) return [];
    // In the cluster the namespace is always set; in a manifest it may be left to kubectl's context.
    const namespace = str(object.metadata?.namespace) ?? ctx.defaultNamespace ?? "default";
    if (configStrings(ctx.config, "allowedNamespaces").includes(namespace)) return [];
    return [
      {
        message: `pod must not use priorityClassName ${JSON.stringify(name)} outside ${configStrings(ctx.config, "allowedNamespaces").join(", ") || "the allowed namespaces"}`,
        path: join(pod.specPath, "priorityClassName"),
      },
    ];
  },
});
