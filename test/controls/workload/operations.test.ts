import { containerSudo } from "../../../policypack/controls/workload/sudo";
import {
  advisedVersion,
  DEPRECATED_APIS,
  deprecatedApiVersion,
} from "../../../policypack/controls/workload/deprecated-api";
import { nakedPod } from "../../../policypack/controls/workload/naked-pod";
import { containerProbes } from "../../../policypack/controls/workload/probes";
import { recommendedLabels } from "../../../policypack/controls/workload/recommended-labels";
import { tillerAndDashboardSkipLogin } from "../../../policypack/controls/workload/tiller-dashboard";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, pod, runControl } from "../../helpers/objects";
import { specRelativePaths } from "./paths";

const probe = { httpGet: { path: "/healthz", port: 8080 } };

describe("container-probes", () => {
  const spec = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    initContainers: [{ name: "init" }],
    containers: [{ name: "app", ...container }],
    ephemeralContainers: [{ name: "debug" }],
    ...extra,
  });

  it.each([
    ["both", { livenessProbe: probe, readinessProbe: probe }, []],
    ["liveness only", { livenessProbe: probe }, ["containers[0].readinessProbe"]],
    ["readiness only", { readinessProbe: probe }, ["containers[0].livenessProbe"]],
    ["startup only", { startupProbe: probe }, ["containers[0].livenessProbe", "containers[0].readinessProbe"]],
    ["a non-mapping probe", { livenessProbe: "yes", readinessProbe: probe }, ["containers[0].livenessProbe"]],
  ] as const)("%s", (_name, container, expected) => {
    for (const object of inEveryKind(spec(container))) {
      const v = runControl(containerProbes, object);
      const runToCompletion = object.kind === "Job" || object.kind === "CronJob";
      expect(v.map((x) => x.path?.split(".").slice(-2).join("."))).toEqual(runToCompletion ? [] : expected);
    }
  });

  it.each([
    ["Never", 0],
    ["OnFailure", 0],
    ["Always", 2],
  ])("restartPolicy %s", (restartPolicy, count) => {
    expect(runControl(containerProbes, pod(spec({}, { restartPolicy })))).toHaveLength(count);
  });
});

describe("naked-pod", () => {
  it.each([
    ["no ownerReferences", undefined, 1],
    ["empty ownerReferences", [], 1],
    ["garbage ownerReferences", ["x", 1], 1],
    ["owned by a ReplicaSet", [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u" }], 0],
  ])("%s", (_name, owners, count) => {
    const object = pod({ containers: [{ name: "a" }] }, owners !== undefined ? { ownerReferences: owners } : {});
    expect(runControl(nakedPod, object)).toHaveLength(count);
  });

  it("inspects Pods only", () => {
    expect(nakedPod.kinds).toEqual(["Pod"]);
    for (const object of inEveryKind({ containers: [{ name: "a" }] }).filter((o) => o.kind !== "Pod")) {
      expect(runControl(nakedPod, object)).toEqual([]);
    }
  });
});

describe("tiller-and-dashboard-skip-login", () => {
  it.each([
    ["gcr.io/kubernetes-helm/tiller:v2.16.12", true],
    ["ghcr.io/helm/tiller:v2.17.0", true],
    ["tiller", true],
    ["ghcr.io/acme/tiller-exporter:1.0", false],
    ["ghcr.io/acme/distiller:1.0", false],
  ])("image %s", (image, flagged) => {
    expect(specRelativePaths(tillerAndDashboardSkipLogin, { initContainers: [{ name: "x", image }] })).toEqual(
      flagged ? ["initContainers[0].image"] : [],
    );
  });

  it.each([
    [["--enable-skip-login"], [0]],
    [["--enable-skip-login=true"], [0]],
    [["--enable-skip-login=True"], [0]],
    [["--enable-skip-login=false"], []],
    [["--enable-skip-login=0"], []],
    [["--enable-skip-login", "false"], [0]], // pflag does not read a boolean's value from the next argument
    [["--enable-insecure-login"], [0]],
    [["--auto-generate-certificates", "--namespace=kubernetes-dashboard"], []],
    [["/dashboard --insecure-port=9090 --enable-skip-login"], [0]],
    [["--enable-skip-login-banner"], []],
  ])("args %j", (args, flagged) => {
    const paths = specRelativePaths(tillerAndDashboardSkipLogin, {
      ephemeralContainers: [{ name: "d", image: "kubernetesui/dashboard:v2.7.0", args }],
    });
    expect(paths).toEqual(flagged.map((i) => `ephemeralContainers[0].args[${i}]`));
  });

  const service = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: "kube-system" },
    spec,
  });

  it.each([
    [service("tiller-deploy", { ports: [{ port: 44134 }] }), ["metadata.name"]],
    [service("helm-tiller", {}), ["metadata.name"]],
    [service("grpc", { selector: { app: "helm", name: "tiller" } }), ["metadata.name"]],
    [service("grpc", { ports: [{ port: 80 }, { port: 8080, targetPort: 44134 }] }), ["spec.ports[1]"]],
    [service("distiller", { ports: [{ port: 443 }] }), []],
    [service("web", { selector: { name: "tiller" } }), []],
    [service("odd", { ports: "x", selector: 3 }), []],
  ])("Service %#", (object, paths) => {
    expect(runControl(tillerAndDashboardSkipLogin, object).map((v) => v.path)).toEqual(paths);
  });
});

