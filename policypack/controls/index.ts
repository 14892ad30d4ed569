/** The catalog: every control, in catalog order. One registry; everything else reads it. */
import type { Control } from "../engine/control";
import { imagesControls } from "./images";
import { namespaceControls } from "./namespace";
import { networkControls } from "./network";
import { podSecurityControls } from "./pod-security";
import { rbacControls } from "./rbac";
import { secretsControls } from "./secrets";
import { serviceAccountControls } from "./service-account";
import { workloadControls } from "./workload";

export const catalog: readonly Control[] = [
  ...podSecurityControls,
  ...workloadControls,
  ...serviceAccountControls,
  ...secretsControls,
  ...imagesControls,
  ...networkControls,
  ...namespaceControls,
  ...rbacControls,
];

const byId = new Map(catalog.map((c) => [c.id, c]));

export function controlById(id: string): Control | undefined {
  return byId.get(id);
}
