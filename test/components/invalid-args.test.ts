/**
 * Invalid arguments throw at construction, with a message that starts with the argument's path
 * (`HardenedWorkloadArgs.ports[1].port: 70000 is not a port (1-65535)`). Table-driven.
 */
import {
  ArgumentError,
  hardenedWorkload,
  secureNamespace,
  type HardenedWorkloadArgs,
  type SecureNamespaceArgs,
} from "../../components/manifests";

const IMAGE = `ghcr.io/acme/web:1.4.2@sha256:${"ab".repeat(32)}`;
const WORKLOAD: HardenedWorkloadArgs = { name: "web", namespace: "shop", image: IMAGE, ports: [{ port: 8080 }] };
const NAMESPACE: SecureNamespaceArgs = { name: "shop" };
const why = { reason: "because the vendor image needs it" };

/** [arguments (merged over the valid defaults), the expected message (start, or a pattern)]. */
type Row = readonly [Record<string, unknown>, string | RegExp];

const WORKLOAD_ROWS: readonly Row[] = [
  [{ ports: [{ port: 8080 }, { port: 70000 }] }, "HardenedWorkloadArgs.ports[1].port: 70000 is not a port (1-65535)"],
  [{ ports: [{ port: 8080.5 }] }, "HardenedWorkloadArgs.ports[0].port: 8080.5 is not an integer"],
  [
    { ports: [{ port: 80 }] },
    "HardenedWorkloadArgs.ports[0].port: 80 is a privileged port: listen on 1024 or above and set servicePort: 80",
  ],
  [
    { ports: [{ port: 8080 }, { port: 8080 }] },
    "HardenedWorkloadArgs.ports[1].name: tcp-8080 is also the name of ports[0]",
  ],
  [
    { ports: [{ port: 8080 }, { port: 9090, servicePort: 8080 }] },
    "HardenedWorkloadArgs.ports[1].servicePort: 8080/TCP is also the service port of ports[0]",
  ],
  [
    { ports: [{ port: 8080, name: "Web_Port" }] },
    /^HardenedWorkloadArgs\.ports\[0\]\.name: "Web_Port" is not a port name/,
  ],
  [
    { ports: [{ port: 8080, protocol: "HTTP" }] },
    'HardenedWorkloadArgs.ports[0].protocol: "HTTP" is not a protocol (TCP, UDP or SCTP)',
  ],
  [{ name: "Web" }, /^HardenedWorkloadArgs\.name: "Web" is not a DNS-1035 label/],
  [{ name: "1web" }, /^HardenedWorkloadArgs\.name: "1web" is not a DNS-1035 label/],
  [{ name: "w".repeat(64) }, /^HardenedWorkloadArgs\.name: "w{64}" is not a DNS-1035 label/],
  [{ namespace: "default" }, "HardenedWorkloadArgs.namespace: default is a system namespace"],
  [{ namespace: "kube-system" }, "HardenedWorkloadArgs.namespace: kube-system is a system namespace"],
  [{ replica: 3 }, "HardenedWorkloadArgs.replica: unknown argument"],
  [{ replicas: -1 }, "HardenedWorkloadArgs.replicas: -1 is not a replica count (0-1000)"],
  [{ kind: "DaemonSet" }, 'HardenedWorkloadArgs.kind: "DaemonSet" must be Deployment or StatefulSet'],
  [{ image: "nginx:1.27" }, 'HardenedWorkloadArgs.image: "nginx:1.27" is not pinned by digest'],
  [{ image: "nginx:latest", allowUnpinnedImage: why }, 'HardenedWorkloadArgs.image: "nginx:latest" uses latest'],
  [{ image: "nginx", allowUnpinnedImage: why }, 'HardenedWorkloadArgs.image: "nginx" has no tag'],
  [
    { allowUnpinnedImage: why },
    "HardenedWorkloadArgs.allowUnpinnedImage: the image is pinned by digest: remove the opt-out",
  ],
  [{ image: "Not An Image" }, 'HardenedWorkloadArgs.image: "Not An Image" is not an image reference'],
  [{ image: `k8s.gcr.io/pause:3.9@sha256:${"ab".repeat(32)}` }, "HardenedWorkloadArgs.image: k8s.gcr.io is frozen"],
  [{ image: "nginx@sha256:ABC" }, /^HardenedWorkloadArgs\.image: "nginx@sha256:ABC" is not an image reference/],
  [
    { allowUnpinnedImage: { reason: "tbd" }, image: "nginx:1.27" },
    /^HardenedWorkloadArgs\.allowUnpinnedImage\.reason: say why/,
  ],
  [
    { allowUnpinnedImage: { reason: "vendor image\nsecond line" }, image: "nginx:1.27" },
    "HardenedWorkloadArgs.allowUnpinnedImage.reason: must be one line",
  ],
  [
    { allowUnpinnedImage: { ...why, until: "2030-02-30" }, image: "nginx:1.27" },
    'HardenedWorkloadArgs.allowUnpinnedImage.until: "2030-02-30" is not a date YYYY-MM-DD',
  ],
  [
    { ports: undefined, ingressFrom: [{ namespace: "ingress" }] },
    "HardenedWorkloadArgs.ingressFrom: admits sources but no port is declared",
  ],
  [{ ingressFrom: [{}] }, "HardenedWorkloadArgs.ingressFrom[0]: is empty, which Kubernetes reads as every peer"],
  [
    { ingressFrom: [{ cidr: "10.0.0.1/8" }] },
    'HardenedWorkloadArgs.ingressFrom[0].cidr: "10.0.0.1/8" has host bits set or leading zeros: did you mean "10.0.0.0/8"?',
  ],
  [
    { ingressFrom: [{ cidr: "0.0.0.0/0" }] },
    "HardenedWorkloadArgs.ingressFrom[0].cidr: 0.0.0.0/0 admits every address",
  ],
  [
    { ingressFrom: [{ cidr: "10.0.0.0/8", namespace: "x" }] },
    "HardenedWorkloadArgs.ingressFrom[0]: sets cidr together with namespace/podLabels",
  ],
  [
    { ingressFrom: [{ namespace: "Bad_NS" }] },
    /^HardenedWorkloadArgs\.ingressFrom\[0\]\.namespace: "Bad_NS" is not a DNS-1123 label/,
  ],
  [
    { ingressFrom: [{ podLabels: {} }] },
    "HardenedWorkloadArgs.ingressFrom[0].podLabels: is empty: it would select every pod",
  ],
  [
    { ingressFrom: [{ podLabels: { app: "a b" } }] },
    /^HardenedWorkloadArgs\.ingressFrom\[0\]\.podLabels\.app: "a b" is not a label value/,
  ],
  [
    { egress: [{ to: [] }] },
    'HardenedWorkloadArgs.egress[0].to: must list at least one peer: a rule without "to" allows everyone',
  ],
  [
    { egress: [{ to: [{ cidr: "300.0.0.0/8" }] }] },
    /^HardenedWorkloadArgs\.egress\[0\]\.to\[0\]\.cidr: "300\.0\.0\.0\/8" is not a CIDR/,
  ],
  [
    { egress: [{ to: [{ cidr: "10.0.0.0/8", except: ["192.168.0.0/16"] }] }] },
    "HardenedWorkloadArgs.egress[0].to[0].except[0]: 192.168.0.0/16 is not a strict sub-block of 10.0.0.0/8",
  ],
  [
    { egress: [{ to: [{ cidr: "::ffff:0:0/96" }] }] },
    /^HardenedWorkloadArgs\.egress\[0\]\.to\[0\]\.cidr: "::ffff:0:0\/96" is IPv4-mapped IPv6/,
  ],
  [
    { egress: [{ to: [{ cidr: "169.254.169.254/32" }] }] },
    "HardenedWorkloadArgs.egress[0].to[0].cidr: 169.254.169.254/32 is the cloud metadata endpoint",
  ],
  [
    { egress: [{ to: [{ namespace: "db" }], ports: [{ port: 0 }] }] },
    "HardenedWorkloadArgs.egress[0].ports[0].port: 0 is not a port (1-65535)",
  ],
  [
    { egress: [{ to: [{ namespace: "db" }], ports: [{ port: 5432, endPort: 5000 }] }] },
    "HardenedWorkloadArgs.egress[0].ports[0].endPort: 5000 is not a port at least port 5432 (5432-65535)",
  ],
  [
    { egress: [{ to: [{ namespace: "db" }], ports: [{ port: "postgres", endPort: 6000 }] }] },
    "HardenedWorkloadArgs.egress[0].ports[0].endPort: needs a numeric port",
  ],
  [
    { egress: [{ to: [{ namespace: "db" }], ports: [] }] },
    "HardenedWorkloadArgs.egress[0].ports: is empty, which Kubernetes reads as every port",
  ],
  [
    { allowCloudMetadata: why },
    "HardenedWorkloadArgs.allowCloudMetadata: no egress block covers a cloud metadata address: remove the opt-out",
  ],
  [
    { egress: [{ to: [{ cidr: "0.0.0.0/0" }] }], allowCloudMetadata: why },
    "HardenedWorkloadArgs.egress[0].to[0].cidr: 0.0.0.0/0 with no except allows every destination",
  ],
  [
    { dnsEgress: "yes" },
    'HardenedWorkloadArgs.dnsEgress: expected true, false or { namespace, podLabels }, found "yes"',
  ],
  [
    { resources: { memory: { limit: "1Gb" } } },
    /^HardenedWorkloadArgs\.resources\.memory\.limit: "1Gb" is not a quantity/,
  ],
  [
    { resources: { cpu: { request: "1", limit: "500m" } } },
    "HardenedWorkloadArgs.resources.cpu.limit: 500m is below the request 1",
  ],
  [{ resources: { cpu: { request: "-1" } } }, 'HardenedWorkloadArgs.resources.cpu.request: "-1" is negative'],
  [{ resources: { cpu: { request: "0" } } }, "HardenedWorkloadArgs.resources.cpu.request: is zero"],
  [
    { resources: { cpu: { limit: { disabled: true } } } },
    /^HardenedWorkloadArgs\.resources\.cpu\.limit\.reason: say why/,
  ],
  [{ resources: { gpu: { limit: "1" } } }, /^HardenedWorkloadArgs\.resources\.gpu: unknown argument/],
  [
    { probes: { liveness: { httpGet: { path: "/", port: 8080 }, exec: { command: ["true"] } } } },
    "HardenedWorkloadArgs.probes.liveness: set exactly one of httpGet, tcpSocket, grpc or exec (found httpGet, exec)",
  ],
  [
    { probes: { liveness: {} } },
    "HardenedWorkloadArgs.probes.liveness: set exactly one of httpGet, tcpSocket, grpc or exec (found none)",
  ],
  [{ ports: undefined }, "HardenedWorkloadArgs.probes.liveness: no TCP port is declared to probe"],
  [
    { probes: { readiness: { httpGet: { path: "/ready", port: "web" } } } },
    "HardenedWorkloadArgs.probes.readiness.httpGet.port: web is not the name of a declared port",
  ],
  [
    { probes: { readiness: { httpGet: { path: "ready", port: 8080 } } } },
    'HardenedWorkloadArgs.probes.readiness.httpGet.path: "ready" must start with /',
  ],
  [
    { probes: { readiness: { tcpSocket: { port: 8080 }, periodSeconds: 0 } } },
    "HardenedWorkloadArgs.probes.readiness.periodSeconds: 0 is not a count of seconds or tries (1-3600)",
  ],
  [
    { probes: { liveness: { tcpSocket: { port: 8080, host: "10.0.0.1" } } } },
    /^HardenedWorkloadArgs\.probes\.liveness\.tcpSocket\.host: unknown argument/,
  ],
  [
    { runAs: { user: 1000 } },
    "HardenedWorkloadArgs.runAs.user: 1000 is below 10000 and may coincide with a host account (pod-high-uid-gid)",
  ],
  [{ runAs: { user: 0 } }, "HardenedWorkloadArgs.runAs.user: 0 is not a non-root id (1-2147483647)"],
  [
    { runAs: { group: 0 }, allowLowIds: why },
    "HardenedWorkloadArgs.runAs.group: 0 is not a non-root id (1-2147483647)",
  ],
  [{ allowLowIds: why }, "HardenedWorkloadArgs.allowLowIds: no id is below 10000: remove the opt-out"],
  [{ readOnlyRootFilesystem: { disabled: true } }, /^HardenedWorkloadArgs\.readOnlyRootFilesystem\.reason: say why/],
  [
    { readOnlyRootFilesystem: false },
    'HardenedWorkloadArgs.readOnlyRootFilesystem: expected { disabled: true, reason: "…" }, found false',
  ],
  [
    { seccompProfile: { localhostProfile: "/etc/profile.json" } },
    "HardenedWorkloadArgs.seccompProfile.localhostProfile: must be a path relative to the kubelet's seccomp directory",
  ],
  [{ seccompProfile: "Unconfined" }, /^HardenedWorkloadArgs\.seccompProfile: expected an object/],
  [
    { tmpVolume: { sizeLimit: "0" } },
    "HardenedWorkloadArgs.tmpVolume.sizeLimit: is zero: use tmpVolume: false for no /tmp",
  ],
  [
    { volumes: [{ name: "a", mountPath: "/a", configMap: "c", secret: "s" }] },
    "HardenedWorkloadArgs.volumes[0]: set exactly one of configMap, secret, emptyDir or persistentVolumeClaim (found configMap, secret)",
  ],
  [
    { volumes: [{ name: "a", mountPath: "etc/a", configMap: "c" }] },
    'HardenedWorkloadArgs.volumes[0].mountPath: "etc/a" is not an absolute path without ".." or \':\'',
  ],
  [
    { volumes: [{ name: "a", mountPath: "/", configMap: "c" }] },
    'HardenedWorkloadArgs.volumes[0].mountPath: "/" would hide the whole image',
  ],
  [
    {
      volumes: [
        { name: "a", mountPath: "/a", configMap: "c" },
        { name: "b", mountPath: "/a", secret: "s" },
      ],
    },
    "HardenedWorkloadArgs.volumes[1].mountPath: /a is also the mount path of HardenedWorkloadArgs.volumes[0].mountPath",
  ],
  [
    { volumes: [{ name: "tmp", mountPath: "/scratch", emptyDir: { sizeLimit: "1Gi" } }] },
    "HardenedWorkloadArgs.volumes[0].name: tmp is also the name of HardenedWorkloadArgs.tmpVolume",
  ],
  [
    { volumes: [{ name: "s", mountPath: "/s", emptyDir: {} }] },
    "HardenedWorkloadArgs.volumes[0].emptyDir.sizeLimit: is required: an unbounded emptyDir can fill the node",
  ],
  [
    { volumes: [{ name: "s", mountPath: "/s", secret: "tls", readOnly: false }] },
    "HardenedWorkloadArgs.volumes[0].readOnly: Secret volumes are always read-only",
  ],
  [
    { volumeClaims: [{ name: "data", mountPath: "/data", size: "1Gi" }] },
    'HardenedWorkloadArgs.volumeClaims: per-replica claims need kind: "StatefulSet"',
  ],
  [
    { replicas: 1, podDisruptionBudget: { maxUnavailable: 1 } },
    "HardenedWorkloadArgs.podDisruptionBudget: a budget on 1 replica would block node drains",
  ],
  [
    { podDisruptionBudget: { maxUnavailable: 1, minAvailable: 1 } },
    "HardenedWorkloadArgs.podDisruptionBudget: set maxUnavailable or minAvailable, not both",
  ],
  [
    { podDisruptionBudget: { minAvailable: 2 } },
    "HardenedWorkloadArgs.podDisruptionBudget.minAvailable: keeps every replica up, which blocks node drains",
  ],
  [
    { podDisruptionBudget: { maxUnavailable: "150%" } },
    'HardenedWorkloadArgs.podDisruptionBudget.maxUnavailable: "150%" is not a count or a percentage (0%-100%)',
  ],
  [
    { env: { DB_PASSWORD: "hunter2" } },
    "HardenedWorkloadArgs.env.DB_PASSWORD: holds a literal credential (by its name): mount it from a Secret",
  ],
  [
    { env: { GREETING: "AKIAABCDEFGHIJKLMNOP" } },
    "HardenedWorkloadArgs.env.GREETING: holds what looks like an AWS access key id",
  ],
  [{ env: { "1ABC": "x" } }, /^HardenedWorkloadArgs\.env\["1ABC"\]: "1ABC" is not an environment variable name/],
  [
    { labels: { "app.kubernetes.io/name": "other" } },
    'HardenedWorkloadArgs.labels["app.kubernetes.io/name"]: app.kubernetes.io/name is set by the component',
  ],
  [{ labels: { "-bad": "x" } }, /^HardenedWorkloadArgs\.labels key "-bad": "-bad" is not a label key/],
  [
    { serviceAccountName: "default" },
    "HardenedWorkloadArgs.serviceAccountName: default is shared by every pod that names none",
  ],
  [{ mountServiceAccountToken: true }, /^HardenedWorkloadArgs\.mountServiceAccountToken: expected \{ reason: "…" \}/],
  [
    { command: ["sh", "-c", "sudo /app"] },
    /^HardenedWorkloadArgs: the output fails the Palisade catalog: container-sudo on Deployment shop\/web/,
  ],
];

