import { PolicyPack } from "@pulumi/policy";
import { buildPolicies } from "./policies";

new PolicyPack("palisade", {
  description:
    "Palisade: Kubernetes hardening controls (Pod Security Standards, NSA/CISA, CIS 5, RBAC least privilege)",
  policies: buildPolicies(),
});
