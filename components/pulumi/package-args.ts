/**
 * The components' arguments as the Pulumi package declares them (components/pulumi/package.ts):
 * the same names, shapes, JSDoc and `@default`s as the TypeScript API (components/manifests), in
 * the forms the package schema can express. @pulumi/pulumi's schema inference reads this file.
 *
 * What differs, and why:
 * - readonly arrays are arrays and inline object types are named interfaces (the inference only
 *   follows `Array` and named interfaces);
 * - a union of string literals is `string` (the inference only turns `enum`s into enums);
 * - a union of different shapes (`Quantity` = string | number, `X | Disabled`, `boolean | DnsTarget`,
 *   `number | string` ports, …) is `Any` (`pulumi.json#/Any`), since a schema property has one type.
 *
 * Nothing is weakened at run time: the package's components pass these values to the same
 * builders, which validate every field (unknown keys, literal values, shapes) exactly as for
 * TypeScript callers. test/e2e/yaml-schema.test.ts checks that names, descriptions and defaults
 * stay equal to the TypeScript API's.
 */

/** Any value (`pulumi.json#/Any`): a field whose TypeScript type is a union of different shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** Arguments of secureNamespace / SecureNamespace. */
export interface SecureNamespaceArgs {
  /** Name of the Namespace (a DNS-1123 label; not `default` nor a `kube-` system namespace). */
  readonly name: string;
  /**
   * Tenant the namespace belongs to: the `palisade.dev/tenant` and `app.kubernetes.io/part-of`
   * label of every object, and the pod label that opts pods in to the namespace's allowances.
   * @default - the namespace name
   */
  readonly tenant?: string;
  /**
   * Extra labels on the Namespace (Pod Security and Palisade labels are set by the component).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Pod Security Admission level and version.
   * @default - enforce, audit and warn at restricted, pinned to v1.35
   */
  readonly podSecurity?: PodSecurityArgs;
  /**
   * Egress to the cluster DNS for the tenant's pods (53/UDP and 53/TCP to the DNS pods only);
   * `false` leaves name resolution closed, an object names another DNS deployment.
   * @default - kube-system pods labelled k8s-app=kube-dns
   */
  readonly dnsEgress?: Any;
  /**
   * Let the tenant's pods talk to each other (ingress from and egress to pods of the namespace
   * carrying the tenant label).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /**
   * Ingress the tenant's pods admit, beyond the default deny.
   * @default - none
   */
  readonly ingress?: IngressRule[];
  /**
   * Egress the tenant's pods may open, beyond the default deny and DNS. IP blocks covering a
   * cloud metadata address get it in `except`.
   * @default - none
   */
  readonly egress?: EgressRule[];
  /**
   * Leave the cloud metadata endpoint reachable by the `egress` blocks that cover it.
   * @default - metadata addresses are excluded from every egress block
   */
  readonly allowCloudMetadata?: OptOut;
  /**
   * The ResourceQuota, or `{ disabled: true, reason }`.
   * @default - the quota described in ResourceQuotaArgs
   */
  readonly quota?: Any;
  /**
   * The LimitRange, or `{ disabled: true, reason }`.
   * @default - the limits described in LimitRangeArgs
   */
  readonly limitRange?: Any;
  /**
   * ServiceAccounts to declare, with token automount off (`default` is always declared so).
   * @default - only default (and those of this namespace named in `access`)
   */
  readonly serviceAccounts?: string[];
  /**
   * Who may do what in the namespace: presets `view`, `edit`, `deploy`, or custom Roles,
   * bound by RoleBindings.
   * @default - no grants
   */
  readonly access?: AccessGrant[];
}

