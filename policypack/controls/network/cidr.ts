/**
 * IPv4 and IPv6 addresses and CIDRs, parsed the way Kubernetes validates `ipBlock` (netutils'
 * sloppy parsers: decimal octets may carry leading zeros, host bits may be set) into BigInt
 * arithmetic, so `10.0.0.0/0` is as universal as `0.0.0.0/0` and `::` compression is understood.
 *
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is ambiguous: Go's net.IPNet, which Go-based CNIs use,
 * treats `::ffff:0:0/96` as all of IPv4, while a data path that keeps families apart treats it
 * as IPv6 only. So containment comes in two strengths: `mayContain` (true under either reading:
 * use it for "does this rule reach X") and `surelyContains` (true under both: use it for "does
 * this except remove X").
 */

export type Family = 4 | 6;

export interface Address {
  readonly family: Family;
  readonly value: bigint;
}

export interface Cidr {
  readonly text: string;
  readonly family: Family;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS: Readonly<Record<Family, number>> = { 4: 32, 6: 128 };
const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const out: number[] = [];
  const parts = text.split(":");
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (i === parts.length - 1 && p.includes(".")) {
      const v4 = parseIPv4(p);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
  }
  return out;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  // An embedded IPv4 part is only allowed at the very end.
  if (halves.length === 2 && (halves[0] as string).includes(".")) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses an IPv4 or IPv6 address (no zone, no brackets). */
export function parseAddress(text: string): Address | undefined {
  if (text.includes(":")) {
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** Parses `address/prefix`; undefined for anything Kubernetes would reject. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[address.family];
  if (prefix > bits) return undefined;
  return { text, family: address.family, network: mask(address.value, prefix, bits), prefix };
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

function containsRaw(c: Cidr, a: Address): boolean {
  return c.family === a.family && mask(a.value, c.prefix, BITS[c.family]) === c.network;
}

/** Go's reading: an IPv4-mapped CIDR (prefix ≥ 96) or address stands for its IPv4 form. */
function goForm(c: Cidr): Cidr {
  if (c.family === 6 && c.prefix >= 96 && c.network >> 32n === MAPPED_PREFIX >> 32n) {
    return { text: c.text, family: 4, network: c.network & 0xffffffffn, prefix: c.prefix - 96 };
  }
  return c;
}

function goAddress(a: Address): Address {
  return a.family === 6 && a.value >> 32n === MAPPED_PREFIX >> 32n ? { family: 4, value: a.value & 0xffffffffn } : a;
}

/** Does the CIDR contain the address under either reading of IPv4-mapped IPv6? */
export function mayContain(c: Cidr, a: Address): boolean {
  return containsRaw(c, a) || containsRaw(goForm(c), goAddress(a));
}

/** Does the CIDR contain the address under both readings? */
export function surelyContains(c: Cidr, a: Address): boolean {
  return containsRaw(c, a) && containsRaw(goForm(c), goAddress(a));
}

/** Is `inner` wholly inside `outer` under both readings? */
export function surelyWithin(inner: Cidr, outer: Cidr): boolean {
  const within = (i: Cidr, o: Cidr): boolean =>
    i.family === o.family && i.prefix >= o.prefix && mask(i.network, o.prefix, BITS[o.family]) === o.network;
  return within(inner, outer) && within(goForm(inner), goForm(outer));
}

/** True for a CIDR that may cover a whole address family: `0.0.0.0/0`, `::/0`, `::ffff:0:0/96`. */
export function mayBeUniversal(c: Cidr): boolean {
  return c.prefix === 0 || goForm(c).prefix === 0;
}
