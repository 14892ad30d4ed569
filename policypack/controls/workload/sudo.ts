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
 * The characters JavaScript's `\s` matches, as the body of an RE2 character class (RE2's own `\s`
 * is ASCII only), so CEL splits words exactly where the TypeScript check does.
 */
export const JS_WHITESPACE_RE2 =
  "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/** invokesEscalator as an RE2 search: a whole word whose basename is sudo or doas. */
const SEPARATORS = `${JS_WHITESPACE_RE2};&|()\u0060'"$<>`;
const ESCALATOR_RE2 = `(^|[${SEPARATORS}])([^${SEPARATORS}]*/)?(${[...ESCALATORS].join("|")})([${SEPARATORS}]|$)`;

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
  cel: {
    validations: [
      {
        expression:
          "variables.containers.all(c, " +
          `(!has(c.command) || !c.command.exists(a, a.matches(${JSON.stringify(ESCALATOR_RE2)}))) && ` +
          `(!has(c.args) || !c.args.exists(a, a.matches(${JSON.stringify(ESCALATOR_RE2)}))))`,
        message: "containers must not invoke sudo or doas in command or args",
      },
    ],
  },
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
