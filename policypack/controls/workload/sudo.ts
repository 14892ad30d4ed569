import { arr, join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/** Privilege-raising commands: sudo, and doas, its BSD-born twin. */
const ESCALATORS = new Set(["sudo", "doas"]);

/**
 * Words of a command element: shells run strings like `sh -c "apt-get update && sudo …"`, so an
 * element is split on whitespace and shell punctuation, and a word counts by its basename
 * (`/usr/bin/sudo`).
 */
function invokesEscalator(element: string): string | undefined {
  for (const word of element.split(/[\s;&|()`'"$<>]+/)) {
    const base = word.slice(word.lastIndexOf("/") + 1);
    if (ESCALATORS.has(base)) return base;
  }
  return undefined;
}

/**
 * No container command or args (init, regular, ephemeral) invoke sudo: a container that needs it
 * runs as a user who can become root through a setuid binary, which is privilege escalation by
 * design (and is blocked by allowPrivilegeEscalation=false anyway).
 */
export const containerSudo = resourceControl({
  id: "container-sudo",
  title: "No sudo in the entrypoint",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "OPS-006",
    nsaCisa: 'Kubernetes Pod security › "Non-root" containers and "rootless" container engines',
  },
  remediation:
    "Do the privileged steps at image build time, or in an init container with only the capabilities it needs, and run the main process as its own non-root user without sudo.",
  kinds: POD_KINDS,
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      for (const field of ["command", "args"]) {
        arr(c.container[field]).forEach((element, i) => {
          const found = invokesEscalator(str(element) ?? "");
          if (found === undefined) return;
          out.push({
            message: `container ${JSON.stringify(c.name)} must not invoke ${found} in ${field}`,
            path: join(join(c.path, field), i),
          });
        });
      }
    }
    return out;
  },
});
