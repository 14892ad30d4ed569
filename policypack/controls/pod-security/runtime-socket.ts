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

/** RE2 class body of the whitespace JavaScript's String.prototype.trim removes (WhiteSpace, LineTerminator). */
const JS_TRIM_SPACE =
  "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
/** The trimmed string as the first match (`find`): from the first non-space to the last. */
const TRIMMED = `[^${JS_TRIM_SPACE}](?s:.*[^${JS_TRIM_SPACE}])?`;
/** host-paths.ts's PIPE in RE2 (its /i only folds the ASCII letters of "pipe"). */
const PIPE = "^(\\\\\\\\|//)\\.(\\\\|/)[pP][iI][pP][eE](\\\\|/)";

/**
 * canonicalHostPath (host-paths.ts) in CEL, of the string expression `path`: trim, then
 * posix.normalize (empty and `.` segments dropped, each `..` removing the nearest segment before it
 * that it can pair with, as a bracket match over prefix balances, kept only in relative paths when
 * nothing is left to remove), trailing slash dropped, /var/run folded onto /run. Windows pipe names
 * get backslashes and lower case (CEL's lowerAscii, plus the Kelvin sign, the one non-ASCII letter
 * JavaScript lower-cases to ASCII).
 */
export function celCanonicalHostPath(path: string): string {
  const normalized =
    `[hpr.find(${JSON.stringify(TRIMMED)})].map(hpt, ` +
    "[hpt.split('/').filter(hpx, hpx != '' && hpx != '.')].map(hps, " +
    "[lists.range(size(hps) + 1).map(hpk, 2 * size(hps.slice(0, hpk).filter(hpx, hpx == '..')) - hpk)].map(hpb, " +
    "[lists.range(size(hps)).filter(hpi, hps[hpi] == '..' ? " +
    "(!hpt.startsWith('/') && lists.range(hpi + 1).all(hpk, hpb[hpi + 1] - hpb[hpk] >= 1)) : " +
    "!lists.range(size(hps)).exists(hpj, hpj > hpi && hpb[hpj + 1] - hpb[hpi + 1] >= 1)).map(hpi, hps[hpi])].map(hpkept, " +
    "[hpt.startsWith('/') ? '/' + hpkept.join('/') : (size(hpkept) == 0 ? '.' : hpkept.join('/'))].map(hpn, " +
    "hpn == '/var/run' || hpn.startsWith('/var/run/') ? '/run' + hpn.substring(8) : hpn)[0])[0])[0])[0])[0]";
  return (
    `[${path}].map(hpr, hpr.matches(${JSON.stringify(PIPE)}) ? ` +
    `hpr.replace(${JSON.stringify("\u212A")}, 'k').replace('/', ${JSON.stringify("\\")}).lowerAscii() : ${normalized})[0]`
  );
}

/** containsPath (host-paths.ts) in CEL, of two canonical string expressions. */
export function celContainsPath(dir: string, path: string): string {
  return `(${dir} == ${path} || (${dir}.startsWith('/') && ${path}.startsWith('/') && (${dir} == '/' || ${path}.startsWith(${dir} + '/'))))`;
}

/** The strings of a list setting, as configStrings reads it. */
export function celConfigStrings(name: string): string {
  return `[params.spec.?${name}.orValue([])].map(l, type(l) == list ? l.filter(x, type(x) == string) : [])[0]`;
}

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
  cel: {
    variables: [
      {
        name: "sockets",
        expression: `${JSON.stringify(RUNTIME_SOCKETS.map(canonicalHostPath))} + ${celConfigStrings("extraSocketPaths")}.map(s, ${celCanonicalHostPath("s")})`,
      },
    ],
    validations: [
      {
        expression: `variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath) || !has(v.hostPath.path) || [${celCanonicalHostPath("v.hostPath.path")}].all(p, !variables.sockets.exists(s, ${celContainsPath("p", "s")})))`,
      },
    ],
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
