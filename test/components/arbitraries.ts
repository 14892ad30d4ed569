/**
 * fast-check generators of valid builder arguments: a SecureNamespace and a HardenedWorkload
 * deployed into it, as a user would write them (the workload in the namespace, with its tenant;
 * same-namespace peers naming pods that exist; the ConfigMaps and Secrets it mounts declared).
 */
import fc from "fast-check";
import type {
  AccessGrant,
  ContainerPortArgs,
  EgressRule,
  HardenedWorkloadArgs,
  IngressRule,
  NetworkPeer,
  NetworkPort,
  ProbeArgs,
  SecureNamespaceArgs,
  VolumeArgs,
} from "../../components/manifests";
import type { KubeObject } from "../../policypack/engine/types";

/** Drops keys whose value is undefined, so counterexamples print as a user would write them. */
export function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const opt = <T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq });

/** DNS-1035 labels (valid as namespace, Service and object names), avoiding reserved names. */
export const dnsName = fc
  .stringMatching(/^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/)
  .filter((s) => !s.startsWith("kube-") && s !== "default" && s !== "tmp");

const labelValueArb = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/);
const labelKeyArb = fc.oneof(
  fc.constantFrom("team", "cost-center", "env", "owner"),
  fc.stringMatching(/^[a-z]{2,8}\.(com|io)\/[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
);
const extraLabels = fc.dictionary(labelKeyArb, labelValueArb, { maxKeys: 3 });

const psaVersion = fc.integer({ min: 25, max: 37 }).map((n) => `v1.${n}`);

/** Canonical IPv4 CIDRs that are neither universal nor the metadata endpoint itself. */
const ipv4Cidr = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 }))
  .map(([addr, prefix]) => {
    const network = prefix === 32 ? addr >>> 0 : (addr >>> (32 - prefix)) << (32 - prefix);
    const n = network >>> 0;
    return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}/${prefix}`;
  })
  .filter((c) => c !== "169.254.169.254/32");
const wellKnownCidr = fc.constantFrom(
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "fd00::/8",
  "2001:db8::/32",
);
/** Egress may be broad: the builder adds the metadata exceptions. */
const egressCidr = fc.oneof(ipv4Cidr, wellKnownCidr, fc.constantFrom("0.0.0.0/0", "::/0"));
const ingressCidr = fc.oneof(ipv4Cidr, wellKnownCidr);

/** Ports other than 53, which network-dns-egress reserves for the cluster DNS. */
const portNumber = fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 53);
const networkPort: fc.Arbitrary<NetworkPort> = fc.oneof(
  fc.record({ port: portNumber, protocol: opt(fc.constantFrom("TCP" as const, "UDP" as const)) }).map(clean),
  fc
    .tuple(fc.integer({ min: 1024, max: 60000 }), fc.integer({ min: 1, max: 100 }))
    .map(([port, span]) => ({ port, endPort: port + span })),
  fc.constantFrom("http", "metrics", "grpc").map((port) => ({ port })),
);
const ports = opt(fc.array(networkPort, { minLength: 1, maxLength: 3 }));

/** Peers in other namespaces, by name (and labels), or IP blocks. */
function remotePeer(cidr: fc.Arbitrary<string>): fc.Arbitrary<NetworkPeer> {
  return fc.oneof(
    dnsName.map((namespace) => ({ namespace })),
    fc.record({ namespace: dnsName, podLabels: fc.dictionary(labelKeyArb, labelValueArb, { minKeys: 1, maxKeys: 2 }) }),
    cidr.map((c) => ({ cidr: c })),
  );
}

export interface Scenario {
  readonly namespace: SecureNamespaceArgs;
  readonly workload: HardenedWorkloadArgs;
  /** Objects a user declares beside the components: the ConfigMaps and Secrets the workload mounts. */
  readonly extra: readonly KubeObject[];
}

const word = fc.constantFrom(
  "serve",
  "--verbose",
  "--port=8080",
  "run",
  "info",
  "debug",
  "/app/bin",
  "-c",
  "config.yaml",
);
const envNames = fc.constantFrom(
  "LOG_LEVEL",
  "PORT",
  "MODE",
  "REGION",
  "FEATURE_FLAGS",
  "HTTP_TIMEOUT_SECONDS",
  "APP_NAME",
);
const envValues = fc.constantFrom("info", "8080", "production", "eu-west-1", "a,b,c", "30", "web", "");

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const image = fc
  .tuple(
    fc.constantFrom("ghcr.io/acme", "registry.example.com:5000/team", "docker.io/library", "quay.io/org", "nginx"),
    fc.constantFrom("web", "api", "worker"),
    opt(fc.constantFrom("1.2.3", "v2", "2025.01")),
    hex64,
  )
  .map(
    ([repo, name, tag, digest]) =>
      `${repo === "nginx" ? "" : `${repo}/`}${name}${tag !== undefined ? `:${tag}` : ""}@sha256:${digest}`,
  );

const quantityPairs = (unit: string, values: readonly number[]): fc.Arbitrary<{ request: string; limit: string }> =>
  fc
    .tuple(fc.constantFrom(...values), fc.constantFrom(1, 2, 4))
    .map(([request, factor]) => ({ request: `${request}${unit}`, limit: `${request * factor}${unit}` }));

const containerPorts: fc.Arbitrary<ContainerPortArgs[]> = fc
  .uniqueArray(fc.integer({ min: 1024, max: 65535 }), { maxLength: 3 })
  .chain((numbers) =>
    fc.tuple(
      ...numbers.map((port, i) =>
        fc
          .record({
            port: fc.constant(port),
            protocol: opt(fc.constantFrom("TCP" as const, "UDP" as const)),
            servicePort: opt(fc.constantFrom(80 + i, 443 + i, 9000 + i)),
          })
          .map(clean),
      ),
    ),
  );

const explicitProbe: fc.Arbitrary<ProbeArgs> = fc.oneof(
  fc.record({ exec: fc.constant({ command: ["/bin/health", "--check"] }) }),
  fc.record({
    httpGet: fc.record({ path: fc.constantFrom("/healthz", "/ready"), port: fc.integer({ min: 1024, max: 65535 }) }),
  }),
  fc.record({
    grpc: fc.record({ port: fc.integer({ min: 1024, max: 65535 }) }),
    periodSeconds: fc.integer({ min: 1, max: 60 }),
  }),
);

const accessGrant: fc.Arbitrary<AccessGrant> = fc
  .record({
    role: fc.oneof(
      fc.constantFrom("view" as const, "edit" as const, "deploy" as const),
      fc.constant({
        name: "config-reader",
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
      }),
    ),
    users: opt(fc.array(fc.constantFrom("alice@example.com", "bob", "oidc:carol"), { minLength: 1, maxLength: 2 })),
    groups: opt(fc.array(fc.constantFrom("devs", "sre", "oidc:team-a"), { minLength: 1, maxLength: 2 })),
    serviceAccounts: opt(
      fc.array(
        fc.oneof(
          fc.constantFrom("ci", "reporter"),
          fc.record({ name: fc.constantFrom("runner", "deployer"), namespace: fc.constantFrom("ci", "argocd") }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    ),
  })
  .map(clean)
  .filter((g) => g.users !== undefined || g.groups !== undefined || g.serviceAccounts !== undefined);

/** A namespace and a workload deployed in it. */
export const scenario: fc.Arbitrary<Scenario> = fc
  .record({ ns: dnsName, wl: dnsName, tenant: opt(labelValueArb) })
  // The namespace's ServiceAccounts (ci, reporter, batch) are not the workload's.
  .filter(({ ns, wl }) => !["ci", "reporter", "batch"].includes(wl) && ns !== wl)
  .chain(({ ns, wl, tenant }) => {
    const tenantName = tenant ?? ns;
    // Same-namespace peers name pods that exist: the workload's own, or every tenant pod.
    const localPeer: fc.Arbitrary<NetworkPeer> = fc.constantFrom<NetworkPeer>(
      { podLabels: { "app.kubernetes.io/name": wl } },
      { podLabels: { "palisade.dev/tenant": tenantName } },
    );
    const ingressPeer = fc.oneof(remotePeer(ingressCidr), localPeer);
    const egressPeer = fc.oneof(remotePeer(egressCidr), localPeer);
    const ingressRule: fc.Arbitrary<IngressRule> = fc
      .record({ from: fc.array(ingressPeer, { minLength: 1, maxLength: 3 }), ports })
      .map(clean);
    const egressRule: fc.Arbitrary<EgressRule> = fc
      .record({ to: fc.array(egressPeer, { minLength: 1, maxLength: 3 }), ports })
      .map(clean);

    const namespaceArgs: fc.Arbitrary<SecureNamespaceArgs> = fc
      .record({
        name: fc.constant(ns),
        tenant: fc.constant(tenant),
        labels: opt(extraLabels),
        podSecurity: opt(fc.record({ version: psaVersion })),
        dnsEgress: opt(fc.boolean()),
        allowSameNamespace: opt(fc.boolean()),
        ingress: opt(fc.array(ingressRule, { maxLength: 2 })),
        egress: opt(fc.array(egressRule, { maxLength: 2 })),
        quota: opt(
          fc.record({
            hard: fc.record(
              {
                "requests.cpu": fc.constantFrom("2", "6"),
                pods: fc.constantFrom("10", 100),
                "count/jobs.batch": fc.constant("5"),
              },
              { requiredKeys: [] },
            ),
          }),
        ),
        limitRange: opt(
          fc.record(
            {
              defaultRequests: fc.record({ cpu: fc.constantFrom("50m", "100m"), memory: fc.constant("64Mi") }),
              defaultLimits: fc.record({ cpu: fc.constantFrom("200m", "1"), memory: fc.constantFrom("256Mi", "1Gi") }),
              max: fc.record({ cpu: fc.constantFrom("2", "4"), memory: fc.constantFrom("2Gi", "8Gi") }),
            },
            { requiredKeys: [] },
          ),
        ),
        serviceAccounts: opt(
          fc.uniqueArray(fc.constantFrom("ci", "reporter", "batch"), { minLength: 1, maxLength: 3 }),
        ),
        access: opt(fc.array(accessGrant, { maxLength: 3 })),
      })
      .map(clean);

    const workloadArgs = fc
      .record({
        kind: opt(fc.constantFrom("Deployment" as const, "StatefulSet" as const)),
        replicas: opt(fc.integer({ min: 0, max: 5 })),
        image,
        version: opt(fc.constantFrom("1.2.3", "v2")),
        labels: opt(extraLabels),
        command: opt(fc.array(word, { minLength: 1, maxLength: 3 })),
        args: opt(fc.array(word, { maxLength: 3 })),
        env: opt(fc.dictionary(envNames, envValues, { maxKeys: 4 })),
        ports: containerPorts,
        egress: opt(fc.array(egressRule, { maxLength: 2 })),
        dnsEgress: opt(fc.boolean()),
        resources: opt(
          fc.record(
            {
              cpu: quantityPairs("m", [50, 100, 250]),
              memory: quantityPairs("Mi", [64, 128, 256]),
              ephemeralStorage: quantityPairs("Mi", [32, 64, 128]),
            },
            { requiredKeys: [] },
          ),
        ),
        explicitProbes: fc.boolean(),
        liveness: explicitProbe,
        readiness: explicitProbe,
        startup: opt(explicitProbe, 4),
        runAs: opt(
          fc.record(
            {
              user: fc.integer({ min: 10000, max: 65535 }),
              group: fc.integer({ min: 10000, max: 65535 }),
              fsGroup: fc.integer({ min: 1, max: 65535 }),
            },
            { requiredKeys: [] },
          ),
        ),
        userNamespace: opt(fc.boolean()),
        seccompProfile: opt(fc.constantFrom("RuntimeDefault" as const, { localhostProfile: "profiles/app.json" })),
        runtimeClassName: opt(fc.constantFrom("gvisor", "kata")),
        tmpVolume: opt(
          fc.oneof(
            fc.constant(false as const),
            fc.record({ sizeLimit: fc.constantFrom("16Mi", "128Mi") }),
            fc.record({ sizeLimit: fc.constant("32Mi"), medium: fc.constant("Memory" as const) }),
          ),
        ),
        volumes: opt(
          fc.constantFrom<VolumeArgs[]>(
            [{ name: "config", mountPath: "/etc/app", configMap: "app-config" }],
            [{ name: "certs", mountPath: "/etc/tls", secret: "app-tls" }],
            [
              { name: "cache", mountPath: "/var/cache/app", emptyDir: { sizeLimit: "256Mi" } },
              { name: "data", mountPath: "/data", persistentVolumeClaim: "app-data", readOnly: true },
            ],
          ),
        ),
        claims: fc.boolean(),
        serviceAccountName: opt(fc.constant(`${wl}-sa`.slice(0, 63))),
        service: opt(fc.boolean()),
        pdb: fc.constantFrom<"default" | "off" | "max" | "min">("default", "off", "max", "min"),
        ingressPeers: fc.array(ingressPeer, { maxLength: 3 }),
      })
      .map((w) => {
        const replicas = w.replicas ?? 2;
        const hasTcp = w.ports.some((p) => (p.protocol ?? "TCP") === "TCP");
        const kind = w.kind ?? "Deployment";
        const args: HardenedWorkloadArgs = clean({
          name: wl,
          namespace: ns,
          tenant: tenantName,
          image: w.image,
          kind: w.kind,
          replicas: w.replicas,
          version: w.version,
          labels: w.labels,
          command: w.command,
          args: w.args,
          env: w.env,
          ports: w.ports.length > 0 ? w.ports : undefined,
          ingressFrom: w.ports.length > 0 && w.ingressPeers.length > 0 ? w.ingressPeers : undefined,
          egress: w.egress,
          dnsEgress: w.dnsEgress,
          resources: w.resources,
          probes:
            w.explicitProbes || !hasTcp
              ? clean({ liveness: w.liveness, readiness: w.readiness, startup: w.startup })
              : w.startup !== undefined
                ? { startup: w.startup }
                : undefined,
          runAs: w.runAs,
          userNamespace: w.userNamespace,
          seccompProfile: w.seccompProfile,
          runtimeClassName: w.runtimeClassName,
          tmpVolume: w.tmpVolume,
          volumes: w.volumes,
          volumeClaims:
            kind === "StatefulSet" && w.claims
              ? [{ name: "state", mountPath: "/var/lib/app", size: "1Gi" }]
              : undefined,
          serviceAccountName: w.serviceAccountName,
          service: w.service,
          podDisruptionBudget:
            w.pdb === "off"
              ? false
              : replicas > 1 && w.pdb === "max"
                ? { maxUnavailable: "25%" }
                : replicas > 1 && w.pdb === "min"
                  ? { minAvailable: 1 }
                  : undefined,
        });
        return args;
      });

    return fc.tuple(namespaceArgs, workloadArgs).map(([namespace, workload]) => ({
      namespace,
      workload,
      extra: referencedObjects(workload),
    }));
  });

/** The ConfigMaps and Secrets a workload mounts, declared as a user would beside it. */
export function referencedObjects(workload: HardenedWorkloadArgs): KubeObject[] {
  const out: KubeObject[] = [];
  for (const v of workload.volumes ?? []) {
    const metadata = { name: v.configMap ?? v.secret ?? "", namespace: workload.namespace };
    if (v.configMap !== undefined)
      out.push({ apiVersion: "v1", kind: "ConfigMap", metadata, data: { "app.yaml": "mode: production\n" } });
    if (v.secret !== undefined) out.push({ apiVersion: "v1", kind: "Secret", metadata, type: "Opaque" });
  }
  return out;
}
