import { arr, dig } from "../../engine/access";
import { resourceControl } from "../define";

/**
 * `spec.externalIPs` lets whoever can create a Service claim any IP address for it, and the
 * cluster then routes traffic for that address to the Service's pods: CVE-2020-8554, a
 * man-in-the-middle that no patch fixes. Only a cluster-level admission control can allow it
 * safely, so manifests should not set it.
 */
export const networkExternalIps = resourceControl({
  id: "network-external-ips",
  title: "No Service externalIPs",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-010",
  },
  remediation: "Remove spec.externalIPs; expose the Service through a LoadBalancer or an Ingress instead.",
  kinds: ["Service"],
  cel: {
    validations: [
      {
        expression: "!has(object.spec) || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
        message: "spec.externalIPs is set (CVE-2020-8554)",
      },
    ],
  },
  check(object) {
    const ips = arr(dig(object, "spec", "externalIPs"));
    if (ips.length === 0) return [];
    return [
      {
        message: `spec.externalIPs is set (${ips.map((ip) => JSON.stringify(ip)).join(", ")}): any address can be claimed for the Service (CVE-2020-8554)`,
        path: "spec.externalIPs",
      },
    ];
  },
});
