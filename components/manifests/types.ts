/**
 * Argument types shared by the builders. Props follow cdk8s-plus: every field readonly, one
 * sentence of JSDoc and an `@default` that states the behaviour when the field is left out.
 */
import type { KubeObject } from "../../policypack/engine/types";

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

/** Turns a hardened default off: `{ disabled: true, reason: "…" }`. */
export interface Disabled extends OptOut {
  /** Always `true`: the field is there so the opt-out reads as what it is. */
  readonly disabled: true;
}

/** A resource quantity: `"500m"`, `"256Mi"`, `2`. */
export type Quantity = string | number;

/** Transport protocol of a port. */
export type Protocol = "TCP" | "UDP" | "SCTP";

/** A port (or port range) a network rule allows. */
export interface NetworkPort {
  /** Port number (1-65535), or a named container port for rules about pods. */
  readonly port: number | string;
  /**
   * Last port of a range starting at `port` (numeric `port` only).
   * @default - the single port `port`
   */
  readonly endPort?: number;
  /**
   * Protocol.
   * @default "TCP"
   */
  readonly protocol?: Protocol;
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
  readonly podLabels?: Readonly<Record<string, string>>;
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
  readonly except?: readonly string[];
}

/** An ingress allowance: these sources may connect on these ports. */
export interface IngressRule {
  /** The sources admitted (at least one). */
  readonly from: readonly NetworkPeer[];
  /**
   * Ports admitted.
   * @default - every port
   */
  readonly ports?: readonly NetworkPort[];
}

/** An egress allowance: these destinations may be reached on these ports. */
export interface EgressRule {
  /** The destinations allowed (at least one). */
  readonly to: readonly NetworkPeer[];
  /**
   * Ports allowed.
   * @default - every port
   */
  readonly ports?: readonly NetworkPort[];
}

/** A ServiceAccount of another namespace, as an RBAC subject. */
export interface ServiceAccountRef {
  /** Name of the ServiceAccount. */
  readonly name: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
}

/** A plain Kubernetes object as a builder emits it: apiVersion, kind and a named metadata. */
export interface Manifest extends KubeObject {
  /** The object's API version, e.g. "apps/v1". */
  readonly apiVersion: string;
  /** The object's kind, e.g. "Deployment". */
  readonly kind: string;
  /** Name, namespace (for namespaced kinds), labels and, for opt-outs, the exemption annotations. */
  readonly metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
}
