/**
 * Opting out of a default is explicit and visible: each opt-out, with its reason, yields exactly
 * the expected exempted findings (control and object), carries the reason (and end date) into
 * every report, and leaves nothing unexempted.
 */
import {
  hardenedWorkload,
  secureNamespace,
  type HardenedWorkloadArgs,
  type Manifest,
  type SecureNamespaceArgs,
} from "../../components/manifests";
import { catalog } from "../../policypack/controls";
import type { PalisadeConfig } from "../../policypack/engine/config";
import { evaluate } from "../../policypack/engine/evaluate";
import { schemaErrors } from "./schema";

const IMAGE = `ghcr.io/acme/web:1.4.2@sha256:${"0123456789abcdef".repeat(4)}`;
const REASON = "measured by the team; tracked in SEC-1234";

const NAMESPACE: SecureNamespaceArgs = { name: "shop" };
const WORKLOAD: HardenedWorkloadArgs = {
  name: "web",
  namespace: "shop",
  tenant: "shop",
  image: IMAGE,
  ports: [{ port: 8080 }],
};

interface Case {
  readonly title: string;
  readonly namespace?: Partial<SecureNamespaceArgs>;
  readonly workload?: Partial<HardenedWorkloadArgs>;
  readonly config?: PalisadeConfig;
  /** `control Kind/name` of every exempted finding (one entry per finding). */
  readonly exempted: readonly string[];
  /** The annotated object: `Kind/name`. */
  readonly on: string;
  /** The setting prefixing the reason. */
  readonly setting: string;
}

const optOut = { reason: REASON };
const CASES: readonly Case[] = [
  {
    title: "allowUnpinnedImage",
    workload: { image: "ghcr.io/acme/web:1.4.2", allowUnpinnedImage: optOut },
    exempted: ["image-digest-pinned Deployment/web"],
    on: "Deployment/web",
    setting: "allowUnpinnedImage",
  },
  {
    title: "readOnlyRootFilesystem: { disabled }",
    workload: { readOnlyRootFilesystem: { disabled: true, ...optOut } },
    exempted: ["pod-read-only-root-filesystem Deployment/web"],
    on: "Deployment/web",
    setting: "readOnlyRootFilesystem",
  },
  {
    title: "resources.cpu.limit: { disabled }",
    workload: { resources: { cpu: { limit: { disabled: true, ...optOut } } } },
    exempted: ["container-cpu-limit Deployment/web"],
    on: "Deployment/web",
    setting: "resources.cpu.limit",
  },
  {
    title: "resources.memory.limit: { disabled }",
    workload: { resources: { memory: { limit: { disabled: true, ...optOut } } } },
    exempted: ["container-memory-limit Deployment/web"],
    on: "Deployment/web",
    setting: "resources.memory.limit",
  },
  {
    title: "resources.ephemeralStorage.limit: { disabled } (reported when the control requires container limits)",
    workload: { resources: { ephemeralStorage: { limit: { disabled: true, ...optOut } } } },
    config: { controls: { "pod-ephemeral-storage-bounded": { requireContainerLimits: true } } },
    exempted: ["pod-ephemeral-storage-bounded Deployment/web"],
    on: "Deployment/web",
    setting: "resources.ephemeralStorage.limit",
  },
  {
    title: "probes: { liveness, readiness: { disabled } }",
    workload: { probes: { liveness: { disabled: true, ...optOut }, readiness: { disabled: true, ...optOut } } },
    exempted: ["container-probes Deployment/web", "container-probes Deployment/web"],
    on: "Deployment/web",
    setting: "probes.liveness",
  },
  {
    title: "allowLowIds",
    workload: { runAs: { user: 1000, group: 1000 }, allowLowIds: optOut },
    exempted: ["pod-high-uid-gid Deployment/web", "pod-high-uid-gid Deployment/web"],
    on: "Deployment/web",
    setting: "allowLowIds",
  },
  {
    title: "mountServiceAccountToken",
    workload: { mountServiceAccountToken: optOut },
    exempted: ["sa-token-automount Deployment/web"],
    on: "Deployment/web",
    setting: "mountServiceAccountToken",
  },
  {
    title: "allowCloudMetadata (workload egress)",
    workload: { egress: [{ to: [{ cidr: "169.254.0.0/16" }], ports: [{ port: 80 }] }], allowCloudMetadata: optOut },
    exempted: ["network-metadata-egress NetworkPolicy/web"],
    on: "NetworkPolicy/web",
    setting: "allowCloudMetadata",
  },
  {
    title: "allowCloudMetadata (namespace egress)",
    namespace: {
      egress: [{ to: [{ cidr: "169.254.169.254/32" }], ports: [{ port: 80 }] }],
      allowCloudMetadata: optOut,
    },
    exempted: ["network-metadata-egress NetworkPolicy/allow-egress"],
    on: "NetworkPolicy/allow-egress",
    setting: "allowCloudMetadata",
  },
  {
    title: "podSecurity.enforce: baseline",
    namespace: { podSecurity: { enforce: { level: "baseline", ...optOut } } },
    exempted: ["namespace-psa-labels Namespace/shop"],
    on: "Namespace/shop",
    setting: "podSecurity.enforce",
  },
  {
    title: "podSecurity.enforce: privileged",
    namespace: { podSecurity: { enforce: { level: "privileged", ...optOut } } },
    exempted: ["namespace-psa-labels Namespace/shop", "namespace-privileged-allowlist Namespace/shop"],
    on: "Namespace/shop",
    setting: "podSecurity.enforce",
  },
  {
    title: "quota: { disabled }",
    namespace: { quota: { disabled: true, ...optOut } },
    exempted: ["namespace-resource-quota Namespace/shop"],
    on: "Namespace/shop",
    setting: "quota",
  },
  {
    title: "limitRange: { disabled }",
    namespace: { limitRange: { disabled: true, ...optOut } },
    exempted: ["namespace-limit-range Namespace/shop"],
    on: "Namespace/shop",
    setting: "limitRange",
  },
  {
    title: "a custom role's exempt",
    namespace: {
      access: [
        {
          role: {
            // Reads every certificate of the namespace (an ingress controller): resourceNames cannot narrow it.
            name: "tls-reader",
            rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
            exempt: { controls: ["rbac-secrets-read"], ...optOut },
          },
          serviceAccounts: ["cert-checker"],
        },
      ],
    },
    exempted: ["rbac-secrets-read Role/tls-reader"],
    on: "Role/tls-reader",
    setting: "exempt",
  },
  {
    title: "the deploy preset (built in, with its reason)",
    namespace: { access: [{ role: "deploy", serviceAccounts: ["ci"] }] },
    exempted: ["rbac-create-pods Role/palisade-deploy", "rbac-create-pods Role/palisade-deploy"],
    on: "Role/palisade-deploy",
    setting: "role deploy",
  },
];

