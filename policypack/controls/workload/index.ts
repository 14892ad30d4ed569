import type { Control } from "../../engine/control";
import { podControlPlaneScheduling } from "./control-plane-scheduling";
import { containerCpuLimit } from "./cpu-limit";
import { deprecatedApiVersion } from "./deprecated-api";
import { podEphemeralStorageBounded } from "./ephemeral-storage";
import { podHighUidGid } from "./high-uid-gid";
import { podHostAliases } from "./host-aliases";
import { containerMemoryLimit } from "./memory-limit";
import { nakedPod } from "./naked-pod";
import { podNonRootGroups } from "./non-root-groups";
import { containerProbes } from "./probes";
import { podReadOnlyRootFilesystem } from "./read-only-root-filesystem";
import { recommendedLabels } from "./recommended-labels";
import { containerResourceRequests } from "./resource-requests";
import { podRuntimeClassAllowlist } from "./runtime-class";
import { podSecurityContextSet } from "./security-context-set";
import { podShareProcessNamespace } from "./share-process-namespace";
import { containerSudo } from "./sudo";
import { podSystemPriorityClass } from "./system-priority-class";
import { serviceSelectsWorkload } from "./service-selects-workload";
import { tillerAndDashboardSkipLogin } from "./tiller-dashboard";
import { podUserNamespace } from "./user-namespace";
import { persistentVolumeHostPath } from "./persistent-volume-host-path";

/** The workload family, in catalog order. */
export const workloadControls: readonly Control[] = [
  podReadOnlyRootFilesystem,
  podNonRootGroups,
  podSecurityContextSet,
  podShareProcessNamespace,
  podHighUidGid,
  podUserNamespace,
  podRuntimeClassAllowlist,
  podHostAliases,
  persistentVolumeHostPath,
  podControlPlaneScheduling,
  containerResourceRequests,
  containerMemoryLimit,
  containerCpuLimit,
  podEphemeralStorageBounded,
  podSystemPriorityClass,
  containerProbes,
  nakedPod,
  tillerAndDashboardSkipLogin,
  recommendedLabels,
  deprecatedApiVersion,
  containerSudo,
  serviceSelectsWorkload,
];
