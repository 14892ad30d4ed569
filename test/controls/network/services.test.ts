import { networkExternalIps } from "../../../policypack/controls/network/external-ips";
import { networkExternalNameLocalhost } from "../../../policypack/controls/network/external-name-localhost";
import { networkServiceType } from "../../../policypack/controls/network/service-type";
import type { KubeObject } from "../../../policypack/engine/types";
import { runControl } from "../../helpers/objects";

const service = (spec: unknown, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "shop", ...metadata },
  spec,
});

describe("network-service-type", () => {
  it.each<[string, unknown, string[]]>([
    ["unset (ClusterIP)", {}, []],
    ["ClusterIP", { type: "ClusterIP" }, []],
    ["ExternalName", { type: "ExternalName", externalName: "x.example.com" }, []],
    ["NodePort", { type: "NodePort" }, ["spec.type"]],
    ["LoadBalancer", { type: "LoadBalancer" }, ["spec.type"]],
    ["odd spec", "x", []],
  ])("%s", (_n, spec, expected) =>
    expect(runControl(networkServiceType, service(spec)).map((v) => v.path)).toEqual(expected),
  );

  it("allowlists by namespace/name, with an unset namespace read as default", () => {
    const lb = service({ type: "LoadBalancer" });
    expect(runControl(networkServiceType, lb, { config: { allowedServices: ["shop/*"] } })).toEqual([]);
    expect(runControl(networkServiceType, lb, { config: { allowedServices: ["shop/api"] } })).toHaveLength(1);
    const noNs = service({ type: "NodePort" }, { namespace: undefined });
    expect(runControl(networkServiceType, noNs, { config: { allowedServices: ["default/web"] } })).toEqual([]);
  });

  it("allows internal load balancers only when configured, and never NodePorts that way", () => {
    const internal = { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } };
    const config = { allowInternalLoadBalancers: true };
    expect(runControl(networkServiceType, service({ type: "LoadBalancer" }, internal))).toHaveLength(1);
    expect(runControl(networkServiceType, service({ type: "LoadBalancer" }, internal), { config })).toEqual([]);
    expect(runControl(networkServiceType, service({ type: "NodePort" }, internal), { config })).toHaveLength(1);
    const wrongValue = { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } };
    expect(runControl(networkServiceType, service({ type: "LoadBalancer" }, wrongValue), { config })).toHaveLength(1);
  });
});

describe("network-external-ips", () => {
  it.each<[string, unknown, string[]]>([
    ["unset", {}, []],
    ["empty", { externalIPs: [] }, []],
    ["set", { externalIPs: ["203.0.113.1"] }, ["spec.externalIPs"]],
    ["odd shape", { externalIPs: "203.0.113.1" }, []],
  ])("%s", (_n, spec, expected) =>
    expect(runControl(networkExternalIps, service(spec)).map((v) => v.path)).toEqual(expected),
  );
});

describe("network-external-name-localhost", () => {
  it.each<[string, boolean]>([
    ["db.example.com", false],
    ["localhost.example.com", false],
    ["127.example.com", false],
    ["128.0.0.1", false],
    ["169.254.169.254", false],
    ["localhost", true],
    ["LOCALHOST.", true],
    ["app.localhost", true],
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["[::1]", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::", true],
    ["::ffff:127.0.0.1", true],
  ])("%s → %s", (name, reported) => {
    const out = runControl(networkExternalNameLocalhost, service({ type: "ExternalName", externalName: name }));
    expect(out.map((v) => v.path)).toEqual(reported ? ["spec.externalName"] : []);
  });

  it("does not crash on odd shapes", () => {
    expect(runControl(networkExternalNameLocalhost, service({ externalName: 3 }))).toEqual([]);
  });
});
