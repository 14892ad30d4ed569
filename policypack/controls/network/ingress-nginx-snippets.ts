import { isRecord } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celParamList } from "./metadata-egress";

/**
 * ingress-nginx snippet annotations (`configuration-snippet`, `server-snippet`, `auth-snippet`,
 * …) paste raw NGINX configuration into the controller, which holds a token that reads every
 * Secret of the cluster: CVE-2021-25742 and its successors. NGINX Inc's controller has the same
 * feature as `nginx.org/*-snippets`. Any annotation under a configured prefix whose name ends in
 * `-snippet` or `-snippets` is reported; list a custom `--annotations-prefix` in the config.
 */
export const networkIngressNginxSnippets = resourceControl({
  id: "network-ingress-nginx-snippets",
  title: "No ingress-nginx snippet annotations",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-013",
  },
  remediation:
    "Remove the *-snippet annotations and use the controller's dedicated annotations instead; run the controller with allow-snippet-annotations=false.",
  kinds: ["Ingress"],
  config: {
    annotationPrefixes: {
      type: "array",
      items: { type: "string" },
      description: "Annotation prefixes of NGINX-based ingress controllers (without the trailing slash).",
      default: ["nginx.ingress.kubernetes.io", "nginx.org"],
    },
  },
  cel: {
    validations: [
      {
        expression:
          "!has(object.metadata.annotations) || !object.metadata.annotations.exists(k, (k.endsWith('-snippet') || k.endsWith('-snippets')) && " +
          `${celParamList("annotationPrefixes")}.exists(p, type(p) == string && k.startsWith(p + '/')))`,
        message: "no ingress-nginx snippet annotations",
      },
    ],
  },
  check(object, ctx) {
    const annotations = object.metadata?.annotations;
    if (!isRecord(annotations)) return [];
    const prefixes = configStrings(ctx.config, "annotationPrefixes").map((p) => `${p}/`);
    const out: Violation[] = [];
    for (const key of Object.keys(annotations)) {
      if (!prefixes.some((p) => key.startsWith(p))) continue;
      if (!key.endsWith("-snippet") && !key.endsWith("-snippets")) continue;
      out.push({
        message: `annotation ${JSON.stringify(key)} injects raw NGINX configuration into the ingress controller`,
        path: `metadata.annotations[${JSON.stringify(key)}]`,
      });
    }
    return out;
  },
});
