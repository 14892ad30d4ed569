import { arr, dig, join, rec, str, type Rec } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import { POD_KINDS, type PodView } from "../../engine/pod";
import type { StackIndex } from "../../engine/stack";
import type { KubeObject, Violation } from "../../engine/types";
import { stackControl } from "../define";
import { runtimeCreator } from "../controller-made";

type RefKind = "Secret" | "ConfigMap";

interface Reference {
  readonly kind: RefKind;
  readonly name: string;
  /** The key the reference needs, when it names one. */
  readonly key?: string;
  readonly optional: boolean;
  /** Where the name is written, and where the key is. */
  readonly path: string;
  readonly keyPath?: string;
  /** `container "app" env DB_PASSWORD`, `volume "certs"`. */
  readonly from: string;
}

function refOf(
  kind: RefKind,
  source: Rec | undefined,
  nameField: string,
  path: string,
  from: string,
  out: Reference[],
): void {
  if (source === undefined) return;
  const name = str(source[nameField]);
  if (name === undefined || name === "") return;
  const optional = source["optional"] === true;
  const key = str(source["key"]);
  out.push({
    kind,
    name,
    optional,
    path: join(path, nameField),
    from,
    ...(key !== undefined ? { key, keyPath: join(path, "key") } : {}),
  });
  // Volume items: each named key must exist unless the source is optional.
  arr(source["items"]).forEach((item, j) => {
    const itemKey = str(rec(item)?.["key"]);
    if (itemKey === undefined) return;
    out.push({
      kind,
      name,
      optional,
      key: itemKey,
      path: join(path, nameField),
      keyPath: join(join(join(path, "items"), j), "key"),
      from,
    });
  });
}

/** Every Secret and ConfigMap reference of a pod: env, envFrom, volumes and projected sources. */
export function podReferences(pod: PodView): Reference[] {
  const out: Reference[] = [];
  for (const c of pod.containers) {
    const who = `container ${JSON.stringify(c.name)}`;
    arr(c.container["env"]).forEach((e, i) => {
      const base = join(join(join(c.path, "env"), i), "valueFrom");
      const from = `${who} env ${str(rec(e)?.["name"]) ?? `#${i}`}`;
      refOf("Secret", rec(dig(e, "valueFrom", "secretKeyRef")), "name", join(base, "secretKeyRef"), from, out);
      refOf("ConfigMap", rec(dig(e, "valueFrom", "configMapKeyRef")), "name", join(base, "configMapKeyRef"), from, out);
    });
    arr(c.container["envFrom"]).forEach((e, i) => {
      const base = join(join(c.path, "envFrom"), i);
      refOf("Secret", rec(dig(e, "secretRef")), "name", join(base, "secretRef"), `${who} envFrom`, out);
      refOf("ConfigMap", rec(dig(e, "configMapRef")), "name", join(base, "configMapRef"), `${who} envFrom`, out);
    });
  }
  arr(pod.spec["volumes"]).forEach((v, i) => {
    const base = join(join(pod.specPath, "volumes"), i);
    const from = `volume ${JSON.stringify(str(rec(v)?.["name"]) ?? `#${i}`)}`;
    refOf("Secret", rec(dig(v, "secret")), "secretName", join(base, "secret"), from, out);
    refOf("ConfigMap", rec(dig(v, "configMap")), "name", join(base, "configMap"), from, out);
    arr(dig(v, "projected", "sources")).forEach((s, j) => {
      const sourcePath = join(join(join(base, "projected"), "sources"), j);
      refOf("Secret", rec(dig(s, "secret")), "name", join(sourcePath, "secret"), from, out);
      refOf("ConfigMap", rec(dig(s, "configMap")), "name", join(sourcePath, "configMap"), from, out);
    });
  });
  return out;
}

