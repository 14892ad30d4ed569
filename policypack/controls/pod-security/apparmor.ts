import { isRecord, rec, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS, podView } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { annotationPath, annotations, containerLabel, containerSecurityPath, isSet, podSecurityPath } from "./psa";

export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** allowedAnnotationValue: empty, runtime/default or localhost/<profile>. */
function allowedAnnotation(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

/** allowedProfileType: RuntimeDefault or Localhost (a profile object with no type is not allowed). */
function allowedType(profile: unknown): boolean {
  const type = str(rec(profile)?.["type"]);
  return type === "RuntimeDefault" || type === "Localhost";
}

function typeOf(profile: unknown): string {
  return JSON.stringify(str(rec(profile)?.["type"]) ?? "");
}

/** The field to point at: the type, or the profile itself when it has none. */
function typeField(profile: unknown): string[] {
  return isSet(rec(profile)?.["type"]) ? ["appArmorProfile", "type"] : ["appArmorProfile"];
}

/**
 * PSS Baseline `appArmorProfile` (policy 1.0). PSA reads both channels at every policy version:
 * the beta annotations (any key with the container.apparmor.security.beta.kubernetes.io/ prefix,
 * whether or not it names a container) and the appArmorProfile fields (GA in 1.30), pod-level and
 * per container.
 * Allowed: annotations "", runtime/default, localhost/*; field types RuntimeDefault, Localhost.
 */
export const podAppArmor = resourceControl({
  id: "pod-apparmor",
  title: "AppArmor not disabled or overridden",
  family: "pod-security",
  level: "baseline",
  severity: "medium",
  references: {
    catalog: "POD-012",
    pss: "appArmorProfile (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Remove appArmorProfile type Unconfined (and unconfined AppArmor annotations); use RuntimeDefault or a Localhost profile.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression:
          "(!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.appArmorProfile) || " +
          "variables.podSpec.securityContext.appArmorProfile.?type.orValue('') in ['RuntimeDefault', 'Localhost']) && " +
          "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.appArmorProfile) || " +
          "c.securityContext.appArmorProfile.?type.orValue('') in ['RuntimeDefault', 'Localhost']) && " +
          "(!has(variables.podMeta.annotations) || variables.podMeta.annotations.all(k, " +
          `!k.startsWith(${JSON.stringify(APPARMOR_ANNOTATION_PREFIX)}) || variables.podMeta.annotations[k] == '' || ` +
          "variables.podMeta.annotations[k] == 'runtime/default' || variables.podMeta.annotations[k].startsWith('localhost/')))",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    const podProfile = pod.securityContext["appArmorProfile"];
    if (isSet(podProfile) && !allowedType(podProfile)) {
      out.push({
        message: `pod must not set AppArmor profile type to ${typeOf(podProfile)}`,
        path: podSecurityPath(pod, ...typeField(podProfile)),
      });
    }
    for (const c of pod.containers) {
      const profile = c.securityContext["appArmorProfile"];
      if (!isSet(profile) || allowedType(profile)) continue;
      out.push({
        message: `${containerLabel(c)} must not set AppArmor profile type to ${typeOf(profile)}`,
        path: containerSecurityPath(c, ...typeField(profile)),
      });
    }
    for (const [key, value] of annotations(pod)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAnnotation(value)) continue;
      out.push({
        message: `annotation ${key}=${JSON.stringify(value)} is a forbidden AppArmor profile`,
        path: annotationPath(pod, key),
      });
    }
    return out;
  },
  fix(object) {
    // Dropping a disallowed profile falls back to the runtime default profile.
    const fixed = editPod(object, (p) => {
      const podSc = rec(p.spec["securityContext"]);
      if (podSc !== undefined && isSet(podSc["appArmorProfile"]) && !allowedType(podSc["appArmorProfile"]))
        delete podSc["appArmorProfile"];
      for (const c of p.containers) {
        const sc = rec(c["securityContext"]);
        if (sc !== undefined && isSet(sc["appArmorProfile"]) && !allowedType(sc["appArmorProfile"]))
          delete sc["appArmorProfile"];
      }
    });
    const meta = fixed === object ? undefined : podView(fixed)?.metadata.annotations;
    if (isRecord(meta)) {
      for (const [key, value] of Object.entries(meta)) {
        if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && typeof value === "string" && !allowedAnnotation(value))
          meta[key] = "runtime/default";
      }
    }
    return fixed;
  },
});
