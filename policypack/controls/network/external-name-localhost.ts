import { dig, str } from "../../engine/access";
import { resourceControl } from "../define";
import { mayContain, parseAddress, parseCidr, type Cidr } from "./cidr";
import { celAddress } from "./metadata-egress";

/** Loopback and "this host": 0.0.0.0 and :: reach the local host on Linux, too. */
const LOCAL = ["127.0.0.0/8", "0.0.0.0/32", "::1/128", "::/128"].map((c) => parseCidr(c) as Cidr);

function isLocal(name: string): boolean {
  let host = name.toLowerCase();
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const address = parseAddress(host);
  return address !== undefined && LOCAL.some((c) => mayContain(c, address));
}

/**
 * An ExternalName Service that points at the loopback makes the proxies that follow it (ingress
 * controllers, service meshes) connect to their own host: a way to reach the controller's own
 * admin and metrics ports or the node's local services. `localhost` (and `*.localhost`,
 * RFC 6761), 127.0.0.0/8, ::1, 0.0.0.0 and :: are reported, in any spelling (`LOCALHOST.`,
 * `127.1.2.3`, `::ffff:127.0.0.1`).
 */
export const networkExternalNameLocalhost = resourceControl({
  id: "network-external-name-localhost",
  title: "ExternalName Services do not point at localhost",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-014",
  },
  remediation: "Point spec.externalName at the external DNS name of the real service, never at the loopback.",
  kinds: ["Service"],
  cel: {
    variables: [
      {
        name: "lowered",
        expression: "has(object.spec) && has(object.spec.externalName) ? object.spec.externalName.lowerAscii() : ''",
      },
      {
        name: "undotted",
        expression:
          "variables.lowered.endsWith('.') ? variables.lowered.substring(0, size(variables.lowered) - 1) : variables.lowered",
      },
      {
        name: "host",
        expression:
          "variables.undotted.startsWith('[') && variables.undotted.endsWith(']') ? variables.undotted.substring(1, size(variables.undotted) - 1) : variables.undotted",
      },
      // LOCAL under mayContain: 127.0.0.0/8 and 0.0.0.0/32 (an IPv4-mapped address counts), ::1 and ::.
      { name: "address", expression: celAddress("variables.host") },
    ],
    validations: [
      {
        expression:
          "!has(object.spec) || !has(object.spec.externalName) || !(variables.host == 'localhost' || variables.host.endsWith('.localhost') || " +
          `(variables.address.b != '' && ((size(variables.address.gb) == 32 && (variables.address.gb.startsWith('01111111') || variables.address.gb == ${JSON.stringify("0".repeat(32))})) || ` +
          `variables.address.b == ${JSON.stringify(`${"0".repeat(127)}1`)} || variables.address.b == ${JSON.stringify("0".repeat(128))})))`,
        message: "spec.externalName points at the local host",
      },
    ],
  },
  check(object) {
    const name = str(dig(object, "spec", "externalName"));
    if (name === undefined || !isLocal(name)) return [];
    return [
      {
        message: `spec.externalName ${JSON.stringify(name)} points at the local host`,
        path: "spec.externalName",
      },
    ];
  },
});
