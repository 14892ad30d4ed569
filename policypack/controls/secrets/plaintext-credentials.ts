import { arr, join, rec, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { credentialFinding, credentialInText, credentialShape, isReference, namesCredential } from "./credentials";

function dataPath(key: string): string {
  return `data[${JSON.stringify(key)}]`;
}

function checkConfigMap(object: KubeObject): Violation[] {
  const data = rec(object["data"]);
  if (data === undefined) return [];
  const out: Violation[] = [];
  const name = JSON.stringify(str(object.metadata?.name) ?? "");
  for (const [key, raw] of Object.entries(data)) {
    const value = str(raw);
    if (value === undefined) continue;
    const where = `ConfigMap ${name} key ${JSON.stringify(key)}`;
    const shape = credentialShape(value);
    if (shape !== undefined) {
      out.push({ message: `${where} holds what looks like ${shape}: keep it in a Secret`, path: dataPath(key) });
    } else if (!value.includes("\n") && namesCredential(key, value) && !isReference(value)) {
      out.push({
        message: `${where} holds a literal credential (by its name): keep it in a Secret`,
        path: dataPath(key),
      });
    } else {
      const hit = credentialInText(value);
      if (hit !== undefined) {
        out.push({
          message: `${where} line ${hit.line} ${hit.reason} to ${JSON.stringify(hit.key)}: keep it in a Secret`,
          path: dataPath(key),
        });
      }
    }
  }
  return out;
}

/** `--db-password=hunter2`: a flag whose name says credential, with a literal value. */
function flagFinding(arg: string): string | undefined {
  const m = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
  if (m === null) return undefined;
  return namesCredential(m[1] ?? "", m[2] ?? "") && !isReference(m[2] ?? "")
    ? "passes a literal credential (by its flag name)"
    : undefined;
}

/**
 * No credentials in plain configuration: container env values, command and args, and ConfigMap
 * data. A value is flagged when it has a credential's shape, or when its name says credential
 * and it is a non-empty literal rather than a reference (see credentials.ts for the heuristics,
 * tuned to keep false positives low). Secrets go in Secret objects, mounted as files.
 */
export const plaintextCredentials = resourceControl({
  id: "plaintext-credentials",
  title: "No credentials in plain env values or ConfigMaps",
  family: "secrets",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "SEC-002",
    nsaCisa: "Network separation and hardening › Secrets",
  },
  remediation:
    "Move the credential into a Secret (ideally synced from an external secret store), mount it as a file, and rotate it: it has been exposed to whoever can read the manifest.",
  kinds: [...POD_KINDS, "ConfigMap"],
  cel: {
    unsupported:
      "the name heuristics split camelCase and acronyms into words and parse configuration files line by line with captured keys, which CEL's regex library (matches/find, no capture groups or regex replace) cannot mirror exactly",
  },
  check(object, ctx) {
    if (object.kind === "ConfigMap") return checkConfigMap(object);
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const who = `container ${JSON.stringify(c.name)}`;
      arr(c.container["env"]).forEach((e, i) => {
        const env = rec(e);
        const value = str(env?.["value"]);
        if (env === undefined || value === undefined) return;
        const name = str(env["name"]) ?? "";
        const reason = credentialFinding(name, value);
        if (reason === undefined) return;
        out.push({
          message: `${who} env ${name} ${reason}: take it from a Secret`,
          path: join(join(join(c.path, "env"), i), "value"),
        });
      });
      for (const field of ["command", "args"]) {
        arr(c.container[field]).forEach((a, i) => {
          const arg = str(a);
          if (arg === undefined) return;
          const shape = credentialShape(arg);
          const reason = shape !== undefined ? `holds what looks like ${shape}` : flagFinding(arg);
          if (reason === undefined) return;
          out.push({
            message: `${who} ${field}[${i}] ${reason}: read it from a mounted Secret`,
            path: join(join(c.path, field), i),
          });
        });
      }
    }
    return out;
  },
});
