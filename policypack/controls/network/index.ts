import type { Control } from "../../engine/control";
import { networkApiServiceTlsVerify } from "./apiservice-tls-verify";
import { networkDanglingSelectors } from "./dangling-selectors";
import { networkDefaultDeny } from "./default-deny";
import { networkDnsEgress } from "./dns-egress";
import { networkEmptyPodSelector } from "./empty-pod-selector";
import { networkExternalIps } from "./external-ips";
import { networkExternalNameLocalhost } from "./external-name-localhost";
import { networkIngressHost } from "./ingress-host";
import { networkIngressHostUnique } from "./ingress-host-unique";
import { networkIngressNginxSnippets } from "./ingress-nginx-snippets";
import { networkIngressTls } from "./ingress-tls";
import { networkMetadataEgress } from "./metadata-egress";
import { networkNamespaceSelectorName } from "./namespace-selector-name";
import { networkNoAllowAllPeers } from "./no-allow-all-peers";
import { networkPrivilegedPorts } from "./privileged-ports";
import { networkServiceType } from "./service-type";
import { networkTenantIsolation } from "./tenant-network-isolation";
import { networkWorkloadIsolation } from "./workload-isolation";

/** The network family, in catalog order. */
export const networkControls: readonly Control[] = [
  networkDefaultDeny,
  networkWorkloadIsolation,
  networkTenantIsolation,
  networkDnsEgress,
  networkMetadataEgress,
  networkNoAllowAllPeers,
  networkEmptyPodSelector,
  networkDanglingSelectors,
  networkNamespaceSelectorName,
  networkServiceType,
  networkExternalIps,
  networkIngressTls,
  networkIngressHost,
  networkIngressHostUnique,
  networkIngressNginxSnippets,
  networkExternalNameLocalhost,
  networkPrivilegedPorts,
  networkApiServiceTlsVerify,
];
