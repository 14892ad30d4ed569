import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { PV_CREATION } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-014. No create (or `*`) on persistentvolumes: a hostPath PersistentVolume mounts the node's
 * filesystem into any pod that claims it.
 */
export const rbacCreatePersistentVolumes = resourceControl({
  id: "rbac-create-persistent-volumes",
  title: "No create on PersistentVolumes",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-014",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.9",
  },
  remediation:
    "Provision volumes through StorageClasses and PersistentVolumeClaims; keep PersistentVolume creation with the storage operator.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(PV_CREATION),
  check: grantCheck(PV_CREATION),
});
