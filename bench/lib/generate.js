"use strict";
/**
 * Deterministic corpora of Kubernetes objects for the benchmark: a seeded generator (mulberry32)
 * lays out tenants as namespaces, each with its guardrails (Namespace with Pod Security labels,
 * ResourceQuota, LimitRange, default-deny NetworkPolicy, default ServiceAccount) and applications
 * (a Deployment, StatefulSet, CronJob or naked Pod with its ServiceAccount, Service, Role,
 * RoleBinding, NetworkPolicy, ConfigMap), plus some cluster-wide RBAC. About half of the objects
 * break at least one control (a privileged container, a latest tag, a missing limit, a wildcard
 * rule, a LoadBalancer Service, a namespace without quota, …); the other half are hardened.
 *
 * The same objects are written two ways: one multi-document YAML file, and a directory with one
 * file per application (and one per namespace's guardrails), so both kinds of input are measured.
 */
const fs = require("node:fs");
const path = require("node:path");

/** mulberry32: a small, fast, seeded PRNG; the same seed always gives the same corpus. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

// ---------------------------------------------------------------------------------------------
// A small YAML emitter: block style, strings quoted (as JSON, a valid YAML double-quoted scalar)
// whenever they could read as anything but a plain string under YAML 1.1 or 1.2.
// ---------------------------------------------------------------------------------------------
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@-]*$/;
const RESERVED =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function scalar(v) {
  if (typeof v === "string") return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (v === null) return "null";
  return String(v);
}

function emit(value, indent, out) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === "object" && !(Array.isArray(item) && item.length === 0)) {
        const keys = Array.isArray(item) ? [] : Object.keys(item);
        if (Array.isArray(item) || keys.length === 0) {
          out.push(`${pad}- ${Array.isArray(item) ? "[]" : "{}"}`);
          continue;
        }
        // First key on the dash line, the rest indented under it.
        const sub = [];
        emit(item, indent + 2, sub);
        sub[0] = `${pad}- ${sub[0].slice(indent + 2)}`;
        out.push(...sub);
      } else {
        out.push(`${pad}- ${Array.isArray(item) ? "[]" : scalar(item)}`);
      }
    }
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const key = scalar(k);
    if (v !== null && typeof v === "object") {
      if (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0) {
        out.push(`${pad}${key}: ${Array.isArray(v) ? "[]" : "{}"}`);
      } else {
        out.push(`${pad}${key}:`);
        emit(v, Array.isArray(v) ? indent : indent + 2, out);
      }
    } else {
      out.push(`${pad}${key}: ${scalar(v)}`);
    }
  }
}

function toYaml(object) {
  const out = [];
  emit(object, 0, out);
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Objects.
// ---------------------------------------------------------------------------------------------
const DIGEST = "sha256:0d7c9f5e1a3b6e8c2f4a9d1b7e3c5a8f2d6b4e9c1a7f3d5b8e2c6a4f9d1b3e7c";
const IMAGES = ["shop", "cart", "api", "worker", "search", "auth", "billing", "ledger", "notify", "report"];

function labels(app, ns, part) {
  return {
    app: app,
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/instance": `${app}-${ns}`,
    "app.kubernetes.io/part-of": part,
    "app.kubernetes.io/managed-by": "palisade-bench",
  };
}

/** A hardened container; `flaw` names one thing to break in it (or none). */
function container(r, app, flaw) {
  const image = `registry.example.com/team/${r.pick(IMAGES)}:1.${r.int(30)}.${r.int(10)}@${DIGEST}`;
  const c = {
    name: app,
    image,
    imagePullPolicy: "IfNotPresent",
    args: ["--port=8080", "--log-format=json"],
    ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
    env: [
      { name: "APP_NAME", value: app },
      { name: "LOG_LEVEL", value: "info" },
    ],
    resources: {
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
      limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "256Mi" },
    },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
  switch (flaw) {
    case "privileged":
      c.securityContext.privileged = true;
      c.securityContext.allowPrivilegeEscalation = true;
      break;
    case "latest":
      c.image = `registry.example.com/team/${r.pick(IMAGES)}:latest`;
      break;
    case "no-limits":
      delete c.resources.limits;
      break;
    case "root":
      c.securityContext.runAsNonRoot = false;
      c.securityContext.runAsUser = 0;
      break;
    case "caps":
      c.securityContext.capabilities = { add: ["NET_ADMIN", "SYS_TIME"] };
      break;
    case "writable-root":
      c.securityContext.readOnlyRootFilesystem = false;
      break;
    case "no-probes":
      delete c.livenessProbe;
      delete c.readinessProbe;
      break;
    case "password":
      c.env.push({ name: "DB_PASSWORD", value: "hunter2hunter2" });
      break;
    case "host-port":
      c.ports[0].hostPort = 8080;
      break;
    default:
      break;
  }
  return c;
}

