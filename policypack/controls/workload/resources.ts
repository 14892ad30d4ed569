/**
 * Reading resource requirements the way the scheduler and the kubelet see them: a zero quantity
 * bounds nothing, a limit without a request becomes the request (API defaulting), and pod-level
 * `spec.resources` (PodLevelResources) covers every container.
 */
import { dig, rec, str, type Rec } from "../../engine/access";
import type { ContainerView, PodView } from "../../engine/pod";

/** True for a quantity that is present and not zero (`0`, `0Mi`, `0.0` bound nothing). */
export function quantitySet(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value) && value !== 0;
  const text = str(value)?.trim();
  if (text === undefined || text === "") return false;
  // Malformed quantities count as set: the API server rejects them, and that is not this check's finding.
  return Number.parseFloat(text) !== 0;
}

export type ResourceList = "requests" | "limits";

export function containerQuantity(container: Rec, list: ResourceList, resource: string): unknown {
  return rec(dig(container, "resources", list))?.[resource];
}

export function podQuantity(pod: PodView, list: ResourceList, resource: string): unknown {
  return rec(dig(pod.spec, "resources", list))?.[resource];
}

/** Containers that take resource requirements and probes: ephemeral containers may set neither. */
export function resourcedContainers(pod: PodView): ContainerView[] {
  return pod.containers.filter((c) => c.type !== "ephemeralContainers");
}

/** Windows pods may not set several Linux-only fields (readOnlyRootFilesystem, runAsUser, runAsGroup, hostUsers). */
export function isWindowsPod(pod: PodView): boolean {
  return dig(pod.spec, "os", "name") === "windows";
}