const NAMESPACE_ROWS: readonly Row[] = [
  [{ name: "Shop" }, /^SecureNamespaceArgs\.name: "Shop" is not a DNS-1123 label/],
  [{ name: "kube-system" }, "SecureNamespaceArgs.name: kube-system is a system namespace"],
  [{ name: "default" }, "SecureNamespaceArgs.name: default is a system namespace"],
  [{ name: "kube-tenant" }, "SecureNamespaceArgs.name: kube-tenant is a system namespace"],
  [{ tenant: "" }, "SecureNamespaceArgs.tenant: must not be empty"],
  [{ tenant: "a b" }, /^SecureNamespaceArgs\.tenant: "a b" is not a label value/],
  [{ networkPolicy: {} }, "SecureNamespaceArgs.networkPolicy: unknown argument"],
  [
    { podSecurity: { version: "latest" } },
    'SecureNamespaceArgs.podSecurity.version: "latest" is not a pinned policy version v1.N',
  ],
  [
    { podSecurity: { version: "1.30" } },
    'SecureNamespaceArgs.podSecurity.version: "1.30" is not a pinned policy version v1.N',
  ],
  [
    { podSecurity: { version: "v1.99" } },
    "SecureNamespaceArgs.podSecurity.version: v1.99 is outside the versions Palisade knows",
  ],
  [{ podSecurity: { enforce: { level: "baseline" } } }, /^SecureNamespaceArgs\.podSecurity\.enforce\.reason: say why/],
  [
    { podSecurity: { enforce: { level: "loose", ...why } } },
    'SecureNamespaceArgs.podSecurity.enforce.level: "loose" is not a level below restricted (baseline or privileged)',
  ],
  [{ podSecurity: { enforce: "baseline" } }, /^SecureNamespaceArgs\.podSecurity\.enforce: expected an object/],
  [
    { labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    'SecureNamespaceArgs.labels["pod-security.kubernetes.io/enforce"]: pod-security.kubernetes.io/enforce is set by the component',
  ],
  [
    { labels: { "kubernetes.io/metadata.name": "other" } },
    'SecureNamespaceArgs.labels["kubernetes.io/metadata.name"]: kubernetes.io/metadata.name is set by the component',
  ],
  [{ dnsEgress: "on" }, 'SecureNamespaceArgs.dnsEgress: expected true, false or { namespace, podLabels }, found "on"'],
  [{ dnsEgress: { podLabels: {} } }, "SecureNamespaceArgs.dnsEgress.podLabels: is empty"],
  [{ allowSameNamespace: "yes" }, 'SecureNamespaceArgs.allowSameNamespace: expected a boolean, found "yes"'],
  [
    { ingress: [{ from: [] }] },
    'SecureNamespaceArgs.ingress[0].from: must list at least one peer: a rule without "from" allows everyone',
  ],
  [
    { ingress: [{ from: [{ namespace: "ingress" }], ports: [{ port: 99999 }] }] },
    "SecureNamespaceArgs.ingress[0].ports[0].port: 99999 is not a port (1-65535)",
  ],
  [
    { egress: [{ to: [{ cidr: "10.0.0.0/33" }] }] },
    /^SecureNamespaceArgs\.egress\[0\]\.to\[0\]\.cidr: "10\.0\.0\.0\/33" is not a CIDR/,
  ],
  [
    { egress: [{ to: [{ cidr: "fd00::1/8" }] }] },
    'SecureNamespaceArgs.egress[0].to[0].cidr: "fd00::1/8" has host bits set: did you mean "fd00::/8"?',
  ],
  [
    { egress: [{ to: [{ namespace: "db" }], ports: [{ port: 53 }] }] },
    /^SecureNamespaceArgs: the output fails the Palisade catalog: network-dns-egress/,
  ],
  [
    { allowCloudMetadata: why, egress: [{ to: [{ cidr: "10.0.0.0/8" }] }] },
    "SecureNamespaceArgs.allowCloudMetadata: no egress block covers a cloud metadata address: remove the opt-out",
  ],
  [
    { quota: { hard: { "requests.cpu": "lots" } } },
    /^SecureNamespaceArgs\.quota\.hard\["requests\.cpu"\]: "lots" is not a quantity/,
  ],
  [
    { quota: { hard: { "bad key!": "1" } } },
    'SecureNamespaceArgs.quota.hard["bad key!"]: "bad key!" is not a resource name',
  ],
  [
    { quota: { hard: { "requests.cpu": "16" } } },
    'SecureNamespaceArgs.quota.hard["requests.cpu"]: 16 exceeds limits.cpu (8)',
  ],
  [{ quota: { hard: { memory: "32Gi" } } }, "SecureNamespaceArgs.quota.hard.memory: 32Gi exceeds limits.memory (16Gi)"],
  [{ quota: { disabled: true, reason: "short" } }, /^SecureNamespaceArgs\.quota\.reason: say why/],
  [{ quota: { limits: {} } }, "SecureNamespaceArgs.quota.limits: unknown argument"],
  [
    { limitRange: { defaultRequests: { cpu: "2" } } },
    "SecureNamespaceArgs.limitRange.defaultRequests.cpu: 2 exceeds the default limit 500m",
  ],
  [
    { limitRange: { defaultLimits: { memory: "8Gi" } } },
    "SecureNamespaceArgs.limitRange.defaultLimits.memory: 8Gi exceeds max 4Gi",
  ],
  [
    { serviceAccounts: ["default"] },
    "SecureNamespaceArgs.serviceAccounts[0]: default is listed twice (default is always declared)",
  ],
  [{ serviceAccounts: ["ci", "ci"] }, "SecureNamespaceArgs.serviceAccounts[1]: ci is listed twice"],
  [{ serviceAccounts: ["CI"] }, /^SecureNamespaceArgs\.serviceAccounts\[0\]: "CI" is not a DNS-1123 subdomain/],
  [
    { access: [{ role: "admin", users: ["alice"] }] },
    'SecureNamespaceArgs.access[0].role: "admin" is not a preset (view, edit, deploy) nor a custom role { name, rules }',
  ],
  [
    { access: [{ role: "view" }] },
    "SecureNamespaceArgs.access[0]: grants the role to nobody: list users, groups or serviceAccounts",
  ],
  [
    { access: [{ role: "view", users: ["system:anonymous"] }] },
    "SecureNamespaceArgs.access[0].users[0]: system:anonymous is every unauthenticated request: never bind it",
  ],
  [
    { access: [{ role: "view", users: ["system:serviceaccount:ci:runner"] }] },
    "SecureNamespaceArgs.access[0].users[0]: system:serviceaccount:ci:runner is a ServiceAccount",
  ],
  [
    { access: [{ role: "view", users: [" alice"] }] },
    'SecureNamespaceArgs.access[0].users[0]: " alice" must be non-empty, without leading or trailing blanks',
  ],
  [
    { access: [{ role: "view", groups: ["system:authenticated"] }] },
    "SecureNamespaceArgs.access[0].groups[0]: system:authenticated is everyone: never bind it",
  ],
  [
    { access: [{ role: "edit", groups: ["system:masters"] }] },
    "SecureNamespaceArgs.access[0].groups[0]: system:masters is the cluster's superusers: never bind it",
  ],
  [
    { access: [{ role: "edit", groups: ["system:serviceaccounts:shop"] }] },
    "SecureNamespaceArgs.access[0].groups[0]: system:serviceaccounts:shop is every ServiceAccount of a namespace",
  ],
  [
    { access: [{ role: "view", serviceAccounts: ["default"] }] },
    "SecureNamespaceArgs.access[0].serviceAccounts[0]: the default ServiceAccount is every pod's that names none",
  ],
  [
    { access: [{ role: "view", serviceAccounts: [{ name: "runner" }] }] },
    /^SecureNamespaceArgs\.access\[0\]\.serviceAccounts\[0\]\.namespace: expected a string/,
  ],
  [
    { access: [{ role: { name: "palisade-x", rules: [] }, users: ["a"] }] },
    "SecureNamespaceArgs.access[0].role.name: palisade-x: the prefix palisade- is reserved for the preset roles",
  ],
  [
    { access: [{ role: { name: "x", rules: [] }, users: ["a"] }] },
    "SecureNamespaceArgs.access[0].role.rules: must list at least one rule",
  ],
  [
    { access: [{ role: { name: "x", rules: [{ apiGroups: [""], resources: ["pods"], verbs: [] }] }, users: ["a"] }] },
    "SecureNamespaceArgs.access[0].role.rules[0].verbs: must not be empty",
  ],
  [
    {
      access: [{ role: { name: "x", rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }] }, users: ["a"] }],
    },
    /^SecureNamespaceArgs\.access\[0\]\.role\.rules: the catalog's rbac controls reject this role: rbac-wildcard-verbs on Role shop\/x at rules\[0\]/,
  ],
  [
    {
      access: [
        { role: { name: "x", rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }] }, users: ["a"] },
      ],
    },
    /^SecureNamespaceArgs\.access\[0\]\.role\.rules: the catalog's rbac controls reject this role: rbac-secrets-read/,
  ],
  [
    {
      access: [
        {
          role: { name: "x", rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] },
          users: ["a"],
        },
      ],
    },
    /rbac-pod-exec on Role shop\/x/,
  ],
  [
    {
      access: [
        {
          role: {
            name: "x",
            rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"] }],
          },
          users: ["a"],
        },
      ],
    },
    /rbac-binding-writes on Role shop\/x/,
  ],
  [
    {
      access: [
        {
          role: {
            name: "x",
            rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
            exempt: { controls: ["rbac-secrets-read"], ...why },
          },
          users: ["a"],
        },
      ],
    },
    "SecureNamespaceArgs.access[0].role.exempt.controls: rbac-secrets-read report nothing on this role: remove the exemption",
  ],
  [
    {
      access: [
        {
          role: {
            name: "x",
            rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
            exempt: { controls: ["pod-privileged"], ...why },
          },
          users: ["a"],
        },
      ],
    },
    "SecureNamespaceArgs.access[0].role.exempt.controls[0]: pod-privileged is not an rbac control",
  ],
  [
    {
      access: [
        {
          role: {
            name: "x",
            rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
            exempt: { controls: ["no-such"], ...why },
          },
          users: ["a"],
        },
      ],
    },
    "SecureNamespaceArgs.access[0].role.exempt.controls[0]: no-such is no control of the catalog",
  ],
  [
    {
      access: [
        { role: { name: "x", rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] }, users: ["a"] },
        { role: { name: "x", rules: [{ apiGroups: [""], resources: ["services"], verbs: ["get"] }] }, users: ["b"] },
      ],
    },
    "SecureNamespaceArgs.access[1].role: role x is defined differently in SecureNamespaceArgs.access[0]",
  ],
];

function expectThrow(build: () => unknown, expected: string | RegExp): void {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ArgumentError);
  const message = (error as Error).message;
  if (typeof expected === "string") expect(message.startsWith(expected) ? expected : message).toBe(expected);
  else expect(message).toMatch(expected);
}

describe("invalid HardenedWorkloadArgs", () => {
  it.each(WORKLOAD_ROWS.map(([args, message]) => [JSON.stringify(args), args, message] as const))(
    "%s",
    (_title, args, message) =>
      expectThrow(() => hardenedWorkload({ ...WORKLOAD, ...args } as HardenedWorkloadArgs), message),
  );
});

describe("invalid SecureNamespaceArgs", () => {
  it.each(NAMESPACE_ROWS.map(([args, message]) => [JSON.stringify(args), args, message] as const))(
    "%s",
    (_title, args, message) =>
      expectThrow(() => secureNamespace({ ...NAMESPACE, ...args } as SecureNamespaceArgs), message),
  );

  it("names the argument on the error object too", () => {
    try {
      secureNamespace({ name: "Shop" });
    } catch (e) {
      expect((e as ArgumentError).argument).toBe("SecureNamespaceArgs.name");
    }
    expect.assertions(1);
  });
});
