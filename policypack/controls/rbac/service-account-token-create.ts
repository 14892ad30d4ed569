import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { SA_TOKEN_CREATION } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-017. No create (or `*`) on serviceaccounts/token: it mints tokens for the ServiceAccounts
 * of the namespace, and with them their permissions.
 */
export const rbacServiceAccountTokenCreate = resourceControl({
  id: "rbac-service-account-token-create",
  title: "No create on serviceaccounts/token",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-017",
    nsaCisa: "Authentication and authorization › Authentication",
    cis: "5.1.13",
  },
  remediation: "Remove create on serviceaccounts/token; workloads get their own token through the projected volume.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(SA_TOKEN_CREATION),
  check: grantCheck(SA_TOKEN_CREATION),
});
