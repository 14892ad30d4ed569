import { networkPrivilegedPorts } from "../../../policypack/controls/network/privileged-ports";
import { inEveryKind, runControl } from "../../helpers/objects";

const ports = (...p: number[]) => p.map((containerPort) => ({ containerPort }));
const paths = (spec: Record<string, unknown>, config?: Record<string, unknown>) =>
  inEveryKind(spec).map((o) =>
    runControl(networkPrivilegedPorts, o, config ? { config } : {}).map((v) => v.path?.replace(/^.*spec\./, "")),
  );

describe("network-privileged-ports", () => {
  it.each<[string, number[], string[]]>([
    ["1024", [1024], []],
    ["8080", [8080], []],
    ["1023", [1023], ["containers[0].ports[0].containerPort"]],
    ["80 and 443", [80, 443], ["containers[0].ports[0].containerPort", "containers[0].ports[1].containerPort"]],
    ["22", [8080, 22], ["containers[0].ports[1].containerPort"]],
    ["1", [1], ["containers[0].ports[0].containerPort"]],
  ])("port %s in every kind", (_n, p, expected) => {
    for (const got of paths({ containers: [{ name: "c", image: "i", ports: ports(...p) }] }))
      expect(got).toEqual(expected);
  });

  it("checks init and ephemeral containers", () => {
    const spec = {
      initContainers: [{ name: "i", image: "i", ports: ports(53) }],
      containers: [{ name: "c", image: "i" }],
      ephemeralContainers: [{ name: "e", image: "i", ports: ports(22) }],
    };
    expect(paths(spec)[0]).toEqual([
      "initContainers[0].ports[0].containerPort",
      "ephemeralContainers[0].ports[0].containerPort",
    ]);
  });

  it("allows a privileged port with NET_BIND_SERVICE or a lowered unprivileged port start, never 22", () => {
    const withCap = {
      containers: [
        {
          name: "c",
          image: "i",
          ports: ports(80, 22),
          securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] } },
        },
      ],
    };
    expect(paths(withCap)[0]).toEqual(["containers[0].ports[1].containerPort"]);
    const sysctl = (value: string) => ({
      securityContext: { sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value }] },
      containers: [{ name: "c", image: "i", ports: ports(80, 443) }],
    });
    expect(paths(sysctl("0"))[0]).toEqual([]);
    expect(paths(sysctl("443"))[0]).toEqual(["containers[0].ports[0].containerPort"]);
    expect(paths(sysctl("x"))[0]).toHaveLength(2);
    expect(paths(sysctl(""))[0]).toHaveLength(2);
  });

  it("allows configured ports", () => {
    expect(
      paths({ containers: [{ name: "c", image: "i", ports: ports(80, 22) }] }, { allowedPorts: [80, 22] })[0],
    ).toEqual([]);
  });

  it("names the container", () => {
    const [v] = runControl(
      networkPrivilegedPorts,
      inEveryKind({ containers: [{ name: "web", image: "i", ports: ports(22) }] })[0]!,
    );
    expect(v?.message).toBe('container "web" exposes the SSH port 22');
  });

  it("does not crash on odd shapes", () => {
    for (const p of ["x", [null], [{ containerPort: "22" }], [{}]]) {
      expect(paths({ containers: [{ name: "c", image: "i", ports: p }] })[0]).toEqual([]);
    }
  });
});
