/**
 * Address sets for ipBlock peers, over the CIDR arithmetic of controls/network/cidr.ts: which
 * outside endpoints the mentioned CIDRs carve out, and whether an ipBlock (its `cidr` minus its
 * `except`s) could hold a pod whose address a manifest does not tell.
 */
import { parseCidr, type Address, type Cidr, type Family } from "../../controls/network/cidr";

const BITS: Readonly<Record<Family, number>> = { 4: 32, 6: 128 };

function cidrs(texts: readonly string[]): Cidr[] {
  return texts.map((t) => {
    const c = parseCidr(t);
    if (c === undefined) throw new Error(`bad built-in CIDR ${t}`);
    return c;
  });
}

/**
 * Where pods (and nodes) may have addresses when nothing says otherwise: every private range
 * (RFC 1918, the RFC 6598 shared range some CNIs use, IPv6 unique-local). Overridable per run.
 */
export const DEFAULT_CLUSTER_CIDRS: readonly string[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "fc00::/7",
];

/** Ranges that are not "the internet": private, loopback, link-local, multicast, reserved. */
const SPECIAL_V4 = cidrs([
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
]);
const SPECIAL_V6 = cidrs(["::/8", "fc00::/7", "fe80::/10", "ff00::/8"]);

export const METADATA_ADDRESS = "169.254.169.254";

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const shift = BigInt(BITS[a.family] - prefix);
  return a.network >> shift === b.network >> shift;
}

export function within(inner: Cidr, outer: Cidr): boolean {
  return overlaps(inner, outer) && inner.prefix >= outer.prefix;
}

/** Some address of `block` outside every hole, or undefined when the holes cover it. */
export function addressOutside(block: Cidr, holes: readonly Cidr[]): Address | undefined {
  const bits = BITS[block.family];
  const find = (network: bigint, prefix: number, relevant: readonly Cidr[]): bigint | undefined => {
    const here: Cidr = { text: "", family: block.family, network, prefix };
    const hits = relevant.filter((h) => overlaps(h, here));
    if (hits.length === 0) return network;
    if (hits.some((h) => h.prefix <= prefix) || prefix >= bits) return undefined;
    const half = 1n << BigInt(bits - prefix - 1);
    return find(network, prefix + 1, hits) ?? find(network + half, prefix + 1, hits);
  };
  const value = find(block.network, block.prefix, holes);
  return value === undefined ? undefined : { family: block.family, value };
}

/** A public address outside every mentioned CIDR, standing for "the internet" of one family. */
export function internetAddress(family: Family, mentioned: readonly Cidr[]): Address | undefined {
  const all: Cidr = { text: family === 4 ? "0.0.0.0/0" : "::/0", family, network: 0n, prefix: 0 };
  const special = family === 4 ? SPECIAL_V4 : SPECIAL_V6;
  // CIDRs that cover a whole family (0.0.0.0/0) would leave nothing; they are the internet.
  const holes = [...special, ...mentioned.filter((c) => c.family === family && c.prefix > 0)];
  return addressOutside(all, holes) ?? addressOutside(all, special);
}

/** Could `cidr` minus `except` hold an address of one of `ranges`? */
export function mayHoldAddressIn(cidr: Cidr, except: readonly Cidr[], ranges: readonly Cidr[]): boolean {
  return ranges.some((r) => {
    if (!overlaps(cidr, r)) return false;
    const inner = cidr.prefix >= r.prefix ? cidr : r;
    return addressOutside(inner, except) !== undefined;
  });
}

export function formatAddress(a: Address): string {
  if (a.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join(".");
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((a.value >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 writes it.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}