describe("recommended-labels", () => {
  const labels = {
    "app.kubernetes.io/name": "api",
    "app.kubernetes.io/instance": "api-prod",
    "app.kubernetes.io/part-of": "shop",
    "app.kubernetes.io/managed-by": "pulumi",
  };

  it("is optional", () => {
    expect(recommendedLabels.optional).toBe(true);
  });

  it("checks the object and its pod template, not a Pod twice", () => {
    for (const object of inEveryKind({ containers: [{ name: "a" }] }, { labels })) {
      const v = runControl(recommendedLabels, { ...object, metadata: { ...object.metadata, labels } });
      expect(v).toEqual([]);
    }
    for (const object of inEveryKind({ containers: [{ name: "a" }] }, { labels: {} })) {
      const v = runControl(recommendedLabels, { ...object, metadata: { ...object.metadata, labels } });
      expect(v).toHaveLength(object.kind === "Pod" ? 0 : 4);
    }
  });

  it.each([
    [{}, 2],
    [{ "app.kubernetes.io/name": "" }, 2],
    [{ "app.kubernetes.io/name": "x" }, 1],
    [{ "app.kubernetes.io/name": "x", "app.kubernetes.io/instance": "y" }, 0],
  ])("configured labels on %j", (objectLabels, missing) => {
    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: objectLabels } };
    const config = { labels: ["app.kubernetes.io/name", "app.kubernetes.io/instance"] };
    const v = runControl(recommendedLabels, object, { config });
    expect(v).toHaveLength(missing);
    for (const x of v) expect(x.path).toMatch(/^metadata\.labels\["app\.kubernetes\.io\/(name|instance)"\]$/);
  });

  it("never throws on odd metadata", () => {
    for (const metadata of [undefined, null, "x", { labels: "x" }, { labels: [1] }]) {
      const object = { apiVersion: "v1", kind: "Service", metadata } as unknown as KubeObject;
      expect(() => runControl(recommendedLabels, object)).not.toThrow();
    }
  });
});

