import { arr, join, num, rec } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel } from "./psa";

/**
 * PSS Baseline `hostPorts` (policy 1.0).
 * Restricted field: ctr.ports[*].hostPort. Allowed values: unset, 0.
 */
export const podHostPorts = resourceControl({
  id: "pod-host-ports",
  title: "No hostPort",
  family: "pod-security",
  level: "baseline",
  severity: "medium",
  references: {
    catalog: "POD-010",
    pss: "hostPorts (v1.0)",
    cis: "5.2.13",
  },
  remediation:
    "Remove ports[].hostPort and expose the container through a Service (NodePort or LoadBalancer if it must be reachable from outside).",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression: "variables.containers.all(c, c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0))",
      },
    ],
  },
  check(object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    // The API defaults a hostNetwork Pod's hostPorts to its containerPorts (Pods only since 1.28,
    // not templates), and PodSecurity then sees them: judge the Pod as it will be stored.
    const defaulted = object.kind === "Pod" && pod.spec["hostNetwork"] === true;
    for (const c of pod.containers) {
      arr(c.container["ports"]).forEach((p, i) => {
        const explicit = num(rec(p)?.["hostPort"]);
        const hostPort =
          defaulted && c.type !== "ephemeralContainers" && (explicit === undefined || explicit === 0)
            ? num(rec(p)?.["containerPort"])
            : explicit;
        if (hostPort === undefined || hostPort === 0) return;
        out.push({
          message:
            explicit === hostPort
              ? `${containerLabel(c)} must not use hostPort ${hostPort}`
              : `${containerLabel(c)} must not use hostPort ${hostPort} (hostNetwork makes containerPort ${hostPort} a hostPort)`,
          path: join(join(join(c.path, "ports"), i), "hostPort"),
        });
      });
    }
    return out;
  },
});
