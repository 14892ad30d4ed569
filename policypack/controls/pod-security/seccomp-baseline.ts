import { isRecord, rec, str } from "../../engine/access";
import type { CelVariable } from "../../engine/control";
import type { PodView } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import { POD_KINDS, podView } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { annotationPath, containerLabel, containerSecurityPath, isSet, isWindowsPod, podSecurityPath } from "./psa";

export const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/**
 * CEL helper variables for the seccompProfile fields (policy 1.19 on): whether the pod-level
 * profile is set and valid (validSeccomp), and whether no profile, pod or container, is set to a
 * disallowed type (explicitSeccompViolations).
 */
export const SECCOMP_CEL_VARIABLES: readonly CelVariable[] = [
  {
    name: "podSeccompSet",
    expression: "has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.seccompProfile)",
  },
  {
    name: "podSeccompValid",
    expression:
      "variables.podSeccompSet && has(variables.podSpec.securityContext.seccompProfile.type) && variables.podSpec.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost']",
  },
  {
    name: "noDisallowedSeccomp",
    expression:
      "(!variables.podSeccompSet || variables.podSeccompValid) && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.seccompProfile) || (has(c.securityContext.seccompProfile.type) && c.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost']))",
  },
];

/** validSeccomp: RuntimeDefault or Localhost. A profile object without a type is not valid. */
export function validSeccomp(profile: unknown): boolean {
  const type = str(rec(profile)?.["type"]);
  return type === "RuntimeDefault" || type === "Localhost";
}

export function seccompTypeOf(profile: unknown): string {
  return JSON.stringify(str(rec(profile)?.["type"]) ?? "");
}

/** The field to point at: the type, or the profile itself when it has none. */
function typeField(profile: unknown): string[] {
  return isSet(rec(profile)?.["type"]) ? ["seccompProfile", "type"] : ["seccompProfile"];
}

function validAnnotation(value: string): boolean {
  return value === "runtime/default" || value === "docker/default" || value.startsWith("localhost/");
}

/** The seccomp annotation keys PSA reads before 1.19: the pod's, and one per container *name*. */
function seccompAnnotationKeys(pod: PodView): string[] {
  return [
    SECCOMP_POD_ANNOTATION,
    ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + (str(c.container["name"]) ?? "")),
  ];
}

/** Explicitly set, disallowed seccomp profile types (pod-level and per container). */
export function explicitSeccompViolations(pod: PodView): Violation[] {
  const out: Violation[] = [];
  const podProfile = pod.securityContext["seccompProfile"];
  if (isSet(podProfile) && !validSeccomp(podProfile)) {
    out.push({
      message: `pod must not set securityContext.seccompProfile.type to ${seccompTypeOf(podProfile)}`,
      path: podSecurityPath(pod, ...typeField(podProfile)),
    });
  }
  for (const c of pod.containers) {
    const profile = c.securityContext["seccompProfile"];
    if (!isSet(profile) || validSeccomp(profile)) continue;
    out.push({
      message: `${containerLabel(c)} must not set securityContext.seccompProfile.type to ${seccompTypeOf(profile)}`,
      path: containerSecurityPath(c, ...typeField(profile)),
    });
  }
  return out;
}

/**
 * Sets the pod-level profile to RuntimeDefault unless it already is a valid one, and removes
 * disallowed container-level profiles so the containers inherit it. Windows pods may carry no
 * seccomp field at all (API validation), so for them only disallowed entries are removed.
 */
export function fixSeccompFields(object: KubeObject, windows: boolean): KubeObject {
  return editPod(object, (p) => {
    for (const c of p.containers) {
      const sc = rec(c["securityContext"]);
      if (sc !== undefined && isSet(sc["seccompProfile"]) && !validSeccomp(sc["seccompProfile"]))
        delete sc["seccompProfile"];
    }
    const podSc = rec(p.spec["securityContext"]);
    if (windows) {
      if (podSc !== undefined && isSet(podSc["seccompProfile"]) && !validSeccomp(podSc["seccompProfile"]))
        delete podSc["seccompProfile"];
      return;
    }
    if (!validSeccomp(podSc?.["seccompProfile"])) p.podSecurityContext()["seccompProfile"] = { type: "RuntimeDefault" };
  });
}

/**
 * PSS Baseline `seccompProfile_baseline` (ID const checkSeccompBaselineID). Policy 1.0–1.18 reads
 * only the alpha annotations (pod and container.seccomp.security.alpha.kubernetes.io/<container
 * name>: runtime/default, docker/default, localhost/*); from 1.19 only the seccompProfile fields
 * (pod and ctr: RuntimeDefault, Localhost, or unset). At Restricted from 1.19 it is replaced by
 * `seccompProfile_restricted` (pod-seccomp-restricted overrides it).
 */
export const podSeccompBaseline = resourceControl({
  id: "pod-seccomp-baseline",
  title: "Seccomp not Unconfined",
  family: "pod-security",
  level: "baseline",
  severity: "medium",
  references: {
    catalog: "POD-015",
    pss: "seccompProfile_baseline (v1.0 annotations; v1.19 fields)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.7.2",
  },
  remediation:
    "Set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost) and remove Unconfined profiles from containers.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    variables: SECCOMP_CEL_VARIABLES,
    validations: [
      {
        expression: "variables.noDisallowedSeccomp",
        message: "seccompProfile.type must be RuntimeDefault or Localhost where it is set",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    if (ctx.policyVersion >= 19) return explicitSeccompViolations(pod);
    const annotations = pod.metadata.annotations;
    if (!isRecord(annotations)) return [];
    const out: Violation[] = [];
    for (const key of seccompAnnotationKeys(pod)) {
      const value = annotations[key];
      if (typeof value !== "string" || validAnnotation(value)) continue;
      out.push({ message: `forbidden annotation ${key}=${JSON.stringify(value)}`, path: annotationPath(pod, key) });
    }
    return out;
  },
  fix(object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return object;
    if (ctx.policyVersion >= 19) return fixSeccompFields(object, isWindowsPod(pod));
    const keys = seccompAnnotationKeys(pod);
    const fixed = editPod(object, () => undefined);
    const annotations = fixed === object ? undefined : podView(fixed)?.metadata.annotations;
    if (isRecord(annotations)) {
      for (const key of keys) {
        const value = annotations[key];
        if (typeof value === "string" && !validAnnotation(value)) annotations[key] = "runtime/default";
      }
    }
    return fixed;
  },
});
