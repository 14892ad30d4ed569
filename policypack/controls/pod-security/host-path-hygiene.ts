import { arr, join, rec, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { canonicalHostPath, containsPath } from "./host-paths";
import { celCanonicalHostPath, celConfigStrings, celContainsPath } from "./runtime-socket";

/** Host directories whose exposure is node compromise: credentials, kernel interfaces, kubelet and runtime state. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  "/",
  "/boot",
  "/dev",
  "/etc",
  "/proc",
  "/root",
  "/sys",
  "/var/lib/kubelet",
  "/var/lib/etcd",
  "/var/lib/docker",
  "/var/lib/containerd",
];

/**
 * Not a PSS check (Baseline forbids every hostPath): the hygiene a hostPath must keep when a
 * workload is exempted from pod-host-path. The path is neither a sensitive directory, nor inside
 * one, nor a parent of one; it lies under a configured allowlist when there is one; every mount
 * of it is read-only and uses no subPath (CVE-2021-25741 symlink escape).
 */
export const podHostPathHygiene = resourceControl({
  id: "pod-host-path-hygiene",
  title: "hostPath exception hygiene (read-only, path allowlist)",
  family: "pod-security",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "POD-009",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Mount only the narrowest non-sensitive host directory the agent needs, with volumeMounts[].readOnly: true and no subPath; list the permitted directories in allowedPaths.",
  kinds: POD_KINDS,
  config: {
    allowedPaths: {
      type: "array",
      items: { type: "string" },
      description:
        "Host directories hostPath volumes may use (the directory or anything under it); empty = any non-sensitive path.",
      default: [],
    },
    sensitivePaths: {
      type: "array",
      items: { type: "string" },
      description: "Host directories that must never be mounted, nor anything under them, nor any parent of them.",
      default: [...SENSITIVE_HOST_PATHS],
    },
  },
  cel: {
    variables: [
      { name: "allowed", expression: `${celConfigStrings("allowedPaths")}.map(a, ${celCanonicalHostPath("a")})` },
      { name: "sensitive", expression: `${celConfigStrings("sensitivePaths")}.map(s, ${celCanonicalHostPath("s")})` },
      {
        name: "hostVolumes",
        expression:
          "variables.podSpec.?volumes.orValue([]).transformList(i, v, has(v.hostPath) && has(v.hostPath.path), v.?name.orValue('#' + string(i)))",
      },
    ],
    validations: [
      {
        expression:
          `variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath) || !has(v.hostPath.path) || [${celCanonicalHostPath("v.hostPath.path")}].all(p, ` +
          `!variables.sensitive.exists(s, (s != '/' && ${celContainsPath("s", "p")}) || ${celContainsPath("p", "s")}) && ` +
          `(size(variables.allowed) == 0 || variables.allowed.exists(a, ${celContainsPath("a", "p")}))))`,
        message: "hostPath volumes must avoid sensitive host paths and stay inside allowedPaths",
      },
      {
        expression:
          "size(variables.hostVolumes) == 0 || variables.containers.all(c, c.?volumeMounts.orValue([]).all(m, !has(m.name) || !(m.name in variables.hostVolumes) || " +
          "(m.?readOnly.orValue(false) == true && m.?subPath.orValue('') == '' && m.?subPathExpr.orValue('') == '')))",
        message: "hostPath volume mounts must be read-only, without subPath or subPathExpr",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const allowed = configStrings(ctx.config, "allowedPaths").map(canonicalHostPath);
    const sensitive = configStrings(ctx.config, "sensitivePaths");
    const out: Violation[] = [];
    const hostVolumes = new Set<string>();
    arr(pod.spec["volumes"]).forEach((v, i) => {
      const volume = rec(v);
      const hostPath = str(rec(volume?.["hostPath"])?.["path"]);
      if (volume === undefined || hostPath === undefined) return;
      const name = str(volume["name"]) ?? `#${i}`;
      hostVolumes.add(name);
      const path = join(join(join(join(pod.specPath, "volumes"), i), "hostPath"), "path");
      const canonical = canonicalHostPath(hostPath);
      const hit = sensitive.find((s) => {
        const c = canonicalHostPath(s);
        // "/" holds everything: it is sensitive itself, not every path under it.
        return (c !== "/" && containsPath(c, canonical)) || containsPath(canonical, c);
      });
      if (hit !== undefined) {
        out.push({
          message: `volume ${JSON.stringify(name)} must not mount ${hostPath}: it exposes the sensitive host path ${hit}`,
          path,
        });
      } else if (allowed.length > 0 && !allowed.some((a) => containsPath(a, canonical))) {
        out.push({ message: `volume ${JSON.stringify(name)} mounts ${hostPath}, which is not in allowedPaths`, path });
      }
    });
    if (hostVolumes.size === 0) return out;
    for (const c of pod.containers) {
      arr(c.container["volumeMounts"]).forEach((m, j) => {
        const mount = rec(m);
        const volumeName = str(mount?.["name"]);
        if (mount === undefined || volumeName === undefined || !hostVolumes.has(volumeName)) return;
        const mountPath = join(join(c.path, "volumeMounts"), j);
        const who = `container ${JSON.stringify(c.name)}`;
        if (mount["readOnly"] !== true) {
          out.push({
            message: `${who} must set volumeMounts[${j}].readOnly=true for hostPath volume ${JSON.stringify(volumeName)}`,
            path: join(mountPath, "readOnly"),
          });
        }
        for (const key of ["subPath", "subPathExpr"]) {
          const sub = str(mount[key]);
          if (sub !== undefined && sub !== "") {
            out.push({
              message: `${who} must not set volumeMounts[${j}].${key} on hostPath volume ${JSON.stringify(volumeName)}`,
              path: join(mountPath, key),
            });
          }
        }
      });
    }
    return out;
  },
});
