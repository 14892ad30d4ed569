import { dig, rec } from "../../engine/access";
import { resourceControl } from "../define";

/**
 * An APIService that proxies an API group to a Service (`spec.service`) with
 * `insecureSkipTLSVerify: true`: the aggregator then forwards every request of that group — with
 * the requesting user's identity in its headers — to whatever answers at the Service's address,
 * unauthenticated. Whoever can run a pod behind that Service, or spoof its endpoints, serves the
 * API and sees the traffic. Local APIServices (no `spec.service`) are served in-process and are
 * not concerned.
 */
export const networkApiServiceTlsVerify = resourceControl({
  id: "network-apiservice-tls-verify",
  title: "APIServices verify their backend's TLS certificate",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-016",
    nsaCisa: "Network separation and hardening › Encryption",
  },
  remediation:
    "Remove spec.insecureSkipTLSVerify and set spec.caBundle to the CA that signed the backend's serving certificate (e.g. injected by cert-manager's CA injector, or generated with the add-on's certificate).",
  kinds: ["APIService"],
  cel: {
    validations: [
      {
        expression:
          "!has(object.spec) || !has(object.spec.service) || !has(object.spec.insecureSkipTLSVerify) || object.spec.insecureSkipTLSVerify != true",
        message: "spec.insecureSkipTLSVerify is true: the aggregator does not verify the backend it proxies to",
      },
    ],
  },
  check(object) {
    if (dig(object, "spec", "insecureSkipTLSVerify") !== true) return [];
    const service = rec(dig(object, "spec", "service"));
    if (service === undefined) return [];
    const target = [service["namespace"], service["name"]].filter((x) => typeof x === "string").join("/");
    return [
      {
        message: `spec.insecureSkipTLSVerify is true: the API server proxies this API group to Service ${JSON.stringify(target)} without verifying its certificate`,
        path: "spec.insecureSkipTLSVerify",
      },
    ];
  },
});
