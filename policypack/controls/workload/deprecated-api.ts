import { configString } from "../../engine/control";
import { formatPolicyVersion, LATEST, type PolicyVersion } from "../../engine/psa-version";
import { resourceControl } from "../define";
import { advisedVersion, DEPRECATED_APIS } from "../../analysis/upgrade/apis";

// The table lives with the upgrade analysis, which shares it; re-exported for existing importers.
export { advisedVersion, DEPRECATED_APIS, type DeprecatedApi } from "../../analysis/upgrade/apis";

/** The minor of "latest", "v1.N" or "v1.N.P" (a patch release serves what its minor serves); latest when unreadable. */
function targetMinor(text: string | undefined): PolicyVersion {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec((text ?? "").trim());
  return m ? Number(m[1]) : LATEST;
}

const BY_KEY = new Map(
  DEPRECATED_APIS.flatMap((api) => api.kinds.map((kind) => [`${api.apiVersion}/${kind}`, api] as const)),
);

/**
 * No object uses an API version that is removed, or deprecated with a replacement served, at
 * the target Kubernetes version (`kubernetesVersion`, default latest). Before any replacement is
 * served the old version is the only choice and is not flagged; the advice is the newest
 * replacement the target serves.
 */
export const deprecatedApiVersion = resourceControl({
  id: "deprecated-api-version",
  title: "No deprecated or removed API versions",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "OPS-005",
    nsaCisa: "Upgrading and application security practices",
  },
  remediation:
    "Move the object to the API version that replaces it (e.g. apps/v1, networking.k8s.io/v1, policy/v1, batch/v1), adapting the fields that changed.",
  kinds: [...new Set(DEPRECATED_APIS.flatMap((api) => api.kinds))],
  config: {
    kubernetesVersion: {
      type: "string",
      description: 'The Kubernetes version the manifests target: "latest", "v1.N" or "v1.N.P".',
      default: "latest",
    },
  },
  cel: {
    unsupported:
      "every API version it flags is removed by Kubernetes v1.32, so an admission request can never carry one (request.kind.version and object.apiVersion are always served versions); the check is for manifests, before they reach the cluster",
  },
  check(object, ctx) {
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") return [];
    const api = BY_KEY.get(`${object.apiVersion}/${object.kind}`);
    if (api === undefined) return [];
    const target = targetMinor(configString(ctx.config, "kubernetesVersion"));
    const advice = advisedVersion(api, target);
    if (advice === undefined) return [];
    const what = `${object.apiVersion} ${object.kind}`;
    const message =
      target >= api.removedIn
        ? `${what} is no longer served from Kubernetes v1.${api.removedIn} (target ${formatPolicyVersion(target)}): use ${advice}`
        : `${what} is deprecated and stops being served in Kubernetes v1.${api.removedIn} (target ${formatPolicyVersion(target)}): use ${advice}`;
    return [{ message, path: "apiVersion" }];
  },
});