function build(c: Case, until?: string): Manifest[] {
  const withUntil = <T>(v: T): T =>
    until === undefined
      ? v
      : (JSON.parse(
          JSON.stringify(v).split(`"reason":"${REASON}"`).join(`"reason":"${REASON}","until":"${until}"`),
        ) as T);
  return [
    ...secureNamespace(withUntil({ ...NAMESPACE, ...c.namespace })),
    ...hardenedWorkload(withUntil({ ...WORKLOAD, ...c.workload })),
  ];
}

describe("opt-outs", () => {
  it("the defaults alone exempt nothing", () => {
    const result = evaluate([...secureNamespace(NAMESPACE), ...hardenedWorkload(WORKLOAD)], { controls: catalog });
    expect(result.findings).toEqual([]);
  });

  it.each(CASES)("$title: exactly the expected exempted findings, with the reason", (c) => {
    const objects = build(c);
    const result = evaluate(objects, {
      controls: catalog,
      level: "hardened",
      ...(c.config ? { config: c.config } : {}),
    });
    expect(result.findings.filter((f) => f.exempted === undefined)).toEqual([]);
    expect(result.findings.map((f) => `${f.control} ${f.resource.kind}/${f.resource.name ?? ""}`).sort()).toEqual(
      [...c.exempted].sort(),
    );
    for (const f of result.findings) {
      expect(f.exempted?.source).toBe("annotation");
      expect(f.exempted?.reason).toContain(
        `${c.setting}: ${c.setting === "role deploy" ? "the deployment pipeline" : REASON}`,
      );
    }
    // Visible in the output: the annotations on the affected object.
    const target = objects.find((o) => `${o.kind}/${o.metadata.name}` === c.on);
    const controls = [...new Set(c.exempted.map((e) => e.split(" ")[0]))];
    expect(target?.metadata.annotations?.["palisade.dev/exempt"]?.split(",")).toEqual(expect.arrayContaining(controls));
    expect(warnings(result)).toEqual([]);
    expect(objects.map(schemaErrors).filter((e) => e !== undefined)).toEqual([]);
  });

  it.each(CASES.filter((c) => c.setting !== "role deploy"))("$title: until lapses the exemption after the day", (c) => {
    const objects = build(c, "2030-06-30");
    const before = evaluate(objects, {
      controls: catalog,
      now: new Date("2030-06-30T12:00:00Z"),
      ...(c.config ? { config: c.config } : {}),
    });
    expect(before.findings.every((f) => f.exempted?.until === "2030-06-30")).toBe(true);
    const after = evaluate(objects, {
      controls: catalog,
      now: new Date("2030-07-01T00:00:00Z"),
      ...(c.config ? { config: c.config } : {}),
    });
    expect(after.findings.filter((f) => f.exempted === undefined).length).toBe(c.exempted.length);
  });

  it("several opt-outs on one object join their reasons and keep the earliest end date", () => {
    const [, workload] = hardenedWorkload({
      ...WORKLOAD,
      readOnlyRootFilesystem: { disabled: true, reason: "legacy app writes to /var/run", until: "2031-01-01" },
      resources: {
        cpu: { limit: { disabled: true, reason: "latency-critical, bounded by requests", until: "2030-01-01" } },
      },
    }) as [Manifest, Manifest];
    expect(workload.metadata.annotations).toEqual({
      "palisade.dev/exempt": "container-cpu-limit,pod-read-only-root-filesystem",
      "palisade.dev/exempt-reason":
        "resources.cpu.limit: latency-critical, bounded by requests; readOnlyRootFilesystem: legacy app writes to /var/run",
      "palisade.dev/exempt-until": "2030-01-01",
    });
  });
});

function warnings(result: { warnings: readonly string[] }): string[] {
  return [...result.warnings];
}
