import { arr, join, rec, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { canonicalHostPath, containsPath } from "./host-paths";

/** Container runtime API endpoints: whoever reaches one can start a privileged container on the node. */
export const RUNTIME_SOCKETS: readonly string[] = [
  "/var/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/run/containerd/containerd.sock.ttrpc",
  "/var/run/crio/crio.sock",
  "/var/run/cri-dockerd.sock",
  "/var/run/dockershim.sock",
  "/run/podman/podman.sock",
  "/run/k3s/containerd/containerd.sock",
  "/run/k0s/containerd.sock",
  "/run/buildkit/buildkitd.sock",
  "/var/snap/microk8s/common/run/containerd.sock",
  "\\\\.\\pipe\\docker_engine",
  "\\\\.\\pipe\\containerd-containerd",
];

/**
 * Not a PSS check (Baseline subsumes it under hostPathVolumes), kept separate so that it still
 * holds for workloads exempted from pod-host-path: mounting the runtime socket is node takeover.
 * A hostPath is flagged when it is a runtime socket or a directory that contains one (/run,
 * /var/run, /var, /), however it is spelled.
 */
export const podRuntimeSocket = resourceControl({
  id: "pod-runtime-socket",
  title: "No container-runtime socket mounts",
  family: "pod-security",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "POD-008",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Do not mount the container runtime socket or a directory that contains it; build images with a rootless builder (BuildKit rootless, kaniko) and read node data through the Kubernetes API.",
  kinds: POD_KINDS,
  config: {
    extraSocketPaths: {
      type: "array",
      items: { type: "string" },
      description: "Further runtime or agent socket paths to protect (their parent directories are protected too).",
      default: [],
    },
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const sockets = [...RUNTIME_SOCKETS, ...configStrings(ctx.config, "extraSocketPaths")].map((s) => ({
      shown: s,
      canonical: canonicalHostPath(s),
    }));
    const out: Violation[] = [];
    arr(pod.spec["volumes"]).forEach((v, i) => {
      const volume = rec(v);
      const hostPath = str(rec(volume?.["hostPath"])?.["path"]);
      if (volume === undefined || hostPath === undefined) return;
      const canonical = canonicalHostPath(hostPath);
      const hit = sockets.find((s) => containsPath(canonical, s.canonical));
      if (hit === undefined) return;
      const name = JSON.stringify(str(volume["name"]) ?? `#${i}`);
      out.push({
        message:
          canonical === hit.canonical
            ? `volume ${name} must not mount the container runtime socket ${hostPath}`
            : `volume ${name} must not mount ${hostPath}: it contains the container runtime socket ${hit.shown}`,
        path: join(join(join(join(pod.specPath, "volumes"), i), "hostPath"), "path"),
      });
    });
    return out;
  },
});
