import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { POD_CREATION } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-007. No create (or `*`) on pods, replicationcontrollers (core), deployments, replicasets,
 * daemonsets (apps, extensions), statefulsets (apps), jobs and cronjobs (batch): a new pod can
 * mount any Secret and run as any ServiceAccount of its namespace. Plurals matter (kube-linter's
 * `^cronjob$` never matches `cronjobs`).
 */
export const rbacCreatePods = resourceControl({
  id: "rbac-create-pods",
  title: "Minimize create on pods and pod controllers",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-007",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.4",
  },
  remediation:
    "Give workload creation to the deployment pipeline's identity only; humans and workloads get read access.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(POD_CREATION),
  check: grantCheck(POD_CREATION),
});
