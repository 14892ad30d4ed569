import fc from "fast-check";
import {
  mayBeUniversal,
  mayContain,
  parseAddress,
  parseCidr,
  surelyContains,
  surelyWithin,
  type Cidr,
} from "../../../policypack/controls/network/cidr";

const cidr = (t: string): Cidr => {
  const c = parseCidr(t);
  if (c === undefined) throw new Error(`bad cidr ${t}`);
  return c;
};
const ip = (t: string) => {
  const a = parseAddress(t);
  if (a === undefined) throw new Error(`bad address ${t}`);
  return a;
};

describe("parseAddress", () => {
  it.each([
    ["0.0.0.0", 4, 0n],
    ["169.254.169.254", 4, 0xa9fea9fen],
    ["010.0.0.1", 4, 0x0a000001n], // netutils' sloppy parser: leading zeros are decimal
    ["::", 6, 0n],
    ["::1", 6, 1n],
    ["fd00:ec2::254", 6, 0xfd000ec2000000000000000000000254n],
    ["FD00:EC2:0:0:0:0:0:254", 6, 0xfd000ec2000000000000000000000254n],
    ["::ffff:169.254.169.254", 6, 0xffffa9fea9fen],
    ["1:2:3:4:5:6:7::", 6, 0x00010002000300040005000600070000n],
  ])("%s", (text, family, value) => expect(parseAddress(text)).toEqual({ family, value }));

  it.each([
    "",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "1.2.3.-1",
    "1.2.3.0x1",
    "0127.0.0.1",
    " 1.2.3.4",
    ":::",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8::",
    "12345::",
    "fe80::1%eth0",
    "1.2.3.4::",
    "::1.2.3",
    "[::1]",
    "g::1",
  ])("rejects %j", (text) => expect(parseAddress(text)).toBeUndefined());
});

describe("parseCidr", () => {
  it("clears host bits", () => {
    expect(cidr("10.1.2.3/8")).toMatchObject({ family: 4, prefix: 8, network: 0x0a000000n });
    expect(cidr("fd00::1/8")).toMatchObject({ family: 6, prefix: 8, network: 0xfdn << 120n });
  });

  it.each([
    "10.0.0.0",
    "10.0.0.0/33",
    "::/129",
    "10.0.0.0/-1",
    "10.0.0.0/a",
    "10.0.0.0/",
    "/8",
    "10.0.0.0/8/8",
    "10.0.0.0/0008",
  ])("rejects %j", (text) => expect(parseCidr(text)).toBeUndefined());
});

describe("containment", () => {
  const metadata = ip("169.254.169.254");
  const aws6 = ip("fd00:ec2::254");
  it.each([
    ["0.0.0.0/0", metadata, true, true],
    ["10.0.0.0/0", metadata, true, true],
    ["169.254.0.0/16", metadata, true, true],
    ["169.254.169.254/32", metadata, true, true],
    ["169.254.169.255/32", metadata, false, false],
    ["169.254.169.0/25", metadata, false, false],
    ["169.254.169.128/25", metadata, true, true],
    ["::/0", metadata, false, false],
    ["::/0", aws6, true, true],
    ["fd00::/8", aws6, true, true],
    ["fd00:ec2::254/128", aws6, true, true],
    ["fd00:ec2::255/128", aws6, false, false],
    ["0.0.0.0/0", aws6, false, false],
    // Go reads IPv4-mapped CIDRs as IPv4; a family-separating data path does not.
    ["::ffff:0:0/96", metadata, true, false],
    ["::ffff:169.254.169.254/128", metadata, true, false],
    ["::ffff:169.254.0.0/112", metadata, true, false],
    ["::fffe:0:0/96", metadata, false, false],
  ])("%s contains %o: may %s, surely %s", (c, a, may, surely) => {
    expect(mayContain(cidr(c), a)).toBe(may);
    expect(surelyContains(cidr(c), a)).toBe(surely);
  });

  it.each([
    ["0.0.0.0/0", true],
    ["::/0", true],
    ["::ffff:0:0/96", true],
    ["0.0.0.0/1", false],
    ["::ffff:0:0/97", false],
  ])("%s universal: %s", (c, expected) => expect(mayBeUniversal(cidr(c))).toBe(expected));

  it.each([
    ["169.254.20.10/32", "169.254.20.10/32", true],
    ["169.254.20.10/32", "169.254.0.0/16", true],
    ["169.254.0.0/16", "169.254.20.10/32", false],
    ["10.0.0.0/8", "::/0", false],
  ])("%s within %s: %s", (inner, outer, expected) => expect(surelyWithin(cidr(inner), cidr(outer))).toBe(expected));

  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
  it("an IPv4 CIDR contains the address it was written with, and a /32 nothing else", () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const c = cidr(`${a}/${prefix}`);
        return (
          surelyContains(c, ip(a)) &&
          mayContain(cidr(`${a}/32`), ip(b)) === (a === b) &&
          mayContain(cidr(`${a}/0`), ip(b))
        );
      }),
    );
  });

  const group = fc.integer({ min: 0, max: 0xffff });
  it("IPv6 compressed and full forms parse alike", () => {
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 8 }),
        (groups, start, len) => {
          const zeroed = groups.map((g, i) => (i >= start && i < start + len ? 0 : g));
          const full = zeroed.map((g) => g.toString(16)).join(":");
          const end = Math.min(8, start + len);
          const compressed = `${zeroed
            .slice(0, start)
            .map((g) => g.toString(16))
            .join(":")}::${zeroed
            .slice(end)
            .map((g) => g.toString(16))
            .join(":")}`;
          return parseAddress(full)?.value === parseAddress(compressed)?.value;
        },
      ),
    );
  });
});
