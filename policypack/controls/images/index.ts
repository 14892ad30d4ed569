import type { Control } from "../../engine/control";
import { imageDeprecatedRegistry } from "./deprecated-registry";
import { imageDigestPinned } from "./digest-pinned";
import { imageLatestTag } from "./latest-tag";
import { imagePullPolicyAlways } from "./pull-policy-always";
import { imageRegistryAllowlist } from "./registry-allowlist";

/** The images family, in catalog order. */
export const imagesControls: readonly Control[] = [
  imageLatestTag,
  imageDigestPinned,
  imageRegistryAllowlist,
  imagePullPolicyAlways,
  imageDeprecatedRegistry,
];
