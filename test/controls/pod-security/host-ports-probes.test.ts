import { podHostPorts } from "../../../policypack/controls/pod-security/host-ports";
import { podHostProbes } from "../../../policypack/controls/pod-security/host-probes";
import { expectPathsInEveryKind, messages } from "./support";

describe("pod-host-ports", () => {
  it.each([
    ["no ports", { containers: [{ name: "a", image: "x" }] }, []],
    ["containerPort only", { containers: [{ name: "a", image: "x", ports: [{ containerPort: 80 }] }] }, []],
    ["hostPort 0", { containers: [{ name: "a", image: "x", ports: [{ containerPort: 80, hostPort: 0 }] }] }, []],
    [
      "hostPort 1",
      { containers: [{ name: "a", image: "x", ports: [{ containerPort: 80, hostPort: 1 }] }] },
      ["spec.containers[0].ports[0].hostPort"],
    ],
    [
      "second port of an init container",
      {
        initContainers: [
          { name: "i", image: "x", ports: [{ containerPort: 1 }, { containerPort: 2, hostPort: 65535 }] },
        ],
        containers: [{ name: "a", image: "x" }],
      },
      ["spec.initContainers[0].ports[1].hostPort"],
    ],
    [
      "ephemeral container",
      {
        containers: [{ name: "a", image: "x" }],
        ephemeralContainers: [{ name: "e", image: "x", ports: [{ containerPort: 1, hostPort: 9 }] }],
      },
      ["spec.ephemeralContainers[0].ports[0].hostPort"],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podHostPorts, spec, expected);
  });

  it("names the container and the port", () => {
    expect(
      messages(podHostPorts, {
        containers: [{ name: "web", image: "x", ports: [{ containerPort: 80, hostPort: 8080 }] }],
      }),
    ).toEqual(['container "web" must not use hostPort 8080']);
  });
});

describe("pod-host-probes", () => {
  const c = (extra: Record<string, unknown>) => ({ containers: [{ name: "a", image: "x", ...extra }] });
  const P = "spec.containers[0]";

  it.each([
    ["no probes", c({}), []],
    ["httpGet without host", c({ livenessProbe: { httpGet: { port: 80 } } }), []],
    ["empty host", c({ readinessProbe: { httpGet: { host: "", port: 80 } } }), []],
    ["exec probe", c({ livenessProbe: { exec: { command: ["true"] } } }), []],
    [
      "liveness httpGet host",
      c({ livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } }),
      [`${P}.livenessProbe.httpGet.host`],
    ],
    [
      "readiness tcpSocket host",
      c({ readinessProbe: { tcpSocket: { host: "db", port: 1 } } }),
      [`${P}.readinessProbe.tcpSocket.host`],
    ],
    [
      "startup httpGet localhost",
      c({ startupProbe: { httpGet: { host: "127.0.0.1", port: 1 } } }),
      [`${P}.startupProbe.httpGet.host`],
    ],
    [
      "postStart httpGet host",
      c({ lifecycle: { postStart: { httpGet: { host: "h", port: 1 } } } }),
      [`${P}.lifecycle.postStart.httpGet.host`],
    ],
    [
      "preStop tcpSocket host",
      c({ lifecycle: { preStop: { tcpSocket: { host: "h", port: 1 } } } }),
      [`${P}.lifecycle.preStop.tcpSocket.host`],
    ],
    [
      "init container probe",
      {
        initContainers: [{ name: "i", image: "x", startupProbe: { tcpSocket: { host: "h", port: 1 } } }],
        containers: [{ name: "a", image: "x" }],
      },
      ["spec.initContainers[0].startupProbe.tcpSocket.host"],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podHostProbes, spec, expected);
  });

  it("exists from policy 1.34", () => {
    expect(podHostProbes.minPolicyVersion).toBe(34);
  });

  it("names the handler and the host", () => {
    expect(messages(podHostProbes, c({ livenessProbe: { httpGet: { host: "169.254.169.254", port: 80 } } }))).toEqual([
      'container "a" must not set livenessProbe.httpGet.host ("169.254.169.254")',
    ]);
  });
});
