// Command netpol-oracle answers NetworkPolicy connectivity questions with an implementation that
// is not Palisade's: the matcher of github.com/mattfenwick/cyclonus, which cyclonus uses to compute
// the expected truth tables of its conformance runs. Palisade's differential test
// (test/analysis/netpol-oracle.ts) feeds it generated namespaces, pods and policies and compares
// every answer with policypack/analysis/network.
//
// Input (stdin, JSON):
//
//	{"namespaces": [{"name": "a", "labels": {...}}],
//	 "pods": [{"namespace": "a", "name": "p", "labels": {...}, "ip": "10.0.0.1",
//	           "hostNetwork": false, "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}],
//	 "policies": [<networking.k8s.io/v1 NetworkPolicy>...],
//	 "queries": [{"src": {"pod": "a/p"} | {"ip": "8.8.8.8"}, "dst": ..., "port": 80, "protocol": "TCP"}]}
//
// Output (stdout, JSON): {"answers": [{"allowed": true, "ingress": true, "egress": true}, ...]}.
//
// What this wrapper does itself, and why (everything else is cyclonus):
//   - policyTypes defaulting (the API server's SetDefaults_NetworkPolicy): cyclonus reads policies
//     from a cluster, where the server has already defaulted them, and panics on an empty list.
//   - the kubernetes.io/metadata.name namespace label, which the API server sets on every namespace.
//   - named ports: the port name of a query is the name of the destination pod's container port
//     with that number and protocol (cyclonus's Traffic carries a resolved port and its name).
//   - hostNetwork pods are traffic peers with only an IP (the node's): no policy selects them and
//     no pod selector matches them, only ipBlocks.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	v1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

type namespace struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
}

type containerPort struct {
	Name     string      `json:"name"`
	Port     int         `json:"port"`
	Protocol v1.Protocol `json:"protocol"`
}

type pod struct {
	Namespace   string            `json:"namespace"`
	Name        string            `json:"name"`
	Labels      map[string]string `json:"labels"`
	IP          string            `json:"ip"`
	HostNetwork bool              `json:"hostNetwork"`
	Ports       []containerPort   `json:"ports"`
}

type peerRef struct {
	Pod string `json:"pod,omitempty"`
	IP  string `json:"ip,omitempty"`
}

type query struct {
	Src      peerRef     `json:"src"`
	Dst      peerRef     `json:"dst"`
	Port     int         `json:"port"`
	Protocol v1.Protocol `json:"protocol"`
}

type input struct {
	Namespaces []namespace                   `json:"namespaces"`
	Pods       []pod                         `json:"pods"`
	Policies   []*networkingv1.NetworkPolicy `json:"policies"`
	Queries    []query                       `json:"queries"`
}

type answer struct {
	Allowed bool `json:"allowed"`
	Ingress bool `json:"ingress"`
	Egress  bool `json:"egress"`
}

// defaultPolicyTypes is SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go).
func defaultPolicyTypes(p *networkingv1.NetworkPolicy) {
	if len(p.Spec.PolicyTypes) > 0 {
		return
	}
	p.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	if len(p.Spec.Egress) > 0 {
		p.Spec.PolicyTypes = append(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
	}
}

func run() error {
	var in input
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	nsLabels := map[string]map[string]string{}
	for _, ns := range in.Namespaces {
		labels := map[string]string{}
		for k, v := range ns.Labels {
			labels[k] = v
		}
		labels["kubernetes.io/metadata.name"] = ns.Name
		nsLabels[ns.Name] = labels
	}
	pods := map[string]pod{}
	for _, p := range in.Pods {
		if _, ok := nsLabels[p.Namespace]; !ok {
			return fmt.Errorf("pod %s/%s: namespace %q is not in the input", p.Namespace, p.Name, p.Namespace)
		}
		pods[p.Namespace+"/"+p.Name] = p
	}
	for _, p := range in.Policies {
		defaultPolicyTypes(p)
	}
	policy := matcher.BuildNetworkPolicies(false, in.Policies)

	peer := func(ref peerRef) (*matcher.TrafficPeer, *pod, error) {
		if ref.Pod == "" {
			if ref.IP == "" {
				return nil, nil, fmt.Errorf("a query peer needs pod or ip")
			}
			return &matcher.TrafficPeer{IP: ref.IP}, nil, nil
		}
		p, ok := pods[ref.Pod]
		if !ok {
			return nil, nil, fmt.Errorf("query names unknown pod %q", ref.Pod)
		}
		if p.HostNetwork {
			return &matcher.TrafficPeer{IP: p.IP}, &p, nil
		}
		return &matcher.TrafficPeer{
			IP: p.IP,
			Internal: &matcher.InternalPeer{
				PodLabels:       p.Labels,
				NamespaceLabels: nsLabels[p.Namespace],
				Namespace:       p.Namespace,
			},
		}, &p, nil
	}

	answers := make([]answer, 0, len(in.Queries))
	for i, q := range in.Queries {
		src, _, err := peer(q.Src)
		if err != nil {
			return fmt.Errorf("query %d: %w", i, err)
		}
		dst, dstPod, err := peer(q.Dst)
		if err != nil {
			return fmt.Errorf("query %d: %w", i, err)
		}
		portName := ""
		if dstPod != nil && !dstPod.HostNetwork {
			for _, cp := range dstPod.Ports {
				if cp.Port == q.Port && cp.Protocol == q.Protocol {
					portName = cp.Name
				}
			}
		}
		result := policy.IsTrafficAllowed(&matcher.Traffic{
			Source:           src,
			Destination:      dst,
			ResolvedPort:     q.Port,
			ResolvedPortName: portName,
			Protocol:         q.Protocol,
		})
		answers = append(answers, answer{
			Allowed: result.IsAllowed(),
			Ingress: result.Ingress.IsAllowed(),
			Egress:  result.Egress.IsAllowed(),
		})
	}
	out := json.NewEncoder(os.Stdout)
	return out.Encode(map[string][]answer{"answers": answers})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "netpol-oracle: %v\n", err)
		os.Exit(2)
	}
}
