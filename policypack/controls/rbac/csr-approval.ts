import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { CSR_APPROVAL } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-015. No update/patch on certificatesigningrequests/approval and no `approve` on signers
 * (certificates.k8s.io): together they mint client certificates for any identity.
 */
export const rbacCsrApproval = resourceControl({
  id: "rbac-csr-approval",
  title: "No certificate signing request approval",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-015",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.11",
  },
  remediation:
    "Leave CSR approval to the controller manager's approvers; remove certificatesigningrequests/approval and signers approve.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(CSR_APPROVAL),
  check: grantCheck(CSR_APPROVAL),
});
