import { arr, dig, isRecord, join, num, str } from "../../engine/access";
import { configNumber } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/** The API's default for serviceAccountToken.expirationSeconds. */
const DEFAULT_EXPIRATION = 3600;

/**
 * Projected ServiceAccount tokens are short-lived and scoped: `expirationSeconds` at most an
 * hour (configurable; unset is the API's 3600) and an `audience`, so a token stolen from one
 * service cannot be replayed against the API server or another service. A token meant for the
 * API server names its audience explicitly.
 */
export const saProjectedToken = resourceControl({
  id: "sa-projected-token",
  title: "Projected ServiceAccount tokens are short-lived and have an audience",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-008",
    nsaCisa: "Kubernetes Pod security › Protecting Pod service account tokens",
  },
  remediation:
    "Set serviceAccountToken.audience to the service that consumes the token and expirationSeconds to 3600 or less.",
  kinds: POD_KINDS,
  config: {
    maxExpirationSeconds: {
      type: "integer",
      description: "The longest allowed expirationSeconds.",
      default: 3600,
    },
  },
  cel: {
    validations: [
      {
        // 3600 is the API's default expirationSeconds (the server sets it before admission anyway).
        expression:
          "!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.projected) || !has(v.projected.sources) || " +
          "v.projected.sources.all(s, !has(s.serviceAccountToken) || (" +
          "(has(s.serviceAccountToken.expirationSeconds) ? s.serviceAccountToken.expirationSeconds : 3600) <= params.spec.maxExpirationSeconds && " +
          "has(s.serviceAccountToken.audience) && s.serviceAccountToken.audience != '')))",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const max = configNumber(ctx.config, "maxExpirationSeconds") ?? DEFAULT_EXPIRATION;
    const out: Violation[] = [];
    arr(pod.spec["volumes"]).forEach((volume, i) => {
      const name = str(dig(volume, "name")) ?? `#${i}`;
      arr(dig(volume, "projected", "sources")).forEach((source, j) => {
        const token = dig(source, "serviceAccountToken");
        if (!isRecord(token)) return;
        const base = join(
          join(join(join(join(pod.specPath, "volumes"), i), "projected.sources"), j),
          "serviceAccountToken",
        );
        const seconds = num(token["expirationSeconds"]);
        const effective = seconds ?? DEFAULT_EXPIRATION;
        if (effective > max) {
          out.push({
            message: `volume ${JSON.stringify(name)} projects a ServiceAccount token valid for ${effective}s${seconds === undefined ? " (the default)" : ""}, more than ${max}s`,
            path: join(base, "expirationSeconds"),
          });
        }
        const audience = str(token["audience"]);
        if (audience === undefined || audience === "") {
          out.push({
            message: `volume ${JSON.stringify(name)} projects a ServiceAccount token without an audience: it is accepted by the API server and any service that trusts it`,
            path: join(base, "audience"),
          });
        }
      });
    });
    return out;
  },
});
