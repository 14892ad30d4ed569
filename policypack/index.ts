import { PolicyPack } from "@pulumi/policy";
import { buildPolicies } from "./policies";
import { watchPackConfigNames } from "./watch-config";

let configured: readonly string[] = [];
watchPackConfigNames((names) => (configured = names));

new PolicyPack("palisade", {
  description:
    "Palisade: Kubernetes hardening controls (Pod Security Standards, NSA/CISA, CIS 5, RBAC least privilege)",
  policies: buildPolicies({ configuredNames: () => configured }),
});
