/**
 * Type checks of the fields controls read. A manifest with `containers: "x"` is an input
 * error that names the field, never a silent pass and never a crash inside a control.
 */
import type { PodView } from "./pod";
import type { KubeObject } from "./types";

export interface ShapeError {
  readonly path: string;
  readonly message: string;
}

type Expect = "object" | "array" | "string" | "boolean" | "number" | "integer";

function typeName(v: unknown): string {
  return Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
}

function matches(v: unknown, e: Expect): boolean {
  switch (e) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return Number.isInteger(v);
    default:
      return typeof v === e;
  }
}

/** A field spec: the expected type, and for objects/arrays what their children must be. */
interface Spec {
  readonly type: Expect;
  readonly fields?: Readonly<Record<string, Spec>>;
  readonly items?: Spec;
  /** For objects used as string maps (labels, annotations). */
  readonly values?: Spec;
  /** `fields` as [name, spec] pairs, computed once. */
  readonly entries?: readonly (readonly [string, Spec])[];
}

const S = (type: Expect, more: Omit<Spec, "type" | "entries"> = {}): Spec => ({
  type,
  ...more,
  ...(more.fields !== undefined ? { entries: Object.entries(more.fields) } : {}),
});
const STRING_MAP = S("object", { values: S("string") });
const STRINGS = S("array", { items: S("string") });

const seLinux = S("object", {
  fields: { type: S("string"), user: S("string"), role: S("string"), level: S("string") },
});
const seccomp = S("object", { fields: { type: S("string"), localhostProfile: S("string") } });
const appArmor = S("object", { fields: { type: S("string"), localhostProfile: S("string") } });
const windows = S("object", { fields: { hostProcess: S("boolean"), runAsUserName: S("string") } });
const handler = S("object", {
  fields: {
    httpGet: S("object", { fields: { host: S("string") } }),
    tcpSocket: S("object", { fields: { host: S("string") } }),
  },
});
const containerSecurityContext = S("object", {
  fields: {
    privileged: S("boolean"),
    allowPrivilegeEscalation: S("boolean"),
    runAsNonRoot: S("boolean"),
    runAsUser: S("integer"),
    runAsGroup: S("integer"),
    readOnlyRootFilesystem: S("boolean"),
    procMount: S("string"),
    capabilities: S("object", { fields: { add: STRINGS, drop: STRINGS } }),
    seLinuxOptions: seLinux,
    seccompProfile: seccomp,
    appArmorProfile: appArmor,
    windowsOptions: windows,
  },
});
const resources = S("object", { fields: { limits: S("object"), requests: S("object") } });
const container = S("object", {
  fields: {
    name: S("string"),
    image: S("string"),
    imagePullPolicy: S("string"),
    command: STRINGS,
    args: STRINGS,
    securityContext: containerSecurityContext,
    resources,
    ports: S("array", { items: S("object", { fields: { containerPort: S("integer"), hostPort: S("integer") } }) }),
    env: S("array", { items: S("object", { fields: { name: S("string"), valueFrom: S("object") } }) }),
    envFrom: S("array", { items: S("object") }),
    volumeMounts: S("array", {
      items: S("object", { fields: { name: S("string"), readOnly: S("boolean"), subPath: S("string") } }),
    }),
    livenessProbe: handler,
    readinessProbe: handler,
    startupProbe: handler,
    lifecycle: S("object", { fields: { postStart: handler, preStop: handler } }),
  },
});
const podSpec = S("object", {
  fields: {
    containers: S("array", { items: container }),
    initContainers: S("array", { items: container }),
    ephemeralContainers: S("array", { items: container }),
    hostNetwork: S("boolean"),
    hostPID: S("boolean"),
    hostIPC: S("boolean"),
    hostUsers: S("boolean"),
    shareProcessNamespace: S("boolean"),
    automountServiceAccountToken: S("boolean"),
    serviceAccountName: S("string"),
    serviceAccount: S("string"),
    runtimeClassName: S("string"),
    priorityClassName: S("string"),
    os: S("object", { fields: { name: S("string") } }),
    volumes: S("array", {
      items: S("object", { fields: { name: S("string"), hostPath: S("object", { fields: { path: S("string") } }) } }),
    }),
    securityContext: S("object", {
      fields: {
        runAsNonRoot: S("boolean"),
        runAsUser: S("integer"),
        runAsGroup: S("integer"),
        fsGroup: S("integer"),
        supplementalGroups: S("array", { items: S("integer") }),
        sysctls: S("array", { items: S("object", { fields: { name: S("string"), value: S("string") } }) }),
        seLinuxOptions: seLinux,
        seccompProfile: seccomp,
        appArmorProfile: appArmor,
        windowsOptions: windows,
      },
    }),
    tolerations: S("array", { items: S("object") }),
    nodeSelector: STRING_MAP,
  },
});
const metadata = S("object", {
  fields: { name: S("string"), namespace: S("string"), labels: STRING_MAP, annotations: STRING_MAP },
});
const rule = S("object", {
  fields: { apiGroups: STRINGS, resources: STRINGS, verbs: STRINGS, resourceNames: STRINGS, nonResourceURLs: STRINGS },
});
const subjects = S("array", {
  items: S("object", { fields: { kind: S("string"), name: S("string"), namespace: S("string") } }),
});
const roleRef = S("object", { fields: { kind: S("string"), name: S("string"), apiGroup: S("string") } });
const peer = S("object", {
  fields: {
    podSelector: S("object"),
    namespaceSelector: S("object"),
    ipBlock: S("object", { fields: { cidr: S("string"), except: STRINGS } }),
  },
});
const npRule = (dir: "from" | "to"): Spec =>
  S("object", { fields: { [dir]: S("array", { items: peer }), ports: S("array", { items: S("object") }) } });

