import fc from "fast-check";
import { canonicalHostPath, containsPath } from "../../../policypack/controls/pod-security/host-paths";
import { podHostPath } from "../../../policypack/controls/pod-security/host-path";
import { podHostPathHygiene } from "../../../policypack/controls/pod-security/host-path-hygiene";
import { podRuntimeSocket } from "../../../policypack/controls/pod-security/runtime-socket";
import { podVolumeTypes, RESTRICTED_VOLUME_SOURCES } from "../../../policypack/controls/pod-security/volume-types";
import { pod, runControl } from "../../helpers/objects";
import { expectPathsInEveryKind, messages } from "./support";

const app = { name: "app", image: "x" };
const hostVolume = (path: string, name = "h") => ({ name, hostPath: { path } });

describe("host path arithmetic", () => {
  it.each([
    ["/var/run/docker.sock", "/run/docker.sock"],
    ["/var/run/", "/run"],
    ["/var/run", "/run"],
    ["//var//run/../run/./docker.sock", "/run/docker.sock"],
    ["/", "/"],
    ["/var/runner", "/var/runner"],
    ["//./pipe/docker_engine", "\\\\.\\pipe\\docker_engine"],
    ["\\\\.\\PIPE\\Docker_Engine", "\\\\.\\pipe\\docker_engine"],
  ])("%s → %s", (input, canonical) => {
    expect(canonicalHostPath(input)).toBe(canonical);
  });

  it("contains a path in itself and its ancestors only", () => {
    expect(containsPath("/run", "/run/docker.sock")).toBe(true);
    expect(containsPath("/", "/run/docker.sock")).toBe(true);
    expect(containsPath("/run/docker.sock", "/run/docker.sock")).toBe(true);
    expect(containsPath("/ru", "/run/docker.sock")).toBe(false);
    expect(containsPath("/run/docker.sock", "/run")).toBe(false);
  });
});

describe("pod-host-path", () => {
  it.each([
    ["no volumes", { containers: [app] }, []],
    ["emptyDir", { containers: [app], volumes: [{ name: "e", emptyDir: {} }] }, []],
    [
      "hostPath",
      { containers: [app], volumes: [{ name: "e", emptyDir: {} }, hostVolume("/data")] },
      ["spec.volumes[1].hostPath"],
    ],
    ["hostPath null is unset", { containers: [app], volumes: [{ name: "h", hostPath: null }] }, []],
    [
      "empty hostPath object",
      { containers: [app], volumes: [{ name: "h", hostPath: {} }] },
      ["spec.volumes[0].hostPath"],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podHostPath, spec, expected);
  });
});

describe("pod-volume-types", () => {
  it.each([...RESTRICTED_VOLUME_SOURCES])("allows %s", (source) => {
    expectPathsInEveryKind(podVolumeTypes, { containers: [app], volumes: [{ name: "v", [source]: {} }] }, []);
  });

  it.each([
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "portworxVolume",
    "photonPersistentDisk",
    "scaleIO",
    "storageos",
    "someFutureVolume",
  ])("forbids %s", (source) => {
    expectPathsInEveryKind(podVolumeTypes, { containers: [app], volumes: [{ name: "v", [source]: {} }] }, [
      `spec.volumes[0].${source}`,
    ]);
  });

  it("passes a volume with no source (the API server defaults it to emptyDir)", () => {
    expectPathsInEveryKind(
      podVolumeTypes,
      { containers: [app], volumes: [{ name: "v" }, { name: "w", nfs: null }] },
      [],
    );
  });

  it("names the volume and the type", () => {
    expect(messages(podVolumeTypes, { containers: [app], volumes: [hostVolume("/x", "logs")] })).toEqual([
      'volume "logs" uses restricted volume type "hostPath" (the node\'s filesystem: what pod-host-path forbids at Baseline)',
    ]);
  });

  it("never makes what it overrides look smaller (issue 12: severity and references kept)", () => {
    expect(podVolumeTypes.severity).toBe(podHostPath.severity);
    expect(podVolumeTypes.references.cis).toBe(podHostPath.references.cis);
  });

  it("overrides pod-host-path", () => {
    expect(podVolumeTypes.overrides).toEqual([podHostPath.id]);
  });
});

