import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { accountOf } from "./accounts";

/**
 * Each workload runs as a ServiceAccount of its own, so RBAC grants and token audiences are per
 * workload: `serviceAccountName` set and not `default` (the deprecated `serviceAccount` alias is
 * read when serviceAccountName is unset). Every pod of the namespace that names none shares the
 * default ServiceAccount and whatever it is bound to.
 */
export const saDedicated = resourceControl({
  id: "sa-dedicated",
  title: "Workloads use a dedicated ServiceAccount",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-002",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.5",
  },
  remediation:
    "Create a ServiceAccount for the workload (with automountServiceAccountToken: false) and set spec.serviceAccountName to it.",
  kinds: POD_KINDS,
  cel: {
    variables: [
      {
        // accountOf: serviceAccountName, else the deprecated alias, else none ('').
        name: "accountName",
        expression:
          "has(variables.podSpec.serviceAccountName) && variables.podSpec.serviceAccountName != '' ? variables.podSpec.serviceAccountName : (has(variables.podSpec.serviceAccount) && variables.podSpec.serviceAccount != '' ? variables.podSpec.serviceAccount : '')",
      },
    ],
    validations: [{ expression: "variables.accountName != '' && variables.accountName != 'default'" }],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const account = accountOf(pod);
    if (account.field === undefined) {
      return [
        {
          message: "serviceAccountName is not set: the pod runs as the namespace's default ServiceAccount",
          path: account.path,
        },
      ];
    }
    if (account.name !== "default") return [];
    return [
      { message: `${account.field} is "default": use a ServiceAccount dedicated to the workload`, path: account.path },
    ];
  },
});
