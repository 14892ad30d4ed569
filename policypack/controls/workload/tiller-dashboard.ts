import { arr, join, num, rec, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import { parseImageReference } from "../images/image-reference";
import { resourceControl } from "../define";
import { JS_WHITESPACE_RE2 } from "./sudo";

const TILLER_PORT = 44134;
/** Dashboard flags that let anyone in: skip the login page, or log in over plain HTTP. */
const DASHBOARD_FLAGS = ["--enable-skip-login", "--enable-insecure-login"];

/**
 * `--flag` and `--flag=<anything but false>` enable a boolean flag. pflag never reads a boolean's
 * value from the next argument, so `--flag false` is enabled too.
 */
function enablesFlag(arg: string, flag: string): boolean {
  if (arg === flag) return true;
  if (!arg.startsWith(`${flag}=`)) return false;
  return !["false", "0", "f"].includes(arg.slice(flag.length + 1).toLowerCase());
}

/** Tiller's Service is `tiller-deploy` (helm init) or any name with a `tiller` word. */
const TILLER_NAME = /(^|[-.])tiller([-.]|$)/;

function checkService(service: KubeObject): Violation[] {
  const out: Violation[] = [];
  const name = str(service.metadata?.name) ?? "";
  const selector = rec(rec(service["spec"])?.["selector"]) ?? {};
  if (TILLER_NAME.test(name) || (selector["app"] === "helm" && selector["name"] === "tiller")) {
    out.push({ message: `Service ${JSON.stringify(name)} exposes Tiller (Helm v2): delete it`, path: "metadata.name" });
    return out;
  }
  arr(rec(service["spec"])?.["ports"]).forEach((p, i) => {
    const port = rec(p);
    if (num(port?.["port"]) !== TILLER_PORT && num(port?.["targetPort"]) !== TILLER_PORT) return;
    out.push({
      message: `Service ${JSON.stringify(name)} exposes the Tiller (Helm v2) gRPC port ${TILLER_PORT}: delete it`,
      path: `spec.ports[${i}]`,
    });
  });
  return out;
}

// CEL forms. An image runs Tiller when it parses as a reference (parseImageReference) whose last
// repository component is `tiller`: the first path component is a registry (and must be a domain)
// when it holds a dot or a colon, is localhost or has upper-case letters, and the name before tag
// and digest is at most 255 characters.
const PATH_COMPONENT_RE2 = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_COMPONENT_RE2 = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_RE2 = `(?:${DOMAIN_COMPONENT_RE2}(?:\\.${DOMAIN_COMPONENT_RE2})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE_SUFFIX_RE2 =
  "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$";
const REGISTRY_FIRST_RE2 = "^(?:localhost|[^/@]*[.:A-Z][^/@]*)/";
const TILLER_IN_REGISTRY_RE2 = `^${DOMAIN_RE2}/(?:${PATH_COMPONENT_RE2}/)*tiller${REFERENCE_SUFFIX_RE2}`;
const TILLER_ON_HUB_RE2 = `^(?:${PATH_COMPONENT_RE2}/)*tiller${REFERENCE_SUFFIX_RE2}`;

function celTillerImage(image: string): string {
  const name = `${image}.split('@')[0]`;
  return (
    `((${image}.matches(${JSON.stringify(REGISTRY_FIRST_RE2)}) ? ${image}.matches(${JSON.stringify(TILLER_IN_REGISTRY_RE2)}) : ${image}.matches(${JSON.stringify(TILLER_ON_HUB_RE2)})) && ` +
    `[${name}].all(r, (r.lastIndexOf(':') > r.lastIndexOf('/') ? r.lastIndexOf(':') : size(r)) <= 255))`
  );
}

/** A word (split on JavaScript whitespace and quotes) that enables the flag (enablesFlag). */
function celEnablesFlag(text: string, flag: string): string {
  const bare = `(^|[${JS_WHITESPACE_RE2}'"])${flag}([${JS_WHITESPACE_RE2}'"]|$)`;
  const valued = `(^|[${JS_WHITESPACE_RE2}'"])${flag}=[^${JS_WHITESPACE_RE2}'"]*`;
  return (
    `(${text}.matches(${JSON.stringify(bare)}) || ` +
    `${text}.findAll(${JSON.stringify(valued)}).exists(m, !(m.substring(m.indexOf('=') + 1).lowerAscii() in ['false', '0', 'f'])))`
  );
}

const TILLER_SERVICE_CEL =
  `!((has(object.metadata.name) ? object.metadata.name : '').matches(${JSON.stringify(TILLER_NAME.source)}) || ` +
  "(has(object.spec.selector) && 'app' in object.spec.selector && object.spec.selector['app'] == 'helm' && 'name' in object.spec.selector && object.spec.selector['name'] == 'tiller')) && " +
  `(!has(object.spec.ports) || object.spec.ports.all(p, !(has(p.port) && type(p.port) == int && p.port == ${TILLER_PORT}) && !(has(p.targetPort) && type(p.targetPort) == int && p.targetPort == ${TILLER_PORT})))`;

const DASHBOARD_CEL = ["command", "args"]
  .map(
    (field) =>
      `(!has(c.${field}) || !c.${field}.exists(a, ${DASHBOARD_FLAGS.map((f) => celEnablesFlag("a", f)).join(" || ")}))`,
  )
  .join(" && ");

/**
 * Two components that hand out the cluster: Tiller, Helm v2's in-cluster server (unauthenticated
 * gRPC with cluster-admin rights, removed with Helm 3), recognised by its image or its Service; and
 * a Kubernetes Dashboard started with --enable-skip-login or --enable-insecure-login, which lets
 * anyone reach it with the dashboard's own service account.
 */
export const tillerAndDashboardSkipLogin = resourceControl({
  id: "tiller-and-dashboard-skip-login",
  title: "No Tiller, no Dashboard without login",
  family: "workload",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "OPS-003",
    nsaCisa: "Upgrading and application security practices",
  },
  remediation:
    "Remove Tiller (migrate to Helm 3) and its Service; run the Kubernetes Dashboard without --enable-skip-login and --enable-insecure-login, behind authentication.",
  kinds: [...POD_KINDS, "Service"],
  cel: {
    validations: [
      {
        expression: `object.kind == 'Service' ? (${TILLER_SERVICE_CEL}) : variables.containers.all(c, !(has(c.image) && ${celTillerImage("c.image")}) && ${DASHBOARD_CEL})`,
        message: "no Tiller (image or Service), no Dashboard with --enable-skip-login or --enable-insecure-login",
      },
    ],
  },
  check(object, ctx) {
    if (object.kind === "Service") return checkService(object);
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const who = `container ${JSON.stringify(c.name)}`;
      const ref = parseImageReference(str(c.container["image"]) ?? "");
      if (ref !== undefined && ref.repository.split("/").pop() === "tiller") {
        out.push({ message: `${who} runs Tiller (Helm v2): remove it`, path: join(c.path, "image") });
      }
      for (const field of ["command", "args"]) {
        arr(c.container[field]).forEach((arg, i) => {
          const text = str(arg) ?? "";
          // A shell string (`sh -c "/dashboard --enable-skip-login"`) holds several words.
          const words = text.split(/[\s'"]+/);
          const flag = DASHBOARD_FLAGS.find((f) => words.some((w) => enablesFlag(w, f)));
          if (flag === undefined) return;
          out.push({ message: `${who} must not run with ${flag}`, path: join(join(c.path, field), i) });
        });
      }
    }
    return out;
  },
});