describe("pod-runtime-socket", () => {
  it.each([
    ["/var/run/docker.sock", true],
    ["/run/docker.sock", true],
    ["/var/run/docker.sock/", true],
    ["/run/containerd/containerd.sock", true],
    ["/var/run/containerd/containerd.sock", true],
    ["/run/containerd", true],
    ["/var/run/crio/crio.sock", true],
    ["/run/crio", true],
    ["/var/run/cri-dockerd.sock", true],
    ["/run/k3s/containerd/containerd.sock", true],
    ["/var/run", true],
    ["/run", true],
    ["/var", true],
    ["/", true],
    ["/var//run/./docker.sock", true],
    ["//./pipe/docker_engine", true],
    ["\\\\.\\pipe\\containerd-containerd", true],
    ["/var/log", false],
    ["/run/flannel", false],
    ["/var/runner/docker.sock", false],
    ["/data", false],
  ])("%s → %s", (path, flagged) => {
    expectPathsInEveryKind(
      podRuntimeSocket,
      { containers: [app], volumes: [hostVolume(path)] },
      flagged ? ["spec.volumes[0].hostPath.path"] : [],
    );
  });

  it("takes extra socket paths (and protects their parents)", () => {
    const spec = { containers: [app], volumes: [hostVolume("/opt/agent")] };
    expectPathsInEveryKind(podRuntimeSocket, spec, ["spec.volumes[0].hostPath.path"], {
      config: { extraSocketPaths: ["/opt/agent/agent.sock"] },
    });
  });

  it("explains a parent-directory mount", () => {
    expect(messages(podRuntimeSocket, { containers: [app], volumes: [hostVolume("/var/run", "run")] })).toEqual([
      'volume "run" must not mount /var/run: it contains the container runtime socket /var/run/docker.sock',
    ]);
  });

  it("still holds when the workload is exempted from pod-host-path", () => {
    expect(podRuntimeSocket.level).toBe("hardened");
    expect(podRuntimeSocket.id).not.toBe(podHostPath.id);
  });

  it("flags every spelling of a socket path or its parents", () => {
    const segments = ["var", "run", "containerd", "containerd.sock"];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.boolean(), (n, doubled, trailing) => {
        const sep = doubled ? "//" : "/";
        const path = `${sep}${segments.slice(0, n).join(sep)}${trailing && n > 0 ? "/" : ""}`;
        expect(runControl(podRuntimeSocket, pod({ containers: [app], volumes: [hostVolume(path)] })).length).toBe(1);
      }),
    );
  });
});

describe("pod-host-path-hygiene", () => {
  const mounted = (volumeMount: Record<string, unknown>, path = "/var/log/app") => ({
    containers: [{ ...app, volumeMounts: [{ name: "h", mountPath: "/host", ...volumeMount }] }],
    volumes: [hostVolume(path)],
  });

  it.each([
    ["read-only mount of a plain directory", mounted({ readOnly: true }), []],
    ["writable mount", mounted({}), ["spec.containers[0].volumeMounts[0].readOnly"]],
    ["readOnly false", mounted({ readOnly: false }), ["spec.containers[0].volumeMounts[0].readOnly"]],
    ["subPath", mounted({ readOnly: true, subPath: "x" }), ["spec.containers[0].volumeMounts[0].subPath"]],
    [
      "subPathExpr",
      mounted({ readOnly: true, subPathExpr: "$(POD)" }),
      ["spec.containers[0].volumeMounts[0].subPathExpr"],
    ],
    ["empty subPath", mounted({ readOnly: true, subPath: "" }), []],
    ["/etc", mounted({ readOnly: true }, "/etc"), ["spec.volumes[0].hostPath.path"]],
    ["/etc/ssl (under a sensitive path)", mounted({ readOnly: true }, "/etc/ssl"), ["spec.volumes[0].hostPath.path"]],
    [
      "/var/lib (a parent of /var/lib/kubelet)",
      mounted({ readOnly: true }, "/var/lib"),
      ["spec.volumes[0].hostPath.path"],
    ],
    ["/", mounted({ readOnly: true }, "/"), ["spec.volumes[0].hostPath.path"]],
    ["/proc/../etc", mounted({ readOnly: true }, "/proc/../etc"), ["spec.volumes[0].hostPath.path"]],
    ["/etcd is not /etc", mounted({ readOnly: true }, "/etcd"), []],
    [
      "a non-hostPath volume is not inspected",
      {
        containers: [{ ...app, volumeMounts: [{ name: "e", mountPath: "/e" }] }],
        volumes: [{ name: "e", emptyDir: {} }],
      },
      [],
    ],
    [
      "init container mounts too",
      {
        initContainers: [{ ...app, name: "init", volumeMounts: [{ name: "h", mountPath: "/h" }] }],
        containers: [app],
        volumes: [hostVolume("/var/log")],
      },
      ["spec.initContainers[0].volumeMounts[0].readOnly"],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podHostPathHygiene, spec, expected);
  });

  it.each([
    ["/var/log/app", []],
    ["/var/log", []],
    ["/var/lib/app", ["spec.volumes[0].hostPath.path"]],
  ] as const)("with allowedPaths [/var/log]: %s", (path, expected) => {
    expectPathsInEveryKind(podHostPathHygiene, mounted({ readOnly: true }, path), expected, {
      config: { allowedPaths: ["/var/log"] },
    });
  });

  it("lets the sensitive list be replaced", () => {
    expectPathsInEveryKind(podHostPathHygiene, mounted({ readOnly: true }, "/etc"), [], {
      config: { sensitivePaths: ["/srv"] },
    });
  });
});
