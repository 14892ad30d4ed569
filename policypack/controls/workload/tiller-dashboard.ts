import { arr, join, num, rec, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import { parseImageReference } from "../images/image-reference";
import { resourceControl } from "../define";

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
