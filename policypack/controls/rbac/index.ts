import type { Control } from "../../engine/control";
import { rbacAdminEquivalentBinding } from "./admin-equivalent-binding";
import { rbacAdmissionWrites } from "./admission-writes";
import { rbacAdmissionWritesNamed } from "./admission-writes-named";
import { rbacAggregationInjection } from "./aggregation-injection";
import { rbacAnonymousBinding } from "./anonymous-binding";
import { rbacAuthenticatedBinding } from "./authenticated-binding";
import { rbacBind } from "./bind";
import { rbacBindingWrites } from "./binding-writes";
import { rbacClusterAdminBinding } from "./cluster-admin-binding";
import { rbacCreatePersistentVolumes } from "./create-persistent-volumes";
import { rbacCreatePods } from "./create-pods";
import { rbacCsrApproval } from "./csr-approval";
import { rbacDestructiveVerbs } from "./destructive-verbs";
import { rbacEscalate } from "./escalate";
import { rbacGuardrailWrites } from "./guardrail-writes";
import { rbacImpersonate } from "./impersonate";
import { rbacKubeSystemConfigmapWrites } from "./kube-system-configmap-writes";
import { rbacNamespaceUpdate } from "./namespace-update";
import { rbacNodesProxy } from "./nodes-proxy";
import { rbacPodExec } from "./pod-exec";
import { rbacRoleRefResolves } from "./role-ref-resolves";
import { rbacSecretsRead } from "./secrets-read";
import { rbacServiceAccountTokenCreate } from "./service-account-token-create";
import { rbacSubjectHygiene } from "./subject-hygiene";
import { rbacSystemMastersBinding } from "./system-masters-binding";
import { rbacTenantAccessIsolation } from "./tenant-access-isolation";
import { rbacTenantSaClusterBinding } from "./tenant-sa-cluster-binding";
import { rbacWildcardApiGroups } from "./wildcard-api-groups";
import { rbacWildcardResources } from "./wildcard-resources";
import { rbacWildcardVerbs } from "./wildcard-verbs";
import { rbacWorkloadSaPrivileges } from "./workload-sa-privileges";

/** The rbac family, in catalog order (RBAC-001 … RBAC-030). */
export const rbacControls: readonly Control[] = [
  rbacWildcardVerbs,
  rbacWildcardResources,
  rbacWildcardApiGroups,
  rbacClusterAdminBinding,
  rbacAdminEquivalentBinding,
  rbacSecretsRead,
  rbacCreatePods,
  rbacPodExec,
  rbacEscalate,
  rbacBind,
  rbacImpersonate,
  rbacBindingWrites,
  rbacNodesProxy,
  rbacCreatePersistentVolumes,
  rbacCsrApproval,
  rbacAdmissionWrites,
  rbacAdmissionWritesNamed,
  rbacServiceAccountTokenCreate,
  rbacAnonymousBinding,
  rbacAuthenticatedBinding,
  rbacSystemMastersBinding,
  rbacRoleRefResolves,
  rbacSubjectHygiene,
  rbacTenantSaClusterBinding,
  rbacAggregationInjection,
  rbacGuardrailWrites,
  rbacNamespaceUpdate,
  rbacDestructiveVerbs,
  rbacKubeSystemConfigmapWrites,
  rbacWorkloadSaPrivileges,
  rbacTenantAccessIsolation,
];