/** The keys an object declares, or undefined when they cannot be known from the manifest. */
function declaredKeys(object: KubeObject): Set<string> | undefined {
  const fields = object.kind === "Secret" ? ["data", "stringData"] : ["data", "binaryData"];
  // Service-account token Secrets are filled in by the token controller.
  if (object.kind === "Secret" && object["type"] === "kubernetes.io/service-account-token") return undefined;
  const maps = fields.map((f) => object[f]);
  if (maps.every((m) => m === undefined || m === null)) return undefined;
  const keys = new Set<string>();
  for (const m of maps) {
    if (m === undefined || m === null) continue;
    const r = rec(m);
    if (r === undefined) return undefined; // a secret value or an unknown during preview
    for (const k of Object.keys(r)) keys.add(k);
  }
  return keys;
}

function assumed(patterns: readonly string[], namespace: string, name: string): boolean {
  return patterns.some((p) => {
    const slash = p.indexOf("/");
    if (slash < 0) return globMatch(p, name);
    return globMatch(p.slice(0, slash), namespace) && globMatch(p.slice(slash + 1), name);
  });
}

/**
 * Every Secret and ConfigMap a workload references (env, envFrom, volumes, projected volumes)
 * is declared in the same namespace within the set, and holds the keys the references name;
 * otherwise the pod sticks in CreateContainerConfigError or ContainerCreating. References marked
 * `optional: true` are exempt. Manifest sets often use Secrets created elsewhere (an external
 * secrets operator, another stack): list those in assumeExisting. Hence also the low severity.
 * An object the set makes at runtime is passed over: one named by a Job's or an init container's
 * command line (kube-webhook-certgen's --secret-name) or by a custom resource's spec (a
 * Certificate's secretName), in the same namespace (controller-made.ts). A volume cannot come
 * from its own pod's init container (the kubelet mounts volumes before init containers run).
 * A `*Patch` of the object counts as proof it exists in the cluster.
 */
export const secretConfigMapRefsExist = stackControl({
  id: "secret-configmap-refs-exist",
  title: "Referenced Secrets and ConfigMaps exist",
  family: "secrets",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "SEC-006",
    nsaCisa: "Network separation and hardening › Secrets",
  },
  remediation:
    "Declare the Secret or ConfigMap in the workload's namespace (with the referenced keys), mark the reference optional: true, or list objects created elsewhere in assumeExisting.",
  kinds: POD_KINDS,
  config: {
    assumeExisting: {
      type: "array",
      items: { type: "string" },
      description:
        'Secrets and ConfigMaps created outside this set: "name" (any namespace) or "namespace/name", with * and ? wildcards.',
      default: ["kube-root-ca.crt"],
    },
  },
  checkStack(stack: StackIndex, ctx) {
    const assume = configStrings(ctx.config, "assumeExisting");
    const out: Violation[] = [];
    for (const w of stack.workloads) {
      for (const ref of podReferences(w.pod)) {
        if (ref.optional || assumed(assume, w.namespace, ref.name)) continue;
        const found = stack.inNamespace(ref.kind, w.namespace).filter((o) => o.metadata?.name === ref.name);
        if (found.length === 0) {
          const creator = runtimeCreator(stack, w.namespace, ref.name);
          if (creator !== undefined && (creator !== w.object || !ref.path.includes(".volumes["))) continue;
          out.push({
            object: w.object,
            message: `${ref.from} references ${ref.kind} ${JSON.stringify(ref.name)}, which is not declared in namespace ${JSON.stringify(w.namespace)}`,
            path: ref.path,
          });
          continue;
        }
        if (ref.key === undefined) continue;
        const declared = found.find((o) => !stack.isPatch(o));
        const keys = declared !== undefined ? declaredKeys(declared) : undefined;
        if (keys === undefined || keys.has(ref.key)) continue;
        out.push({
          object: w.object,
          message: `${ref.from} references key ${JSON.stringify(ref.key)} of ${ref.kind} ${JSON.stringify(ref.name)}, which it does not hold`,
          path: ref.keyPath ?? ref.path,
        });
      }
    }
    return out;
  },
});
