import { arr, dig, isRecord, join, num, str, strings } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celParamList } from "./metadata-egress";

const UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start";

/**
 * Containers listen on neither the SSH port (22: an SSH daemon in a container is a backdoor
 * beside `kubectl exec`) nor another privileged port below 1024, which needs root or
 * CAP_NET_BIND_SERVICE. A privileged port is fine when the container adds NET_BIND_SERVICE or the
 * pod lowers `net.ipv4.ip_unprivileged_port_start` to it; 22 is reported regardless.
 */
export const networkPrivilegedPorts = resourceControl({
  id: "network-privileged-ports",
  title: "No SSH or privileged container ports",
  family: "network",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NET-015",
  },
  remediation:
    "Listen on a port of 1024 or above (map the Service's port to it) and remove any SSH daemon from the image; use kubectl exec or debug containers instead.",
  kinds: POD_KINDS,
  config: {
    allowedPorts: {
      type: "array",
      items: { type: "integer" },
      description: "Container ports below 1024 (or 22) that are allowed anyway.",
      default: [],
    },
  },
  cel: {
    variables: [
      {
        // The last sysctl entry with a value of 1-5 digits wins, as in the check's loop.
        name: "portStartSysctls",
        expression:
          "has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.sysctls) ? " +
          `variables.podSpec.securityContext.sysctls.filter(s, has(s.name) && s.name == ${JSON.stringify(UNPRIVILEGED_PORT_START)} && has(s.value) && s.value.matches('^[0-9]{1,5}$')) : []`,
      },
      {
        name: "privilegedBelow",
        expression:
          "size(variables.portStartSysctls) > 0 && int(variables.portStartSysctls[size(variables.portStartSysctls) - 1].value) < 1024 ? int(variables.portStartSysctls[size(variables.portStartSysctls) - 1].value) : 1024",
      },
      { name: "allowedPorts", expression: celParamList("allowedPorts") },
    ],
    validations: [
      {
        expression:
          "variables.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.containerPort) || p.containerPort <= 0 || p.containerPort in variables.allowedPorts || " +
          "(p.containerPort != 22 && (p.containerPort >= variables.privilegedBelow || (has(c.securityContext) && has(c.securityContext.capabilities) && " +
          "has(c.securityContext.capabilities.add) && ('NET_BIND_SERVICE' in c.securityContext.capabilities.add || 'CAP_NET_BIND_SERVICE' in c.securityContext.capabilities.add))))))",
        message: "no SSH port 22, nor a privileged port below 1024 without NET_BIND_SERVICE",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const allowed = arr(ctx.config["allowedPorts"]).filter((x): x is number => typeof x === "number");
    let unprivilegedStart = 1024;
    for (const s of arr(dig(pod.securityContext, "sysctls"))) {
      if (isRecord(s) && s["name"] === UNPRIVILEGED_PORT_START) {
        const v = str(s["value"]) ?? "";
        if (/^\d{1,5}$/.test(v)) unprivilegedStart = Number(v);
      }
    }
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const added = strings(dig(c.securityContext, "capabilities", "add"));
      const canBind = added.includes("NET_BIND_SERVICE") || added.includes("CAP_NET_BIND_SERVICE");
      arr(c.container["ports"]).forEach((p, j) => {
        const port = num(dig(p, "containerPort"));
        if (port === undefined || port <= 0 || allowed.includes(port)) return;
        const path = join(join(join(c.path, "ports"), j), "containerPort");
        const who = `container ${JSON.stringify(c.name)}`;
        if (port === 22) {
          out.push({ message: `${who} exposes the SSH port 22`, path });
        } else if (port < Math.min(1024, unprivilegedStart) && !canBind) {
          out.push({
            message: `${who} listens on privileged port ${port}, which needs root or NET_BIND_SERVICE`,
            path,
          });
        }
      });
    }
    return out;
  },
});