const KIND_SPECS: Readonly<Record<string, Readonly<Record<string, Spec>>>> = {
  Role: { rules: S("array", { items: rule }) },
  ClusterRole: { rules: S("array", { items: rule }), aggregationRule: S("object") },
  RoleBinding: { subjects, roleRef },
  ClusterRoleBinding: { subjects, roleRef },
  NetworkPolicy: {
    spec: S("object", {
      fields: {
        podSelector: S("object"),
        policyTypes: STRINGS,
        ingress: S("array", { items: npRule("from") }),
        egress: S("array", { items: npRule("to") }),
      },
    }),
  },
  Service: {
    spec: S("object", {
      fields: {
        type: S("string"),
        externalIPs: STRINGS,
        externalName: S("string"),
        ports: S("array", { items: S("object") }),
      },
    }),
  },
  ServiceAccount: { automountServiceAccountToken: S("boolean"), secrets: S("array", { items: S("object") }) },
  Secret: { type: S("string"), data: S("object"), stringData: S("object") },
  ConfigMap: { data: S("object") },
  Ingress: {
    spec: S("object", {
      fields: {
        rules: S("array", { items: S("object", { fields: { host: S("string") } }) }),
        tls: S("array", { items: S("object", { fields: { hosts: STRINGS } }) }),
      },
    }),
  },
  ResourceQuota: { spec: S("object", { fields: { hard: S("object") } }) },
  LimitRange: { spec: S("object", { fields: { limits: S("array", { items: S("object") }) } }) },
};

/**
 * Where walk is: the segments from the root, kept on one stack and joined into a path only when
 * a field is wrong (most objects are well-formed, and building every path cost more than the
 * checks). FIELD joins with ".", INDEX as [i], KEY as ["k"], exactly as the paths were written.
 */
const FIELD = 0;
const INDEX = 1;
const KEY = 2;
const segKinds: number[] = [];
const segValues: (string | number)[] = [];

function currentPath(): string {
  let p = "";
  for (let i = 0; i < segKinds.length; i++) {
    const v = segValues[i] as string | number;
    if (segKinds[i] === FIELD) p = p === "" ? (v as string) : `${p}.${v}`;
    else if (segKinds[i] === INDEX) p += `[${v}]`;
    else p += `[${JSON.stringify(v)}]`;
  }
  return p;
}

function walk(value: unknown, spec: Spec, kind: number, segment: string | number, out: ShapeError[]): void {
  if (value === undefined || value === null) return; // absent (or null) is the API's "unset"
  segKinds.push(kind);
  segValues.push(segment);
  try {
    walkHere(value, spec, out);
  } finally {
    segKinds.pop();
    segValues.pop();
  }
}

function walkHere(value: unknown, spec: Spec, out: ShapeError[]): void {
  if (!matches(value, spec.type)) {
    const path = currentPath();
    out.push({
      path,
      message: `${path}: expected ${spec.type === "object" ? "a mapping" : spec.type === "array" ? "a list" : `a ${spec.type}`}, found ${typeName(value)}`,
    });
    return;
  }
  if (spec.entries !== undefined) {
    const rec = value as Record<string, unknown>;
    for (const [k, s] of spec.entries) walk(rec[k], s, FIELD, k, out);
  }
  if (spec.values !== undefined) {
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec)) walk(rec[k], spec.values, KEY, k, out);
  }
  if (spec.items !== undefined) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) if (i in items) walk(items[i], spec.items, INDEX, i, out);
  }
}

/** Walks `value` against `spec` from the root path `path`. */
function walkRoot(value: unknown, spec: Spec, path: string, out: ShapeError[]): void {
  segKinds.length = 0;
  segValues.length = 0;
  walk(value, spec, FIELD, path, out);
}

function dig(value: unknown, path: string): unknown {
  let cur = value;
  for (const k of path === "" ? [] : path.split(".")) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Wrong-typed fields of an object, each with its path; empty when the object is well-formed. */
export function shapeErrors(object: KubeObject, pod: PodView | undefined): ShapeError[] {
  const out: ShapeError[] = [];
  walkRoot(object.metadata, metadata, "metadata", out);
  if (pod !== undefined) {
    const parts = pod.specPath.split(".");
    // Every step down to the pod spec must be a mapping, or the pod would be silently empty.
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join(".");
      const v = dig(object, p);
      if (v !== undefined && v !== null && !matches(v, "object")) {
        out.push({ path: p, message: `${p}: expected a mapping, found ${typeName(v)}` });
        return out;
      }
    }
    // A Pod's template metadata is its own metadata, walked above: once is enough.
    if (pod.metadataPath !== "metadata") walkRoot(dig(object, pod.metadataPath), metadata, pod.metadataPath, out);
    walkRoot(dig(object, pod.specPath), podSpec, pod.specPath, out);
  }
  const kindSpec = typeof object.kind === "string" ? KIND_SPECS[object.kind] : undefined;
  if (kindSpec !== undefined) for (const [k, s] of Object.entries(kindSpec)) walkRoot(object[k], s, k, out);
  return out;
}