describe("deprecated-api-version", () => {
  const object = (apiVersion: string, kind: string): KubeObject => ({ apiVersion, kind, metadata: { name: "x" } });

  it("knows every kind it checks", () => {
    for (const api of DEPRECATED_APIS) for (const kind of api.kinds) expect(deprecatedApiVersion.kinds).toContain(kind);
  });

  it.each([
    ["extensions/v1beta1", "Deployment", true],
    ["apps/v1beta1", "StatefulSet", true],
    ["apps/v1beta2", "DaemonSet", true],
    ["extensions/v1beta1", "Ingress", true],
    ["networking.k8s.io/v1beta1", "Ingress", true],
    ["batch/v1beta1", "CronJob", true],
    ["policy/v1beta1", "PodDisruptionBudget", true],
    ["policy/v1beta1", "PodSecurityPolicy", true],
    ["rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", true],
    ["autoscaling/v2beta2", "HorizontalPodAutoscaler", true],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", true],
    ["apps/v1", "Deployment", false],
    ["networking.k8s.io/v1", "Ingress", false],
    ["batch/v1", "CronJob", false],
    ["policy/v1", "PodDisruptionBudget", false],
    ["autoscaling/v2", "HorizontalPodAutoscaler", false],
    ["autoscaling/v1", "HorizontalPodAutoscaler", false],
    ["example.com/v1beta1", "Deployment", false],
  ])("%s %s flagged: %s", (apiVersion, kind, flagged) => {
    const v = runControl(deprecatedApiVersion, object(apiVersion, kind));
    expect(v.map((x) => x.path)).toEqual(flagged ? ["apiVersion"] : []);
  });

  it.each([
    // batch/v1 CronJob arrives in 1.21; batch/v1beta1 stops being served in 1.25.
    ["v1.20", []],
    ["v1.21", ["deprecated"]],
    ["1.24", ["deprecated"]],
    ["v1.24.17", ["deprecated"]],
    ["v1.25", ["no longer served"]],
    ["latest", ["no longer served"]],
    ["nonsense", ["no longer served"]],
  ])("target %s", (kubernetesVersion, expected) => {
    const v = runControl(deprecatedApiVersion, object("batch/v1beta1", "CronJob"), { config: { kubernetesVersion } });
    expect(v.map((x) => (x.message.includes("no longer served") ? "no longer served" : "deprecated"))).toEqual(
      expected,
    );
  });

  it("names the replacement", () => {
    expect(runControl(deprecatedApiVersion, object("policy/v1beta1", "PodDisruptionBudget"))[0]?.message).toContain(
      "use policy/v1",
    );
  });

  it.each([
    // flowcontrol: v1beta2 from 1.23, v1beta3 from 1.26, v1 from 1.29.
    ["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "v1.22", undefined],
    ["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "v1.24", "flowcontrol.apiserver.k8s.io/v1beta2"],
    [
      "flowcontrol.apiserver.k8s.io/v1beta1",
      "PriorityLevelConfiguration",
      "v1.27",
      "flowcontrol.apiserver.k8s.io/v1beta3",
    ],
    ["flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "v1.25", undefined],
    ["flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "v1.27", "flowcontrol.apiserver.k8s.io/v1beta3"],
    ["flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "v1.29", "flowcontrol.apiserver.k8s.io/v1"],
    ["extensions/v1beta1", "Ingress", "v1.16", "networking.k8s.io/v1beta1"],
    ["extensions/v1beta1", "Ingress", "v1.19", "networking.k8s.io/v1"],
    ["batch/v2alpha1", "CronJob", "v1.20", "batch/v1beta1"],
  ])("%s %s at %s: advises a version the target serves (%s)", (apiVersion, kind, kubernetesVersion, advice) => {
    const v = runControl(deprecatedApiVersion, object(apiVersion, kind), { config: { kubernetesVersion } });
    if (advice === undefined) expect(v).toEqual([]);
    else expect(v.map((x) => x.message.replace(/.*: use /, ""))).toEqual([advice]);
  });

  it("never advises a version the target does not serve", () => {
    for (const api of DEPRECATED_APIS)
      for (let minor = 0; minor <= 40; minor++) {
        const advice = advisedVersion(api, minor);
        const steps = [...(api.interim ?? []), { apiVersion: api.replacement, since: api.replacementSince }];
        const step = steps.find((x) => x.apiVersion === advice);
        if (advice !== undefined)
          expect([api.apiVersion, minor, (step?.since ?? 99) <= minor]).toEqual([api.apiVersion, minor, true]);
      }
  });
});

describe("container-sudo", () => {
  it.each([
    [["sudo", "-u", "app", "run"], "command", [0]],
    [["/usr/bin/sudo"], "command", [0]],
    [["/bin/sh", "-c", "apt-get update&&sudo -E ./run"], "command", [2]],
    [["-c", "exec doas ./run"], "args", [1]],
    [["-c", "echo 'sudo'"], "args", [1]],
    [["pseudo", "sudoers", "visudo", "--sudo-mode"], "args", []],
    [["./run", "--user=sudo-less"], "args", []],
  ])("%j in %s", (list, field, indexes) => {
    const paths = specRelativePaths(containerSudo, { initContainers: [{ name: "i", [field]: list }] });
    expect(paths).toEqual(indexes.map((i) => `initContainers[0].${field}[${i}]`));
  });

  it("walks ephemeral containers and ignores odd shapes", () => {
    expect(
      specRelativePaths(containerSudo, { ephemeralContainers: [{ name: "d", command: ["sudo", 5, null] }] }),
    ).toEqual(["ephemeralContainers[0].command[0]"]);
    expect(
      specRelativePaths(containerSudo, { containers: [{ name: "d", command: "sudo x", args: { a: 1 } }] }),
    ).toEqual([]);
  });
});