const POD_FLAWS = [
  "privileged",
  "latest",
  "no-limits",
  "root",
  "caps",
  "writable-root",
  "no-probes",
  "password",
  "host-port",
  "host-network",
  "host-path",
  "default-sa",
];

function podSpec(r, app, sa, flaw, restartPolicy) {
  const spec = {
    serviceAccountName: sa,
    automountServiceAccountToken: false,
    hostUsers: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [container(r, app, flaw)],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
  };
  if (restartPolicy !== undefined) spec.restartPolicy = restartPolicy;
  if (flaw === "host-network") spec.hostNetwork = true;
  if (flaw === "host-path") {
    spec.volumes.push({ name: "logs", hostPath: { path: "/var/log" } });
    spec.containers[0].volumeMounts.push({ name: "logs", mountPath: "/host/logs" });
  }
  if (flaw === "default-sa") {
    delete spec.serviceAccountName;
    delete spec.automountServiceAccountToken;
  }
  return spec;
}

function meta(name, ns, lbls, extra = {}) {
  return { name, namespace: ns, labels: lbls, ...extra };
}

/** One application: workload + ServiceAccount + Service + Role + RoleBinding + NetworkPolicy (+ ConfigMap). */
function application(r, ns, part, index, badRate) {
  const app = `${r.pick(IMAGES)}-${index}`;
  const l = labels(app, ns, part);
  const sel = { app };
  const bad = () => r.chance(badRate);
  const flaw = bad() ? r.pick(POD_FLAWS) : undefined;
  const sa = `${app}-sa`;
  const kindRoll = r.next();
  const template = { metadata: { labels: l }, spec: podSpec(r, app, sa, flaw) };
  let workload;
  if (kindRoll < 0.55) {
    workload = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(app, ns, l),
      spec: { replicas: 1 + r.int(3), selector: { matchLabels: sel }, template },
    };
  } else if (kindRoll < 0.75) {
    workload = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(app, ns, l),
      spec: { serviceName: app, replicas: 1 + r.int(3), selector: { matchLabels: sel }, template },
    };
  } else if (kindRoll < 0.92) {
    const spec = podSpec(r, app, sa, flaw, "OnFailure");
    delete spec.containers[0].livenessProbe;
    delete spec.containers[0].readinessProbe;
    delete spec.containers[0].ports;
    workload = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(app, ns, l),
      spec: {
        schedule: `${r.int(60)} ${r.int(24)} * * *`,
        concurrencyPolicy: "Forbid",
        jobTemplate: { spec: { backoffLimit: 2, template: { metadata: { labels: l }, spec } } },
      },
    };
  } else {
    // A naked Pod: itself a finding (naked-pod) at the hardened level.
    workload = { apiVersion: "v1", kind: "Pod", metadata: meta(app, ns, l), spec: podSpec(r, app, sa, flaw) };
  }
  const serviceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(sa, ns, l),
    automountServiceAccountToken: false,
  };
  if (bad()) serviceAccount.automountServiceAccountToken = true;
  const objects = [serviceAccount, workload];
  if (workload.kind !== "CronJob") {
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(app, ns, l),
      spec: {
        type: "ClusterIP",
        selector: sel,
        ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
      },
    };
    if (bad()) {
      const f = r.pick(["LoadBalancer", "NodePort", "externalIPs", "dangling"]);
      if (f === "externalIPs") service.spec.externalIPs = [`203.0.113.${r.int(250)}`];
      else if (f === "dangling") service.spec.selector = { app: `${app}-old` };
      else service.spec.type = f;
    }
    objects.push(service);
  }
  const roleRules = bad()
    ? r.pick([
        [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
        [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
        [{ apiGroups: [""], resources: ["pods/exec", "pods"], verbs: ["create", "get"] }],
        [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "update", "patch", "delete"] }],
      ])
    : [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"], resourceNames: [app] }];
  objects.push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: meta(`${app}-reader`, ns, l),
    rules: roleRules,
  });
  const subjects = bad()
    ? r.pick([
        [{ kind: "ServiceAccount", name: "default", namespace: ns }],
        [{ kind: "User", name: `dev-${r.int(50)}@example.com`, apiGroup: "rbac.authorization.k8s.io" }],
        [{ kind: "ServiceAccount", name: sa, namespace: "tenant-other" }],
      ])
    : [{ kind: "ServiceAccount", name: sa, namespace: ns }];
  const roleRef =
    bad() && r.chance(0.3)
      ? { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" }
      : { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${app}-reader` };
  objects.push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: meta(`${app}-reader`, ns, l),
    roleRef,
    subjects,
  });
  const npBad = bad() ? r.pick(["allow-all", "world-egress", "name-label"]) : undefined;
  objects.push({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(`${app}-allow`, ns, l),
    spec: {
      podSelector: { matchLabels: sel },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } },
              podSelector: { matchLabels: { app: "gateway" } },
            },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
  });
  const np = objects[objects.length - 1].spec;
  if (npBad === "allow-all") np.ingress[0].from = [{}];
  else if (npBad === "world-egress") np.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
  else if (npBad === "name-label") np.ingress[0].from[0].namespaceSelector = { matchLabels: { team: "gateway" } };
  if (r.chance(0.4)) {
    const data = { "app.properties": `name=${app}\nreplicas=2\nfeature.x=true\n`, LOG_LEVEL: "info" };
    if (bad()) data.DB_PASSWORD = "hunter2hunter2";
    objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(app, ns, l), data });
  }
  return objects;
}

/** A namespace's guardrails; a bad namespace lacks Pod Security labels, quota or default-deny. */
function guardrails(r, ns, part, bad) {
  const l = labels(part, ns, part);
  const flaw = bad ? r.pick(["no-psa", "no-quota", "no-deny", "privileged-psa"]) : undefined;
  const psa = {
    "pod-security.kubernetes.io/enforce": flaw === "privileged-psa" ? "privileged" : "restricted",
    "pod-security.kubernetes.io/enforce-version": "v1.33",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
  };
  const objects = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: flaw === "no-psa" ? { ...l } : { ...l, ...psa } },
    },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: meta("default", ns, l),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta("defaults", ns, l),
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "256Mi" },
            defaultRequest: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
          },
        ],
      },
    },
  ];
  if (flaw !== "no-quota") {
    objects.push({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta("compute", ns, l),
      spec: { hard: { "requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi" } },
    });
  }
  if (flaw !== "no-deny") {
    objects.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("default-deny", ns, l),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
  }
  return objects;
}

const HARMLESS_RULES = [
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["get", "list", "watch"] },
];

function clusterRbac(r, i, bad) {
  const name = `team-${i}-viewer`;
  const l = labels(name, "cluster", "platform");
  const rules = bad
    ? r.pick([
        [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }],
        [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["escalate", "bind"] }],
        [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }],
        HARMLESS_RULES,
      ])
    : HARMLESS_RULES;
  return [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name, labels: l }, rules },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels: l },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      // A bad binding names system:authenticated, but only to the harmless role (as in real clusters,
      // where one such binding reaches every workload: a finding per workload, not per binding).
      subjects: [
        bad && rules === HARMLESS_RULES
          ? { kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }
          : { kind: "Group", name: `team-${i}`, apiGroup: "rbac.authorization.k8s.io" },
      ],
    },
  ];
}

/** The chance that an object (that can be) is flawed; tuned so about half the objects have findings. */
const BAD_RATE = 0.7;

/**
 * Exactly `count` objects in groups: [{ file, objects }] where file is relative to the corpus
 * directory. About half the objects are flawed (the rest hardened).
 */
function generate(count, seed = 20251127) {
  const r = rng(seed ^ count);
  const groups = [];
  let total = 0;
  let nsIndex = 0;
  let clusterIndex = 0;
  const add = (file, objects) => {
    const room = count - total;
    if (room <= 0) return;
    const kept = objects.slice(0, room);
    groups.push({ file, objects: kept });
    total += kept.length;
  };
  while (total < count) {
    const ns = `tenant-${String(nsIndex).padStart(4, "0")}`;
    const part = `product-${nsIndex % 97}`;
    const dir = `ns-${String(nsIndex).padStart(4, "0")}`;
    add(`${dir}/00-namespace.yaml`, guardrails(r, ns, part, r.chance(0.35)));
    const apps = 3 + r.int(6);
    for (let a = 0; a < apps && total < count; a++) {
      add(`${dir}/app-${String(a).padStart(2, "0")}.yaml`, application(r, ns, part, a, BAD_RATE));
    }
    if (nsIndex % 4 === 3 && total < count) {
      add(`cluster/rbac-${String(clusterIndex).padStart(4, "0")}.yaml`, clusterRbac(r, clusterIndex, r.chance(0.4)));
      clusterIndex++;
    }
    nsIndex++;
  }
  return groups;
}

/** Writes `<base>.yaml` (one file) and `<base>/` (a directory of files); returns their paths and sizes. */
function writeCorpus(workDir, count, seed) {
  const base = path.join(workDir, `corpus-${count}`);
  const file = `${base}.yaml`;
  const groups = generate(count, seed);
  const kinds = {};
  fs.rmSync(base, { recursive: true, force: true });
  const chunks = [];
  let files = 0;
  for (const g of groups) {
    const text = g.objects.map(toYaml).join("---\n");
    for (const o of g.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    const target = path.join(base, g.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    files++;
    chunks.push(text);
  }
  const all = chunks.join("---\n");
  fs.writeFileSync(file, all);
  return { count, file, dir: base, files, bytes: Buffer.byteLength(all), kinds };
}

module.exports = { generate, writeCorpus, toYaml, rng };
