import { join, rec, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel } from "./psa";

const HANDLERS: readonly (readonly string[])[] = [
  ["livenessProbe"],
  ["readinessProbe"],
  ["startupProbe"],
  ["lifecycle", "postStart"],
  ["lifecycle", "preStop"],
];

/**
 * PSS Baseline `hostProbesAndHostLifecycle` (policy 1.34, KEP-4940): the kubelet sends probe and
 * lifecycle requests, so a `host` there makes the node call an arbitrary address.
 * Restricted fields: ctr.{liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host and
 * ctr.lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host (tcpSocket handlers are deprecated
 * but still checked). Allowed values: unset, "".
 */
export const podHostProbes = resourceControl({
  id: "pod-host-probes",
  title: "No host in probes or lifecycle handlers",
  family: "pod-security",
  level: "baseline",
  severity: "medium",
  references: {
    catalog: "POD-011",
    pss: "hostProbesAndHostLifecycle (v1.34)",
  },
  remediation:
    "Remove host from httpGet/tcpSocket probes and lifecycle handlers so the kubelet targets the pod's own IP; use an httpHeaders Host header for virtual hosts.",
  kinds: POD_KINDS,
  minPolicyVersion: 34,
  cel: {
    validations: [
      {
        expression: `variables.containers.all(c, ${HANDLERS.flatMap((handler) =>
          ["httpGet", "tcpSocket"].map(
            (action) => `c.${[...handler, action, "host"].map((k) => `?${k}`).join(".")}.orValue('') == ''`,
          ),
        ).join(" && ")})`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    if (pod === undefined || ctx.policyVersion < 34) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      for (const handlerPath of HANDLERS) {
        let handler: unknown = c.container;
        for (const key of handlerPath) handler = rec(handler)?.[key];
        for (const action of ["httpGet", "tcpSocket"]) {
          const host = str(rec(rec(handler)?.[action])?.["host"]);
          if (host === undefined || host === "") continue;
          out.push({
            message: `${containerLabel(c)} must not set ${[...handlerPath, action].join(".")}.host (${JSON.stringify(host)})`,
            path: join([...handlerPath, action].reduce(join, c.path), "host"),
          });
        }
      }
    }
    return out;
  },
});
