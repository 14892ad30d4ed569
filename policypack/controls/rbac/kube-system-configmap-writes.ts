import { configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import { resourceControl } from "../define";
import { celGlobMatch } from "../cel";
import { grantPolicy, WRITTEN_NAMESPACE } from "./cel";
import { grantCheck } from "./check";
import { CONFIGMAP_WRITES } from "./permissions";
import { ROLE_KINDS } from "./rules";
import { writtenNamespace } from "./subjects";

/**
 * RBAC-028. No update/patch (or `*`) on configmaps in a Role of kube-system (coredns rewrites DNS;
 * aws-auth maps IAM identities to system:masters on EKS), nor in any ClusterRole, which a
 * ClusterRoleBinding or a RoleBinding in kube-system applies there. Roles of other namespaces pass.
 */
export const rbacKubeSystemConfigmapWrites = resourceControl({
  id: "rbac-kube-system-configmap-writes",
  title: "No writes to kube-system ConfigMaps",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-028",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Remove update and patch on configmaps, or name the ConfigMaps the subject owns in resourceNames; manage coredns and aws-auth from the platform pipeline.",
  kinds: ROLE_KINDS,
  config: {
    protectedNamespaces: {
      type: "array",
      items: { type: "string" },
      description: "Namespaces whose ConfigMaps configure the cluster itself. `*` and `?` are wildcards.",
      default: ["kube-system"],
    },
  },
  cel: grantPolicy(
    CONFIGMAP_WRITES,
    `object.kind != 'Role' || (${WRITTEN_NAMESPACE} != '' && params.spec.protectedNamespaces.exists(p, ${celGlobMatch("p", WRITTEN_NAMESPACE)}))`,
  ),
  check: grantCheck(CONFIGMAP_WRITES, (object, ctx) => {
    if (object.kind !== "Role") return true;
    const ns = writtenNamespace(object);
    return ns !== undefined && configStrings(ctx.config, "protectedNamespaces").some((p) => globMatch(p, ns));
  }),
});
