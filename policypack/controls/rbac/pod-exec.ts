import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { POD_EXEC } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-008. No `get` or `create` on pods/exec, pods/attach, pods/portforward (WebSocket upgrades
 * were authorized as `get` until the 1.35 AuthorizePodWebsocketUpgradeCreatePermission gate; peers
 * that check `create` only miss them), nor update/patch on pods/ephemeralcontainers, which runs a
 * command of one's choosing in the pod. Wildcards `*` and `*\/exec` count; `pods/*` grants
 * nothing (the authorizer reads it literally).
 */
export const rbacPodExec = resourceControl({
  id: "rbac-pod-exec",
  title: "No pods/exec, pods/attach or pods/portforward",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-008",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Remove exec, attach, portforward and ephemeralcontainers from the role; use logs and a break-glass role for debugging.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(POD_EXEC),
  check: grantCheck(POD_EXEC),
});
