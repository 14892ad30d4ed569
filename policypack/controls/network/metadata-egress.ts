import { join, rec, str, strings, type Rec } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { mayContain, parseAddress, parseCidr, surelyContains, type Address, type Cidr } from "./cidr";
import { NETWORK_POLICY_VARIABLES } from "./empty-pod-selector";
import { activeRules, isNetworkPolicy } from "./policy";

/*
 * CEL that reads addresses and CIDRs exactly as ./cidr.ts does (Kubernetes' ip()/cidr() reject
 * what netutils' sloppy parsers accept: IPv4 octets with leading zeros, IPv4-mapped IPv6), so the
 * address becomes a string of bits ("0101…", 32 or 128 of them) and containment compares prefixes
 * of those strings. Iteration variables start with `ip`; callers must not use such names.
 */
const lit = (text: string): string => JSON.stringify(text);
const HEX_DIGITS = lit("0123456789abcdef");
const NIBBLES = lit("0000000100100011010001010110011110001001101010111100110111101111");
const ZEROS = lit("0".repeat(128));
/** The first 96 bits of ::ffff:0:0/96. */
const MAPPED_96 = lit(`${"0".repeat(80)}${"1".repeat(16)}`);
const GROUP = "[0-9a-fA-F]{1,4}";
const OCTET = "(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])";
const V4 = `${OCTET}[.]${OCTET}[.]${OCTET}[.]${OCTET}`;
const V4_RE = lit(`^${V4}$`);
const V6_FULL_RE = lit(`^((${GROUP}:){7}${GROUP}|(${GROUP}:){6}${V4})$`);
const V6_HEAD_RE = lit(`^(${GROUP}(:${GROUP})*)?$`);
const V6_TAIL_RE = lit(`^((${GROUP}:)*(${GROUP}|${V4}))?$`);

const nibble = (i: string): string => `${NIBBLES}.substring(4 * (${i}), 4 * (${i}) + 4)`;
/** Groups a `::` half stands for (an embedded IPv4 counts twice). */
const groupCount = (half: string): string =>
  `(${half} == '' ? 0 : size(${half}.split(':')) + (${half}.contains('.') ? 1 : 0))`;
const hexBits = (g: string): string =>
  `${ZEROS}.substring(0, 16 - 4 * size(${g})) + ${g}.lowerAscii().split('').map(ipx, ${nibble(`${HEX_DIGITS}.indexOf(ipx)`)}).join('')`;
const v4Bits = (t: string): string =>
  `${t}.split('.').map(ipo, int(ipo)).map(ipn, ${nibble("ipn / 16")} + ${nibble("ipn % 16")}).join('')`;
/** `::` becomes a marker group `x`, replaced by the zeros it stands for once the rest is known. */
const v6Bits = (t: string): string =>
  `[${t}.replace('::', ':x:').split(':').filter(ipg, ipg != '').map(ipg, ipg == 'x' ? 'x' : (ipg.contains('.') ? ${v4Bits("ipg")} : ${hexBits("ipg")})).join('')].map(ipj, ipj.replace('x', ${ZEROS}.substring(0, 129 - size(ipj))))[0]`;

/** CEL: is the string expression an address parseAddress accepts? */
export function celIsAddress(t: string): string {
  const halves = `${t}.split('::')`;
  const v6 =
    `(size(${halves}) == 1 ? ${t}.matches(${V6_FULL_RE}) : (size(${halves}) == 2 && ${halves}[0].matches(${V6_HEAD_RE}) && ` +
    `${halves}[1].matches(${V6_TAIL_RE}) && ${groupCount(`${halves}[0]`)} + ${groupCount(`${halves}[1]`)} <= 7))`;
  return `(${t}.contains(':') ? ${v6} : ${t}.matches(${V4_RE}))`;
}

/** CEL: the bits of a valid address (an error for an invalid one). */
function celAddressBits(t: string): string {
  return `(${t}.contains(':') ? ${v6Bits(t)} : ${v4Bits(t)})`;
}

/*
 * Kubernetes CEL requires homogeneous literals, so the parsed values are maps of strings: `b` the
 * bits ('' when invalid: test validity with `b != ''`), `n` a CIDR's network bits (its first
 * prefix bits: the prefix is size(n)), and `gb`/`gn` Go's reading of IPv4-mapped IPv6.
 */

/** CEL: parseAddress as `{b, gb}` (gb: an IPv4-mapped address as its 32 IPv4 bits). */
export function celAddress(t: string): string {
  return (
    `[${t}].map(ipa, ${celIsAddress("ipa")} ? ${celAddressBits("ipa")} : '')` +
    `.map(ipb, {'b': ipb, 'gb': size(ipb) == 128 && ipb.startsWith(${MAPPED_96}) ? ipb.substring(96) : ipb})[0]`
  );
}

