import { networkMetadataEgress } from "../../../policypack/controls/network/metadata-egress";
import { runControl } from "../../helpers/objects";
import { networkPolicy } from "../namespace/stack-run";

const block = (cidr: string, except?: string[]) => ({ ipBlock: except === undefined ? { cidr } : { cidr, except } });
const policy = (peers: unknown[], extra: Record<string, unknown> = {}) =>
  networkPolicy("p", "shop", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: peers }], ...extra });
const paths = (peers: unknown[]) => runControl(networkMetadataEgress, policy(peers)).map((v) => v.path);
const CIDR = "spec.egress[0].to[0].ipBlock.cidr";

describe("network-metadata-egress", () => {
  it.each<[string, unknown, string[]]>([
    ["0.0.0.0/0 with the /32 excepted", block("0.0.0.0/0", ["169.254.169.254/32"]), []],
    ["0.0.0.0/0 with link-local excepted", block("0.0.0.0/0", ["169.254.0.0/16"]), []],
    ["a private range", block("10.0.0.0/8"), []],
    ["the next address up", block("169.254.169.255/32"), []],
    ["0.0.0.0/0 without except", block("0.0.0.0/0"), [CIDR]],
    ["host bits set: 10.0.0.0/0 is everything", block("10.0.0.0/0"), [CIDR]],
    ["the endpoint itself", block("169.254.169.254/32"), [CIDR]],
    ["except misses it", block("169.254.0.0/16", ["169.254.0.0/24", "not-a-cidr"]), [CIDR]],
    ["::/0 without the AWS IPv6 endpoint excepted", block("::/0"), [CIDR]],
    ["::/0 with it excepted", block("::/0", ["fd00:ec2::254/128"]), []],
    ["fd00::/8", block("fd00::/8", ["fd00:ec2::/32"]), []],
    ["IPv4-mapped /96 is all of IPv4 to Go", block("::ffff:0:0/96"), [CIDR]],
    [
      "a mapped except does not surely remove the IPv4 endpoint",
      block("0.0.0.0/0", ["::ffff:169.254.169.254/128"]),
      [CIDR],
    ],
    ["an invalid CIDR cannot be shown safe", block("0.0.0.0"), [CIDR]],
    ["pod selectors never reach it", { podSelector: {} }, []],
  ])("%s", (_n, peer, expected) => expect(paths([peer])).toEqual(expected));

  it("reports a rule with no 'to' and names the address to except", () => {
    const out = runControl(
      networkMetadataEgress,
      networkPolicy("p", "shop", {
        policyTypes: ["Egress"],
        egress: [{ ports: [{ port: 80 }] }, { to: [block("0.0.0.0/0")] }],
      }),
    );
    expect(out.map((v) => v.path)).toEqual(["spec.egress[0]", "spec.egress[1].to[0].ipBlock.cidr"]);
    expect(out[1]?.message).toBe(
      'egress rule 1 peer 0: ipBlock 0.0.0.0/0 reaches the cloud metadata endpoint 169.254.169.254; add "169.254.169.254/32" to ipBlock.except',
    );
  });

  it.each<[string, unknown[], boolean]>([
    ["no ports: every port", [], true],
    ["TCP 80", [{ port: 80 }], true],
    ["a range over 80", [{ port: 1, endPort: 1024 }], true],
    ["TCP without a port", [{ protocol: "TCP" }], true],
    ["443 only", [{ port: 443 }], false],
    ["a range above 80", [{ port: 8000, endPort: 9000 }], false],
    ["UDP 80", [{ protocol: "UDP", port: 80 }], false],
    ["a named port (pods only)", [{ port: "http" }], false],
  ])("ports %s: reaches the endpoint %s", (_n, ports, reaches) => {
    const out = runControl(
      networkMetadataEgress,
      networkPolicy("p", "shop", { policyTypes: ["Egress"], egress: [{ ports }] }),
    );
    expect(out.length > 0).toBe(reaches);
  });

  it("ignores policies that do not govern Egress", () => {
    expect(runControl(networkMetadataEgress, policy([block("0.0.0.0/0")], { policyTypes: ["Ingress"] }))).toEqual([]);
  });

  it("takes the metadata addresses from the config", () => {
    const p = policy([block("100.100.0.0/16"), block("0.0.0.0/0", ["169.254.169.254/32"])]);
    expect(runControl(networkMetadataEgress, p)).toEqual([]);
    const out = runControl(networkMetadataEgress, p, {
      config: { metadataAddresses: ["169.254.169.254", "100.100.100.200", "bad"] },
    });
    expect(out.map((v) => v.path)).toEqual(["spec.egress[0].to[0].ipBlock.cidr", "spec.egress[0].to[1].ipBlock.cidr"]);
  });

  it("does not crash on odd shapes", () => {
    for (const to of ["x", [null], [{ ipBlock: [] }], [{ ipBlock: { cidr: 3, except: "x" } }]]) {
      expect(() => runControl(networkMetadataEgress, policy(to as unknown[]))).not.toThrow();
    }
  });
});
