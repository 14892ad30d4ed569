import { arr, dig, isRecord, join, rec, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/**
 * Secrets reach containers as files, not environment variables: the environment is inherited by
 * every child process, shows in /proc/<pid>/environ, crash dumps and debug endpoints, and cannot be
 * rotated without a restart. Flags env[].valueFrom.secretKeyRef and envFrom[].secretRef in every
 * container (init, regular, ephemeral).
 */
export const secretEnvVars = resourceControl({
  id: "secret-env-vars",
  title: "Secrets mounted as files, not environment variables",
  family: "secrets",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SEC-001",
    nsaCisa: "Network separation and hardening › Secrets",
    cis: "5.4.1",
  },
  remediation:
    "Mount the Secret as a volume (secret or projected) and have the application read the file, instead of env valueFrom.secretKeyRef or envFrom.secretRef.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression:
          "variables.containers.all(c, (!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef))) && " +
          "(!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef))))",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const who = `container ${JSON.stringify(c.name)}`;
      arr(c.container["env"]).forEach((e, i) => {
        const ref = rec(dig(e, "valueFrom", "secretKeyRef"));
        if (ref === undefined) return;
        const name = str(rec(e)?.["name"]) ?? `#${i}`;
        out.push({
          message: `${who} must not read Secret ${JSON.stringify(str(ref["name"]) ?? "")} into env ${name}: mount it as a file`,
          path: join(join(join(join(c.path, "env"), i), "valueFrom"), "secretKeyRef"),
        });
      });
      arr(c.container["envFrom"]).forEach((e, i) => {
        const ref = rec(e)?.["secretRef"];
        if (!isRecord(ref)) return;
        out.push({
          message: `${who} must not load Secret ${JSON.stringify(str(ref["name"]) ?? "")} into its environment (envFrom): mount it as a file`,
          path: join(join(join(c.path, "envFrom"), i), "secretRef"),
        });
      });
    }
    return out;
  },
});