/** CEL: parseCidr as `{b, n, gb, gn}` (goForm: an IPv4-mapped CIDR of prefix ≥ 96 as its IPv4 form). */
export function celCidr(t: string): string {
  const addr = "ipc.split('/')[0]";
  const prefix = "ipc.split('/')[1]";
  const ok =
    `size(ipc.split('/')) == 2 && ${celIsAddress(addr)} && ${prefix}.matches('^[0-9]{1,3}$') && ` +
    `int(${prefix}) <= (${addr}.contains(':') ? 128 : 32)`;
  const mapped = `(size(ipr.b) == 128 && size(ipr.n) >= 96 && ipr.b.startsWith(${MAPPED_96}))`;
  return (
    `[${t}].map(ipc, ${ok} ? [${celAddressBits(addr)}, ${prefix}] : [])` +
    `.map(ipl, size(ipl) == 2 ? {'b': ipl[0], 'n': ipl[0].substring(0, int(ipl[1]))} : {'b': '', 'n': ''})` +
    `.map(ipr, {'b': ipr.b, 'n': ipr.n, 'gb': ${mapped} ? ipr.b.substring(96) : ipr.b, 'gn': ${mapped} ? ipr.n.substring(96) : ipr.n})[0]`
  );
}

const containsRaw = (bits: string, network: string, address: string): string =>
  `(size(${bits}) == size(${address}) && ${address}.startsWith(${network}))`;

/** CEL for mayContain over a valid celCidr and a valid celAddress value. */
export function celMayContain(c: string, a: string): string {
  return `(${containsRaw(`${c}.b`, `${c}.n`, `${a}.b`)} || ${containsRaw(`${c}.gb`, `${c}.gn`, `${a}.gb`)})`;
}

/** CEL for surelyContains over a valid celCidr and a valid celAddress value. */
export function celSurelyContains(c: string, a: string): string {
  return `(${containsRaw(`${c}.b`, `${c}.n`, `${a}.b`)} && ${containsRaw(`${c}.gb`, `${c}.gn`, `${a}.gb`)})`;
}

const within = (ib: string, inet: string, ob: string, onet: string): string =>
  `(size(${ib}) == size(${ob}) && ${inet}.startsWith(${onet}))`;

/** CEL for surelyWithin over two valid celCidr values. */
export function celSurelyWithin(inner: string, outer: string): string {
  return `(${within(`${inner}.b`, `${inner}.n`, `${outer}.b`, `${outer}.n`)} && ${within(`${inner}.gb`, `${inner}.gn`, `${outer}.gb`, `${outer}.gn`)})`;
}

/** CEL for mayBeUniversal over a valid celCidr value. */
export function celMayBeUniversal(c: string): string {
  return `(${c}.n == '' || ${c}.gn == '')`;
}

/** CEL: a list-valued setting of params.spec, [] when unset or not a list (configStrings' reading). */
export function celParamList(name: string): string {
  return `(has(params.spec.${name}) && type(params.spec.${name}) == list ? params.spec.${name} : [])`;
}

function hostCidr(text: string, a: Address): string {
  return `${text}/${a.family === 4 ? 32 : 128}`;
}

/**
 * Every cloud's metadata service (AWS, GCP, Azure, Alibaba, Oracle, OpenStack) answers on TCP 80,
 * so an egress rule limited to other ports (a webhook Job allowed 443 to the API server) never
 * reaches it. A named port resolves against destination pods only, never an ipBlock address.
 */
const METADATA_PORT = 80;

function reachesMetadataPort(ports: readonly Rec[]): boolean {
  if (ports.length === 0) return true;
  return ports.some((p) => {
    const protocol = p["protocol"];
    if (protocol !== undefined && protocol !== null && protocol !== "TCP") return false;
    const port = p["port"];
    if (port === undefined || port === null) return true;
    if (typeof port !== "number") return false;
    const end = typeof p["endPort"] === "number" ? p["endPort"] : port;
    return port <= METADATA_PORT && METADATA_PORT <= end;
  });
}

/** reachesMetadataPort for the rules entry `r`. */
const CEL_REACHES_METADATA_PORT =
  `(!has(r.ports) || size(r.ports) == 0 || r.ports.exists(q, (!has(q.protocol) || q.protocol == 'TCP') && ` +
  `(!has(q.port) || (type(q.port) == int && q.port <= ${METADATA_PORT} && (has(q.endPort) ? q.endPort : q.port) >= ${METADATA_PORT}))))`;

