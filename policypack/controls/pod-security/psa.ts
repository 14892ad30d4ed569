/**
 * What the Pod Security Standards controls share: the shapes PSA reads (a field that is present
 * but null is Go's nil pointer, i.e. unset), its Windows and user-namespace conditions, and its
 * message vocabulary (`container "app"`, `pod`).
 */
import { dig, isRecord, join, rec, type Rec } from "../../engine/access";
import type { ContainerView, PodView } from "../../engine/pod";
import type { PolicyVersion } from "../../engine/psa-version";

/** True when a JSON field holds a value: absent and null both decode to Go's nil. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * `spec.os.name == "windows"` (an exact compare, as corev1.Windows). From policy 1.25 PSA exempts
 * such pods from allowPrivilegeEscalation, capabilities_restricted and seccompProfile_restricted,
 * because API validation already forbids those Linux-only fields on them.
 */
export function isWindowsPod(pod: PodView): boolean {
  return dig(pod.spec, "os", "name") === "windows";
}

/** PSA's Windows exemption applies from policy 1.25 on. */
export function windowsExempt(pod: PodView, version: PolicyVersion): boolean {
  return version >= 25 && isWindowsPod(pod);
}

/** `spec.hostUsers: false` (relaxPolicyForUserNamespacePod): the pod runs in a user namespace. */
export function inUserNamespace(pod: PodView): boolean {
  return pod.spec["hostUsers"] === false;
}

/**
 * PSA's user-namespace relaxation (runAsNonRoot, runAsUser, Baseline procMount) applies only from
 * policy 1.35: earlier versions hung it on a perma-alpha feature gate that was off by default and
 * has since been removed, so those versions never relax.
 */
export function userNamespaceRelaxed(pod: PodView, version: PolicyVersion): boolean {
  return version >= 35 && inUserNamespace(pod);
}

/** `container "app"` — PSA's way of naming a container in a message. */
export function containerLabel(c: ContainerView): string {
  return `container ${JSON.stringify(c.name)}`;
}

/** The container's securityContext child record (e.g. capabilities), or undefined when unset. */
export function securityChild(c: ContainerView, key: string): Rec | undefined {
  return rec(c.securityContext[key]);
}

/** Path of a field under a container's securityContext. */
export function containerSecurityPath(c: ContainerView, ...keys: readonly string[]): string {
  return keys.reduce((p, k) => join(p, k), join(c.path, "securityContext"));
}

/** Path of a field under the pod-level securityContext. */
export function podSecurityPath(pod: PodView, ...keys: readonly string[]): string {
  return keys.reduce((p, k) => join(p, k), join(pod.specPath, "securityContext"));
}

/** Path of one annotation, keyed the way shape errors spell map keys: `metadata.annotations["k"]`. */
export function annotationPath(pod: PodView, key: string): string {
  return `${join(pod.metadataPath, "annotations")}[${JSON.stringify(key)}]`;
}

/** The pod's annotations that are strings (shape checks report the others). */
export function annotations(pod: PodView): [string, string][] {
  const a = pod.metadata.annotations;
  if (!isRecord(a)) return [];
  return Object.entries(a).filter((e): e is [string, string] => typeof e[1] === "string");
}
