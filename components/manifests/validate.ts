/**
 * Argument validation for the builders. Every check throws an ArgumentError whose message starts
 * with the argument's path (`HardenedWorkloadArgs.ports[1].port: 70000 is not a port (1-65535)`),
 * so a mistake is reported at construction, where it was written, and never reaches a cluster.
 * The formats are the API server's (k8s.io/apimachinery/pkg/util/validation, resource.Quantity).
 */
import { isValidDate } from "../../policypack/engine/config";
import { parseCidr, type Cidr } from "../../policypack/controls/network/cidr";
import type { OptOut } from "./types";

/** An invalid argument: `argument` is its path, e.g. `SecureNamespaceArgs.quota.hard["pods"]`. */
export class ArgumentError extends Error {
  readonly argument: string;
  constructor(argument: string, problem: string) {
    super(`${argument}: ${problem}`);
    this.name = "ArgumentError";
    this.argument = argument;
  }
}

export function fail(argument: string, problem: string): never {
  throw new ArgumentError(argument, problem);
}

/** `at.key` or `at["odd/key"]`: the path of a record entry, written the way it can be pasted back. */
export function keyPath(at: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** resource.Quantity's grammar (the format kubernetes-models validates): number, then a suffix. */
const QUANTITY = /^([+-]?)((\d+(\.\d*)?)|(\.\d+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?((\d+(\.\d*)?)|(\.\d+))))?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

export function requireString(value: unknown, at: string): string {
  if (typeof value !== "string") fail(at, `expected a string, found ${show(value)}`);
  return value;
}

/** A DNS-1123 label (namespace names, most object names): lower case, digits, '-', at most 63. */
export function dns1123Label(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.length === 0 || v.length > 63 || !DNS1123_LABEL.test(v))
    fail(
      at,
      `${show(v)} is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
    );
  return v;
}

/** A DNS-1035 label (Service names): like DNS-1123 but starting with a letter. */
export function dns1035Label(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.length === 0 || v.length > 63 || !DNS1035_LABEL.test(v))
    fail(
      at,
      `${show(v)} is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters)`,
    );
  return v;
}

/** A DNS-1123 subdomain (Role names, label-key prefixes): dot-separated labels, at most 253. */
export function dns1123Subdomain(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.length === 0 || v.length > 253 || !DNS1123_SUBDOMAIN.test(v))
    fail(at, `${show(v)} is not a DNS-1123 subdomain (lower-case labels separated by '.', at most 253 characters)`);
  return v;
}

/** A label key: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function labelKey(value: unknown, at: string): string {
  const v = requireString(value, at);
  const slash = v.lastIndexOf("/");
  const prefix = slash >= 0 ? v.slice(0, slash) : undefined;
  const name = slash >= 0 ? v.slice(slash + 1) : v;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length === 0 || name.length > 63 || !LABEL_NAME.test(name))
    fail(
      at,
      `${show(v)} is not a label key ([DNS-subdomain prefix/]name of at most 63 characters: letters, digits, '-', '_', '.')`,
    );
  return v;
}

export function labelValue(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.length > 63 || !LABEL_VALUE.test(v))
    fail(
      at,
      `${show(v)} is not a label value (at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)`,
    );
  return v;
}

/** A label map: every key and value checked, at least one entry when `nonEmpty`. */
export function labelMap(
  value: unknown,
  at: string,
  options: { readonly nonEmpty?: boolean } = {},
): Readonly<Record<string, string>> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(at, `expected a map of label keys to values, found ${show(value)}`);
  const entries = Object.entries(value as Record<string, unknown>);
  if (options.nonEmpty === true && entries.length === 0)
    fail(at, "is empty: it would select every pod; name the labels of the pods you mean");
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    labelKey(k, `${at} key ${JSON.stringify(k)}`);
    out[k] = labelValue(v, keyPath(at, k));
  }
  return out;
}

export function integer(value: unknown, at: string, min: number, max: number, what = "a number"): number {
  if (typeof value !== "number" || !Number.isInteger(value)) fail(at, `${show(value)} is not an integer`);
  if (value < min || value > max) fail(at, `${value} is not ${what} (${min}-${max})`);
  return value;
}

export function port(value: unknown, at: string): number {
  return integer(value, at, 1, 65535, "a port");
}

/** A named container port (IANA_SVC_NAME): at most 15 characters, a letter, no "--". */
export function portName(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.length === 0 || v.length > 15 || !IANA_SVC_NAME.test(v) || !/[a-z]/.test(v) || v.includes("--"))
    fail(at, `${show(v)} is not a port name (at most 15 lower-case letters, digits and '-', with a letter, no "--")`);
  return v;
}

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

export function protocol(value: unknown, at: string): Protocol {
  if (!PROTOCOLS.includes(value as Protocol)) fail(at, `${show(value)} is not a protocol (TCP, UDP or SCTP)`);
  return value as Protocol;
}

/**
 * A resource quantity (`500m`, `1.5Gi`, `2`), never negative; the value is returned in base
 * units for comparisons (exact enough: requests and limits are compared, not summed).
 */
export function quantity(value: unknown, at: string): { readonly text: string; readonly value: number } {
  const text = typeof value === "number" ? String(value) : requireString(value, at);
  const m = QUANTITY.exec(text);
  if (m === null || (typeof value === "number" && !Number.isFinite(value)))
    fail(at, `${show(value)} is not a quantity (a number with an optional suffix: m, k, M, G, Ki, Mi, Gi, …)`);
  if (m[1] === "-") fail(at, `${show(value)} is negative`);
  return { text, value: quantityValue(text) };
}

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity already known to match the grammar. */
export function quantityValue(text: string): number {
  const m = /^([+-]?[\d.]+)(.*)$/.exec(text);
  const number = Number(m?.[1] ?? "NaN");
  const suffix = m?.[2] ?? "";
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * (SUFFIX[suffix] ?? Number.NaN);
}

/** A CIDR in the form the API server stores: no host bits, no IPv4-mapped IPv6. */
export function cidr(value: unknown, at: string): Cidr {
  const text = requireString(value, at);
  const parsed = parseCidr(text);
  if (parsed === undefined) fail(at, `${show(text)} is not a CIDR (address/prefix, e.g. 10.0.0.0/8 or fd00::/8)`);
  const address = text.slice(0, text.indexOf("/"));
  // An IPv6 CIDR with an embedded IPv4 part means IPv4 to some CNIs and IPv6 to others.
  if (parsed.family === 6 && address.includes("."))
    fail(at, `${show(text)} embeds an IPv4 address in IPv6: write the IPv4 CIDR itself`);
  if (parsed.family === 6 && parsed.prefix >= 96 && parsed.network >> 32n === 0xffffn)
    fail(
      at,
      `${show(text)} is IPv4-mapped IPv6 (::ffff:0:0/96), read as IPv4 by some CNIs: write the IPv4 CIDR itself`,
    );
  const network = formatNetwork(parsed);
  if (parsed.family === 4 && address !== network)
    fail(
      at,
      `${show(text)} has host bits set or leading zeros: did you mean ${JSON.stringify(`${network}/${parsed.prefix}`)}?`,
    );
  if (parsed.family === 6 && normalizeV6(address) !== parsed.network)
    fail(at, `${show(text)} has host bits set: did you mean ${JSON.stringify(`${network}/${parsed.prefix}`)}?`);
  return parsed;
}

function normalizeV6(address: string): bigint | undefined {
  const p = parseCidr(`${address}/128`);
  return p?.network;
}

/** The network address of a CIDR, written canonically (IPv6 with `::` compression). */
export function formatNetwork(c: Cidr): string {
  if (c.family === 4) {
    const v = c.network;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join(".");
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((c.network >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

/** An absolute container path: no "..", no ':' (the API's mountPath rules). */
export function mountPath(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (!v.startsWith("/") || v.split("/").includes("..") || v.includes(":") || v.length > 1024)
    fail(at, `${show(v)} is not an absolute path without ".." or ':'`);
  if (v === "/") fail(at, `"/" would hide the whole image: mount a sub-directory`);
  return v;
}

export function envName(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (!ENV_NAME.test(v))
    fail(
      at,
      `${show(v)} is not an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)`,
    );
  return v;
}

/** A user, group or custom-role rule entry: non-empty, no surrounding blanks. */
export function nonBlank(value: unknown, at: string): string {
  const v = requireString(value, at);
  if (v.trim() === "" || v.trim() !== v) fail(at, `${show(v)} must be non-empty, without leading or trailing blanks`);
  return v;
}

export function stringList(value: unknown, at: string, options: { readonly nonEmpty?: boolean } = {}): string[] {
  if (!Array.isArray(value)) fail(at, `expected a list, found ${show(value)}`);
  if (options.nonEmpty === true && value.length === 0) fail(at, "must not be empty");
  return value.map((v, i) => nonBlank(v, `${at}[${i}]`));
}

/** An opt-out: a reason that says why (shown with every exempted finding) and an optional end date. */
export function optOut(value: unknown, at: string): OptOut {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(at, `expected { reason: "…" } saying why the default does not fit, found ${show(value)}`);
  const v = value as Record<string, unknown>;
  if (typeof v["reason"] !== "string" || v["reason"].trim().length < 10)
    fail(
      `${at}.reason`,
      "say why the hardened default does not fit (at least 10 characters): it is shown with every exempted finding",
    );
  if (/[\r\n]/.test(v["reason"])) fail(`${at}.reason`, "must be one line (it becomes an annotation shown in reports)");
  if (v["until"] !== undefined && (typeof v["until"] !== "string" || !isValidDate(v["until"])))
    fail(`${at}.until`, `${show(v["until"])} is not a date YYYY-MM-DD`);
  return v["until"] !== undefined
    ? { reason: v["reason"].trim(), until: v["until"] as string }
    : { reason: v["reason"].trim() };
}

/** `{ disabled: true, reason }`: turning a hardened default off. */
export function disabled(value: unknown, at: string): OptOut {
  if (typeof value !== "object" || value === null || (value as Record<string, unknown>)["disabled"] !== true)
    fail(at, `expected { disabled: true, reason: "…" }, found ${show(value)}`);
  return optOut(value, at);
}

/** True for `{ disabled: true, … }` (the opt-out form of a setting that otherwise takes a value). */
export function isDisabled(value: unknown): value is { readonly disabled: true } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)["disabled"] === true;
}

/** Rejects keys the interface does not declare: a typo must not silently drop a setting. */
export function knownKeys(value: unknown, at: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(at, `expected an object, found ${show(value)}`);
  for (const k of Object.keys(value)) {
    if (!keys.includes(k)) fail(keyPath(at, k), `unknown argument (known: ${keys.join(", ")})`);
  }
  return value as Record<string, unknown>;
}
