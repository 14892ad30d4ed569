/**
 * Port sets: per protocol, sorted disjoint inclusive ranges of 1–65535. What a rule's `ports`
 * allow toward one destination, and what a connection allows once egress and ingress are
 * intersected, are both port sets.
 */

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** An inclusive range [from, to]. */
export type PortRange = readonly [number, number];

export type PortSet = Readonly<Record<Protocol, readonly PortRange[]>>;

export const NO_PORTS: PortSet = { TCP: [], UDP: [], SCTP: [] };
export const ALL_PORTS: PortSet = {
  TCP: [[MIN_PORT, MAX_PORT]],
  UDP: [[MIN_PORT, MAX_PORT]],
  SCTP: [[MIN_PORT, MAX_PORT]],
};

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === "string" && (PROTOCOLS as readonly string[]).includes(value);
}

function normalize(ranges: readonly PortRange[]): PortRange[] {
  if (ranges.length === 0) return [];
  if (ranges.length === 1)
    return (ranges[0] as PortRange)[0] <= (ranges[0] as PortRange)[1] ? [ranges[0] as PortRange] : [];
  const sorted = [...ranges].filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** A set holding one protocol's ranges. */
export function portsOf(protocol: Protocol, ranges: readonly PortRange[]): PortSet {
  const r = normalize(ranges);
  return r.length === 0 ? NO_PORTS : { ...NO_PORTS, [protocol]: r };
}

/** Builds a set, returning the shared NO_PORTS / ALL_PORTS objects when it is one of them (so the fast paths hit). */
function perProtocol(f: (p: Protocol) => PortRange[]): PortSet {
  const set = { TCP: f("TCP"), UDP: f("UDP"), SCTP: f("SCTP") };
  if (set.TCP.length === 0 && set.UDP.length === 0 && set.SCTP.length === 0) return NO_PORTS;
  if (isAll(set)) return ALL_PORTS;
  return set;
}

// The fast paths below matter: a whole relation computes these per pair, and most sets are
// empty or everything.
export function union(a: PortSet, b: PortSet): PortSet {
  if (a === NO_PORTS || b === ALL_PORTS) return b;
  if (b === NO_PORTS || a === ALL_PORTS) return a;
  return perProtocol((p) => normalize([...a[p], ...b[p]]));
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i] as PortRange;
    const [b0, b1] = b[j] as PortRange;
    const lo = Math.max(a0, b0);
    const hi = Math.min(a1, b1);
    if (lo <= hi) out.push([lo, hi]);
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

export function intersect(a: PortSet, b: PortSet): PortSet {
  if (a === ALL_PORTS || b === NO_PORTS) return b;
  if (b === ALL_PORTS || a === NO_PORTS) return a;
  return perProtocol((p) => intersectRanges(a[p], b[p]));
}

export function subtract(a: PortSet, b: PortSet): PortSet {
  if (b === NO_PORTS || a === NO_PORTS) return a;
  if (b === ALL_PORTS) return NO_PORTS;
  return perProtocol((p) => {
    const complement = normalize(
      b[p].length === 0
        ? [[MIN_PORT, MAX_PORT]]
        : [
            [MIN_PORT, (b[p][0] as PortRange)[0] - 1],
            ...b[p].slice(0, -1).map((r, i): PortRange => [r[1] + 1, (b[p][i + 1] as PortRange)[0] - 1]),
            [(b[p][b[p].length - 1] as PortRange)[1] + 1, MAX_PORT],
          ],
    );
    return intersectRanges(a[p], complement);
  });
}

export function isEmpty(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 0);
}

export function isAll(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 1 && set[p][0]?.[0] === MIN_PORT && set[p][0]?.[1] === MAX_PORT);
}

export function hasPort(set: PortSet, protocol: Protocol, port: number): boolean {
  return set[protocol].some(([a, b]) => a <= port && port <= b);
}

export function samePorts(a: PortSet, b: PortSet): boolean {
  return PROTOCOLS.every(
    (p) => a[p].length === b[p].length && a[p].every((r, i) => r[0] === b[p][i]?.[0] && r[1] === b[p][i]?.[1]),
  );
}

/** `all`, `TCP 80,443 UDP 53`, `TCP 1-65535` — a set as people read it; `none` when empty. */
export function describePorts(set: PortSet): string {
  if (isAll(set)) return "all";
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    if (set[p].length === 0) continue;
    const ranges = set[p].map(([a, b]) => (a === b ? `${a}` : a === MIN_PORT && b === MAX_PORT ? "*" : `${a}-${b}`));
    parts.push(`${p} ${ranges.join(",")}`);
  }
  return parts.length === 0 ? "none" : parts.join(" ");
}