/** Arguments of hardenedWorkload / HardenedWorkload. */
export interface HardenedWorkloadArgs {
  /** Name of the workload, its Service, ServiceAccount and NetworkPolicy (a DNS-1035 label). */
  readonly name: string;
  /** Namespace to run in (not default nor a kube- system namespace). */
  readonly namespace: string;
  /** Container image, pinned by digest (`registry/app:1.2.3@sha256:<64 hex>`). */
  readonly image: string;
  /**
   * Run an image that is not pinned by digest (it still needs a version tag, and is pulled Always).
   * @default - an unpinned image is an error
   */
  readonly allowUnpinnedImage?: OptOut;
  /**
   * Controller kind.
   * @default "Deployment"
   */
  readonly kind?: string;
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Tenant (the SecureNamespace's): labels the pods `palisade.dev/tenant`, which opts them in to
   * the namespace's DNS egress and shared allowances.
   * @default - no tenant label: the pods get only this component's NetworkPolicy
   */
  readonly tenant?: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the tenant, else the name
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - no version label
   */
  readonly version?: string;
  /**
   * Extra labels on every object and the pods.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Entrypoint.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Environment variables (plain values; credentials go in `volumes` as Secret files).
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Ports the container listens on, exposed by a ClusterIP Service.
   * @default - none: no Service, no ingress
   */
  readonly ports?: ContainerPortArgs[];
  /**
   * Sources admitted on every declared port.
   * @default - none: only the namespace's own allowances apply
   */
  readonly ingressFrom?: NetworkPeer[];
  /**
   * Destinations the pods may reach.
   * @default - none
   */
  readonly egress?: EgressRule[];
  /**
   * DNS egress in the workload's own NetworkPolicy (for namespaces without SecureNamespace's).
   * @default false
   */
  readonly dnsEgress?: Any;
  /**
   * Leave the cloud metadata endpoint reachable by the `egress` blocks that cover it.
   * @default - metadata addresses are excluded from every egress block
   */
  readonly allowCloudMetadata?: OptOut;
  /**
   * Requests and limits.
   * @default - see WorkloadResources
   */
  readonly resources?: WorkloadResources;
  /**
   * Liveness, readiness and startup probes.
   * @default - tcpSocket liveness and readiness on the first port
   */
  readonly probes?: ProbesArgs;
  /**
   * User and group ids.
   * @default - user, group and fsGroup 10001
   */
  readonly runAs?: RunAsArgs;
  /**
   * Allow ids below 10000 (which may coincide with host accounts).
   * @default - ids below 10000 are an error
   */
  readonly allowLowIds?: OptOut;
  /**
   * Run in a user namespace (`hostUsers: false`; needs node support).
   * @default false
   */
  readonly userNamespace?: boolean;
  /**
   * Seccomp profile: RuntimeDefault or a Localhost profile.
   * @default "RuntimeDefault"
   */
  readonly seccompProfile?: Any;
  /**
   * RuntimeClass (a sandbox such as gVisor or Kata).
   * @default - the cluster's default runtime
   */
  readonly runtimeClassName?: string;
  /**
   * `{ disabled: true, reason }` makes the root filesystem writable.
   * @default - read-only root filesystem
   */
  readonly readOnlyRootFilesystem?: Disabled;
  /**
   * The writable /tmp: an emptyDir with a size limit, or `false` for none.
   * @default { sizeLimit: "64Mi" }
   */
  readonly tmpVolume?: Any;
  /**
   * Volumes to mount.
   * @default - none
   */
  readonly volumes?: VolumeArgs[];
  /**
   * Per-replica claims (StatefulSet only).
   * @default - none
   */
  readonly volumeClaims?: VolumeClaimArgs[];
  /**
   * Name of the dedicated ServiceAccount the component declares.
   * @default - the workload name
   */
  readonly serviceAccountName?: string;
  /**
   * Mount the ServiceAccount token (for workloads that call the Kubernetes API).
   * @default - no token is mounted
   */
  readonly mountServiceAccountToken?: OptOut;
  /**
   * `false` skips the Service.
   * @default - a ClusterIP Service when ports are declared
   */
  readonly service?: boolean;
  /**
   * The PodDisruptionBudget, or `false` for none.
   * @default - maxUnavailable 1 when replicas > 1, none otherwise
   */
  readonly podDisruptionBudget?: Any;
}

/** Pod Security Admission settings of the namespace. */
export interface PodSecurityArgs {
  /**
   * Level Pod Security Admission enforces; audit and warn stay at restricted whatever this is,
   * so what a lower level lets through is still reported.
   * @default "restricted"
   */
  readonly enforce?: Any;
  /**
   * Policy version pinned on enforce, audit and warn (`v1.N`), so a cluster upgrade never
   * changes what is admitted without review.
   * @default "v1.35"
   */
  readonly version?: string;
}

/** An ingress allowance: these sources may connect on these ports. */
export interface IngressRule {
  /** The sources admitted (at least one). */
  readonly from: NetworkPeer[];
  /**
   * Ports admitted.
   * @default - every port
   */
  readonly ports?: NetworkPort[];
}

/** An egress allowance: these destinations may be reached on these ports. */
export interface EgressRule {
  /** The destinations allowed (at least one). */
  readonly to: NetworkPeer[];
  /**
   * Ports allowed.
   * @default - every port
   */
  readonly ports?: NetworkPort[];
}

/**
 * An explicit opt-out of one hardened default. It is never silent: the reason lands on the
 * affected object as `palisade.dev/exempt-reason`, next to `palisade.dev/exempt` naming the
 * controls it exempts, and every report shows the exempted findings with it.
 */
export interface OptOut {
  /**
   * Why the hardened default does not fit this case (one line, at least 10 characters).
   */
  readonly reason: string;
  /**
   * Day (YYYY-MM-DD) after which the exemption lapses and the findings fail again.
   * @default - the exemption does not lapse
   */
  readonly until?: string;
}

/** Who gets a role in the namespace. */
export interface AccessGrant {
  /** A preset (`view`, `edit`, `deploy`) or a custom Role. */
  readonly role: Any;
  /**
   * Users (as the identity provider names them).
   * @default - no users
   */
  readonly users?: string[];
  /**
   * Groups.
   * @default - no groups
   */
  readonly groups?: string[];
  /**
   * ServiceAccounts: a name (of this namespace, declared by the component with token automount
   * off) or `{ name, namespace }` of another namespace.
   * @default - no ServiceAccounts
   */
  readonly serviceAccounts?: Any[];
}

/** A port the container listens on. */
export interface ContainerPortArgs {
  /** Port the container listens on (1024-65535: unprivileged, so no capability is needed). */
  readonly port: number;
  /**
   * Name of the port (IANA service name), used by the Service and the probes.
   * @default - "<protocol>-<port>", e.g. "tcp-8080"
   */
  readonly name?: string;
  /**
   * Port the Service exposes (may be privileged, e.g. 80).
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Protocol.
   * @default "TCP"
   */
  readonly protocol?: string;
}

/**
 * Who a rule admits or reaches: pods (of a named namespace, or of the object's own namespace)
 * or an IP block. Set `namespace` and/or `podLabels`, or `cidr` alone. An empty peer (which
 * Kubernetes reads as "everyone") is rejected.
 */
export interface NetworkPeer {
  /**
   * Namespace of the peer pods, matched on its immutable `kubernetes.io/metadata.name` label.
   * @default - the policy's own namespace
   */
  readonly namespace?: string;
  /**
   * Labels the peer pods must carry.
   * @default - every pod of `namespace`
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * An IP block instead of pods. A block that covers a cloud metadata address (169.254.169.254,
   * fd00:ec2::254) gets it added to `except` automatically.
   * @default - the peer is pods, not an IP block
   */
  readonly cidr?: string;
  /**
   * Sub-blocks of `cidr` to leave out.
   * @default - only the cloud metadata addresses the block covers
   */
  readonly except?: string[];
}

/** Container resources. */
export interface WorkloadResources {
  /**
   * CPU.
   * @default { request: "100m", limit: "500m" }
   */
  readonly cpu?: ResourceArgs;
  /**
   * Memory.
   * @default { request: "128Mi", limit: "256Mi" }
   */
  readonly memory?: ResourceArgs;
  /**
   * Ephemeral storage (writable layer, logs, emptyDir).
   * @default { request: "64Mi", limit: "512Mi" }
   */
  readonly ephemeralStorage?: ResourceArgs;
}

/** The container's probes. */
export interface ProbesArgs {
  /**
   * Restarts a container that stopped answering, or `{ disabled: true, reason }`.
   * @default - tcpSocket on the first declared port (an error when no port is declared)
   */
  readonly liveness?: Any;
  /**
   * Keeps traffic away until the container answers, or `{ disabled: true, reason }`.
   * @default - tcpSocket on the first declared port (an error when no port is declared)
   */
  readonly readiness?: Any;
  /**
   * Holds the other probes off while a slow container starts.
   * @default - none
   */
  readonly startup?: ProbeArgs;
}

/** User and group ids the container runs as. */
export interface RunAsArgs {
  /**
   * User id (at least 10000 unless allowLowIds).
   * @default 10001
   */
  readonly user?: number;
  /**
   * Primary group id (at least 10000 unless allowLowIds).
   * @default 10001
   */
  readonly group?: number;
  /**
   * Group that owns the mounted volumes.
   * @default - the group id
   */
  readonly fsGroup?: number;
}

/** Turns a hardened default off: `{ disabled: true, reason: "…" }`. */
export interface Disabled {
  /**
   * Why the hardened default does not fit this case (one line, at least 10 characters).
   */
  readonly reason: string;
  /**
   * Day (YYYY-MM-DD) after which the exemption lapses and the findings fail again.
   * @default - the exemption does not lapse
   */
  readonly until?: string;
  /** Always `true`: the field is there so the opt-out reads as what it is. */
  readonly disabled: boolean;
}

export interface EmptyDirArgs {
  readonly sizeLimit: Any;
  readonly medium?: string;
}

/** A volume mounted into the container: exactly one of configMap, secret, emptyDir, persistentVolumeClaim. */
export interface VolumeArgs {
  /** Name of the volume (a DNS-1123 label; `tmp` is the component's). */
  readonly name: string;
  /** Where the container sees it (absolute path). */
  readonly mountPath: string;
  /**
   * A ConfigMap of the namespace, mounted read-only.
   * @default - not a ConfigMap volume
   */
  readonly configMap?: string;
  /**
   * A Secret of the namespace, mounted read-only as files readable by the pod's group
   * (never as environment variables).
   * @default - not a Secret volume
   */
  readonly secret?: string;
  /**
   * Writable scratch space, bounded.
   * @default - not an emptyDir volume
   */
  readonly emptyDir?: EmptyDirArgs;
  /**
   * A PersistentVolumeClaim of the namespace.
   * @default - not a claim
   */
  readonly persistentVolumeClaim?: string;
  /**
   * Mount read-only (configMap and secret volumes always are).
   * @default - true for configMap and secret, false otherwise
   */
  readonly readOnly?: boolean;
}

/** A per-replica volume of a StatefulSet (volumeClaimTemplates). */
export interface VolumeClaimArgs {
  /** Name of the claim template (a DNS-1123 label). */
  readonly name: string;
  /** Where the container sees it. */
  readonly mountPath: string;
  /** Requested size, e.g. "10Gi". */
  readonly size: Any;
  /**
   * StorageClass.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
}

/** A port (or port range) a network rule allows. */
export interface NetworkPort {
  /** Port number (1-65535), or a named container port for rules about pods. */
  readonly port: Any;
  /**
   * Last port of a range starting at `port` (numeric `port` only).
   * @default - the single port `port`
   */
  readonly endPort?: number;
  /**
   * Protocol.
   * @default "TCP"
   */
  readonly protocol?: string;
}

/** Request and limit of one resource. */
export interface ResourceArgs {
  /**
   * What the scheduler reserves.
   * @default - see the resource
   */
  readonly request?: Any;
  /**
   * The most the container may use, or `{ disabled: true, reason }` for no limit.
   * @default - see the resource
   */
  readonly limit?: Any;
}

export interface HttpGetProbeArgs {
  readonly path: string;
  readonly port: Any;
  readonly scheme?: string;
}

export interface TcpSocketProbeArgs {
  readonly port: Any;
}

export interface GrpcProbeArgs {
  readonly port: number;
  readonly service?: string;
}

export interface ExecProbeArgs {
  readonly command: string[];
}

/** A probe: exactly one of httpGet, tcpSocket, grpc or exec, with optional timings. */
export interface ProbeArgs {
  /**
   * HTTP GET on a path and port (a number or a declared port's name).
   * @default - not an HTTP probe
   */
  readonly httpGet?: HttpGetProbeArgs;
  /**
   * TCP connect to a port.
   * @default - not a TCP probe
   */
  readonly tcpSocket?: TcpSocketProbeArgs;
  /**
   * gRPC health check on a port.
   * @default - not a gRPC probe
   */
  readonly grpc?: GrpcProbeArgs;
  /**
   * A command run in the container.
   * @default - not an exec probe
   */
  readonly exec?: ExecProbeArgs;
  /**
   * Seconds before the first probe.
   * @default - Kubernetes' default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default - Kubernetes' default (10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default - Kubernetes' default (1)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe fails.
   * @default - Kubernetes' default (3)
   */
  readonly failureThreshold?: number;
}
