import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { NODES_PROXY } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-013. No verb at all on nodes/proxy (a GET reaches the kubelet's exec and run endpoints
 * through a WebSocket), whether named or through `*` or `*\/proxy` (`nodes/*` grants nothing:
 * the authorizer reads it literally).
 */
export const rbacNodesProxy = resourceControl({
  id: "rbac-nodes-proxy",
  title: "No nodes/proxy access",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-013",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.10",
  },
  remediation: "Remove nodes/proxy; monitoring agents can read nodes/metrics and nodes/stats instead.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(NODES_PROXY),
  check: grantCheck(NODES_PROXY),
});