/**
 * Egress that reaches the cloud metadata endpoint hands out the node's cloud credentials. Any
 * egress ipBlock whose CIDR covers a metadata address (169.254.169.254, AWS's IPv6
 * fd00:ec2::254) must list it in `except`; CIDRs are compared numerically, so `169.254.0.0/16`
 * and `::ffff:0:0/96` count too. A rule with no `to` reaches every address and is reported as
 * well; pod and namespace selectors never reach the endpoint, nor does a rule whose ports leave
 * out TCP 80.
 */
export const networkMetadataEgress = resourceControl({
  id: "network-metadata-egress",
  title: "Egress ipBlocks exclude the cloud metadata endpoint",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-004",
    nsaCisa: "Network separation and hardening › Protecting sensitive cloud infrastructure",
  },
  remediation:
    'Add "169.254.169.254/32" (and "fd00:ec2::254/128" for IPv6) to the except list of every egress ipBlock that covers it, e.g. 0.0.0.0/0.',
  kinds: ["NetworkPolicy"],
  cel: {
    variables: [
      ...NETWORK_POLICY_VARIABLES,
      {
        name: "targets",
        expression: `${celParamList("metadataAddresses")}.filter(x, type(x) == string).map(x, ${celAddress("x")}).filter(a, a.b != '')`,
      },
    ],
    validations: [
      {
        expression: `variables.egressRules.all(r, (has(r.to) && size(r.to) > 0) || !${CEL_REACHES_METADATA_PORT})`,
        message: 'an egress rule with no "to" peers reaches the cloud metadata endpoint',
      },
      {
        expression:
          `variables.egressRules.all(r, !has(r.to) || !${CEL_REACHES_METADATA_PORT} || r.to.all(p, !has(p.ipBlock) || ` +
          `[${celCidr("has(p.ipBlock.cidr) ? p.ipBlock.cidr : ''")}].all(c, c.b != '' && variables.targets.all(t, !${celMayContain("c", "t")} || ` +
          `(has(p.ipBlock.except) && p.ipBlock.except.exists(e, [${celCidr("e")}].exists(x, x.b != '' && ${celSurelyContains("x", "t")})))))))`,
        message: "egress ipBlocks must list the cloud metadata endpoint in except",
      },
    ],
  },
  config: {
    metadataAddresses: {
      type: "array",
      items: { type: "string" },
      description: "Addresses of cloud metadata endpoints that egress must not reach.",
      default: ["169.254.169.254", "fd00:ec2::254"],
    },
  },
  check(object, ctx) {
    if (!isNetworkPolicy(object)) return [];
    const targets = configStrings(ctx.config, "metadataAddresses")
      .map((text) => ({ text, address: parseAddress(text) }))
      .filter((t): t is { text: string; address: Address } => t.address !== undefined);
    const out: Violation[] = [];
    for (const rule of activeRules(object, "Egress")) {
      if (!reachesMetadataPort(rule.ports)) continue;
      if (rule.peers.length === 0) {
        out.push({
          message: `egress rule ${rule.index} has no "to" peers: it allows every destination, including the cloud metadata endpoint ${targets.map((t) => t.text).join(", ")}`,
          path: rule.path,
        });
        continue;
      }
      for (const p of rule.peers) {
        const block = rec(p.peer["ipBlock"]);
        if (block === undefined) continue;
        const text = str(block["cidr"]) ?? "";
        const cidrPath = join(join(p.path, "ipBlock"), "cidr");
        const cidr = parseCidr(text);
        if (cidr === undefined) {
          out.push({
            message: `egress rule ${rule.index} peer ${p.index}: ipBlock.cidr ${JSON.stringify(text)} is not a valid CIDR, so it cannot be shown to exclude the cloud metadata endpoint`,
            path: cidrPath,
          });
          continue;
        }
        const excepts = strings(block["except"])
          .map(parseCidr)
          .filter((c): c is Cidr => c !== undefined);
        const reached = targets.filter(
          (t) => mayContain(cidr, t.address) && !excepts.some((e) => surelyContains(e, t.address)),
        );
        if (reached.length === 0) continue;
        out.push({
          message: `egress rule ${rule.index} peer ${p.index}: ipBlock ${text} reaches the cloud metadata endpoint ${reached.map((t) => t.text).join(", ")}; add ${reached.map((t) => JSON.stringify(hostCidr(t.text, t.address))).join(", ")} to ipBlock.except`,
          path: cidrPath,
        });
      }
    }
    return out;
  },
});
