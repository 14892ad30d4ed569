import type { Control } from "../../engine/control";
import { podAllowPrivilegeEscalation } from "./allow-privilege-escalation";
import { podAppArmor } from "./apparmor";
import { podCapabilitiesBaseline } from "./capabilities-baseline";
import { podCapabilitiesRestricted } from "./capabilities-restricted";
import { podDropNetRaw } from "./drop-net-raw";
import { podHostIpc } from "./host-ipc";
import { podHostNetwork } from "./host-network";
import { podHostPath } from "./host-path";
import { podHostPathHygiene } from "./host-path-hygiene";
import { podHostPid } from "./host-pid";
import { podHostPorts } from "./host-ports";
import { podHostProbes } from "./host-probes";
import { podPrivileged } from "./privileged";
import { podProcMount } from "./proc-mount";
import { podProcMountRestricted } from "./proc-mount-restricted";
import { podRunAsNonRoot } from "./run-as-non-root";
import { podRunAsUser } from "./run-as-user";
import { podRuntimeSocket } from "./runtime-socket";
import { podSeccompBaseline } from "./seccomp-baseline";
import { podSeccompRestricted } from "./seccomp-restricted";
import { podSELinux } from "./selinux";
import { podSysctlValues } from "./sysctl-values";
import { podSysctls } from "./sysctls";
import { podVolumeTypes } from "./volume-types";
import { podWindowsHostProcess } from "./windows-host-process";

/** The pod-security family (the Pod Security Standards and their hardened companions), in catalog order. */
export const podSecurityControls: readonly Control[] = [
  podHostNetwork, // POD-001
  podHostPid, // POD-002
  podHostIpc, // POD-003
  podPrivileged, // POD-004
  podCapabilitiesBaseline, // POD-005
  podDropNetRaw, // POD-006
  podHostPath, // POD-007
  podRuntimeSocket, // POD-008
  podHostPathHygiene, // POD-009
  podHostPorts, // POD-010
  podHostProbes, // POD-011
  podAppArmor, // POD-012
  podSELinux, // POD-013
  podProcMount, // POD-014
  podProcMountRestricted, // POD-014 (Restricted twin)
  podSeccompBaseline, // POD-015
  podSysctls, // POD-016
  podSysctlValues, // POD-016 (hardened: value injection)
  podWindowsHostProcess, // POD-017
  podVolumeTypes, // POD-018
  podAllowPrivilegeEscalation, // POD-019
  podRunAsNonRoot, // POD-020
  podRunAsUser, // POD-021
  podSeccompRestricted, // POD-022
  podCapabilitiesRestricted, // POD-023
];
