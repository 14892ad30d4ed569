/**
 * Differential test of Palisade's Pod Security Standards controls against the real PodSecurity
 * admission of kube-apiserver v1.35.8.
 *
 * Hundreds of generated pods (test/cluster/psa-pods.ts) are sent as server-side dry runs
 * (`dryRun=All`, nothing stored) to namespaces enforcing baseline and restricted — pinned to
 * v1.35 and at `latest` (the server's own 1.35) — and evaluated by `evaluate` with the
 * pod-security controls at `psaVersion: v1.35`. A pod the server refuses for any reason other
 * than PodSecurity (validation) is excluded and counted. Pods with ephemeral containers are created
 * without them, then the ephemeral containers are added through the pods/ephemeralcontainers
 * subresource (dry run), which PodSecurity also checks.
 *
 * Every disagreement is written to .tools/control-plane/reports/psa-differential.json and fails
 * the test. PALISADE_PSA_PODS (default 800) and PALISADE_PSA_SEED change the sample.
 */
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import type { KubeObject, Level } from "../../policypack/engine/types";
import {
  ControlPlane,
  mapLimit,
  SETUP_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  writeReport,
  type AdmissionVerdict,
} from "./control-plane";
import { samplePods, sweepPods, type GeneratedPod, type Json } from "./psa-pods";

jest.setTimeout(TEST_TIMEOUT_MS);

const POD_COUNT = Number(process.env["PALISADE_PSA_PODS"] ?? 800);
const SEED = Number(process.env["PALISADE_PSA_SEED"] ?? 20261127);
const POLICY_VERSION = "v1.35";
const LEVELS: readonly ("baseline" | "restricted")[] = ["baseline", "restricted"];
const CONCURRENCY = 12;

const controls = catalog.filter((c) => c.family === "pod-security");

/** PodSecurity's ForbiddenReason strings (policy/check_*.go) → check IDs, for the coverage table. */
const PSA_REASONS: readonly (readonly [RegExp, string])[] = [
  [/host namespaces/, "hostNamespaces"],
  [/privileged/, "privileged"],
  [/non-default capabilities/, "capabilities_baseline"],
  [/hostPath volumes/, "hostPathVolumes"],
  [/hostPort/, "hostPorts"],
  [/probe or lifecycle host/, "hostProbesAndHostLifecycle"],
  [/forbidden AppArmor profiles?/, "appArmorProfile"],
  [/seLinuxOptions/, "seLinuxOptions"],
  [/procMount/, "procMount"],
  [/seccompProfile/, "seccompProfile"],
  [/forbidden sysctls/, "sysctls"],
  [/hostProcess/, "windowsHostProcess"],
  [/restricted volume types/, "restrictedVolumes"],
  [/allowPrivilegeEscalation != false/, "allowPrivilegeEscalation"],
  [/unrestricted capabilities/, "capabilities_restricted"],
  [/runAsNonRoot != true/, "runAsNonRoot"],
  [/runAsUser=0/, "runAsUser"],
];

/** The check IDs named in a PodSecurity refusal (`…": reason (detail), reason (detail)`). */
function psaReasons(message: string): string[] {
  const list = message.replace(/^.*?violates PodSecurity "[^"]+": /, "");
  const out: string[] = [];
  // Reasons start the message or follow "), "; details are in parentheses.
  for (const part of list.split(/\), (?=[a-zA-Z])/)) {
    const reason = part.replace(/ \(.*$/s, "");
    const hit = PSA_REASONS.find(([re]) => re.test(reason) && reason.replace(re, "") === "");
    out.push(hit ? hit[1] : `?${reason}`);
  }
  return out;
}

interface PalisadeVerdict {
  readonly forbidden: boolean;
  readonly controls: string[];
  readonly messages: string[];
}

function palisade(pod: Json, level: Level, psaVersion = POLICY_VERSION): PalisadeVerdict {
  const r = evaluate([pod as KubeObject], { controls, level, config: { psaVersion } });
  const live = r.findings.filter((f) => f.exempted === undefined);
  return {
    forbidden: live.length > 0,
    controls: [...new Set(live.map((f) => f.control))].sort(),
    messages: live.map((f) => `${f.control}: ${f.message}${f.path ? ` [${f.path}]` : ""}`),
  };
}

type ServerVerdict = "allowed" | "forbidden";
const serverVerdict = (v: AdmissionVerdict): ServerVerdict | undefined =>
  v.outcome === "allowed" ? "allowed" : v.outcome === "pod-security" ? "forbidden" : undefined;

/**
 * The causes of a validation refusal, normalised for counting: indexes become `[*]`, the
 * offending value is dropped (`spec.containers[*].securityContext.procMount: `hostUsers` must be
 * false to use `Unmasked``).
 */
function exclusionCauses(v: AdmissionVerdict): string[] {
  if (v.outcome !== "rejected") return [v.outcome];
  if (v.causes.length === 0)
    return [`${v.status} ${v.reason}: ${v.message.replace(/"[a-z]-\d+"/g, '"…"').slice(0, 200)}`];
  const norm = (s: string | undefined) => (s ?? "").replace(/\[\d+\]/g, "[*]");
  const text = (m: string | undefined) =>
    (m ?? "")
      .replace(/^Invalid value: (?:"(?:[^"\\]|\\.)*"|\{.*\}|[^:]*): /s, "")
      .replace(/^Forbidden: /, "forbidden: ")
      .replace(/^Unsupported value: .*$/s, "unsupported value")
      .replace(/^Required value: ?/, "required: ");
  return [...new Set(v.causes.map((c) => `${norm(c.field)}: ${text(c.message)}`))].sort();
}

interface Disagreement {
  readonly pod: string;
  readonly flow: "create" | "ephemeralcontainers";
  readonly level: string;
  readonly namespace: string;
  readonly server: ServerVerdict;
  readonly serverMessage?: string;
  readonly palisade: PalisadeVerdict;
  /** Palisade's verdict on the object as the server would store it (defaults and syncs applied). */
  readonly palisadeOnStored?: boolean;
  readonly mutations: string[];
  readonly object: Json;
}

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: [] });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

it(`PodSecurity admission and Palisade agree on ${POD_COUNT} generated pods (baseline and restricted, ${POLICY_VERSION})`, async () => {
  const started = Date.now();
  const pinned = (level: string) => ({
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": POLICY_VERSION,
  });
  const namespaces: readonly { name: string; level: "baseline" | "restricted"; labels: Record<string, string> }[] = [
    { name: "psa-baseline", level: "baseline", labels: pinned("baseline") },
    { name: "psa-restricted", level: "restricted", labels: pinned("restricted") },
    { name: "psa-baseline-latest", level: "baseline", labels: { "pod-security.kubernetes.io/enforce": "baseline" } },
    {
      name: "psa-restricted-latest",
      level: "restricted",
      labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    },
  ];
  await cp.ensureNamespace("psa-privileged");
  for (const ns of namespaces) await cp.ensureNamespace(ns.name, ns.labels);
  // Created unlabelled (privileged) so any base pod can be stored, labelled before the
  // ephemeral-container updates.
  const ephNamespaces = LEVELS.map((level) => ({ name: `eph-${level}`, level }));
  for (const ns of ephNamespaces) await cp.ensureNamespace(ns.name);

  const sweep = sweepPods();
  const generated: GeneratedPod[] = [...samplePods(POD_COUNT, SEED), ...sweep];
  const named = generated.map((g, i) => {
    const name = `${g.ephemeral.length > 0 ? "e" : "p"}-${i}`;
    const pod = structuredClone(g.pod);
    (pod["metadata"] as Json)["name"] = name;
    const full = structuredClone(pod);
    if (g.ephemeral.length > 0) (full["spec"] as Json)["ephemeralContainers"] = structuredClone(g.ephemeral);
    return { ...g, name, pod, full };
  });

  const excluded: { pod: string; causes: string[]; message: string }[] = [];
  const anomalies: string[] = [];
  let requests = 0;

  /** One server verdict (allowed or refused by PodSecurity) to compare with Palisade's. */
  interface Outcome {
    readonly p: (typeof named)[number];
    readonly flow: Disagreement["flow"];
    readonly level: "baseline" | "restricted";
    readonly namespace: string;
    readonly verdict: AdmissionVerdict;
    readonly stored: Json | undefined;
  }
  const outcomes: Outcome[] = [];
  const exclude = (name: string, v: AdmissionVerdict, prefix = "") =>
    excluded.push({
      pod: name,
      causes: exclusionCauses(v).map((c) => `${prefix}${c}`),
      message: v.outcome === "rejected" ? v.message : v.outcome,
    });

  // 1. Pods without ephemeral containers: create, dry run.
  const plain = named.filter((p) => p.ephemeral.length === 0);
  await mapLimit(plain, CONCURRENCY, async (p) => {
    const priv = await cp.dryRunPod(p.pod, "psa-privileged");
    requests++;
    if (priv.outcome !== "allowed") {
      exclude(p.name, priv);
      return;
    }
    const verdicts = new Map<string, AdmissionVerdict>();
    for (const ns of namespaces) {
      const v = await cp.dryRunPod(p.pod, ns.name);
      requests++;
      verdicts.set(ns.name, v);
      if (v.outcome === "rejected")
        anomalies.push(`${p.name} in ${ns.name}: refused outside PodSecurity: ${v.message}`);
    }
    for (const level of LEVELS) {
      const pinnedV = verdicts.get(`psa-${level}`)!;
      const latestV = verdicts.get(`psa-${level}-latest`)!;
      if (serverVerdict(pinnedV) !== serverVerdict(latestV))
        anomalies.push(
          `${p.name}: ${level} pinned ${POLICY_VERSION} says ${pinnedV.outcome}, latest says ${latestV.outcome}`,
        );
      if (serverVerdict(pinnedV) === undefined) continue;
      outcomes.push({ p, flow: "create", level, namespace: `psa-${level}`, verdict: pinnedV, stored: priv.object });
    }
  });

  // 2. Pods with ephemeral containers: store the pod, then add them through the subresource.
  const withEphemeral = named.filter((p) => p.ephemeral.length > 0);
  const stored: typeof withEphemeral = [];
  await mapLimit(withEphemeral, CONCURRENCY, async (p) => {
    const priv = await cp.dryRunPod(p.pod, "psa-privileged");
    requests++;
    if (priv.outcome !== "allowed") {
      exclude(p.name, priv);
      return;
    }
    for (const ns of ephNamespaces) {
      const r = await cp.request("POST", `/api/v1/namespaces/${ns.name}/pods`, p.pod);
      requests++;
      if (r.status !== 201) throw new Error(`create ${p.name} in ${ns.name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    stored.push(p);
  });
  for (const ns of ephNamespaces) await cp.ensureNamespace(ns.name, pinned(ns.level));
  // PodSecurity reads namespaces from an informer: wait until it enforces the new labels.
  const probe = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "probe" },
    spec: { hostPID: true, containers: [{ name: "c", image: "x" }] },
  };
  for (const ns of ephNamespaces) {
    for (let i = 0; ; i++) {
      if ((await cp.dryRunPod(probe, ns.name)).outcome === "pod-security") break;
      if (i > 100) throw new Error(`PodSecurity never enforced the labels of ${ns.name}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ephExcluded = new Set<string>();
  await mapLimit(stored, CONCURRENCY, async (p) => {
    for (const ns of ephNamespaces) {
      const current = await cp.request("GET", `/api/v1/namespaces/${ns.name}/pods/${p.name}`);
      const pod = current.body as Json;
      (pod["spec"] as Json)["ephemeralContainers"] = structuredClone(p.ephemeral);
      const v = await cp.dryRunEphemeral(pod, ns.name, p.name);
      requests += 2;
      if (v.outcome === "rejected") {
        if (!ephExcluded.has(p.name)) {
          ephExcluded.add(p.name);
          exclude(p.name, v, "(ephemeralcontainers) ");
        }
        continue;
      }
      if (ephExcluded.has(p.name)) {
        anomalies.push(`${p.name}: ephemeral update refused in one namespace only`);
        continue;
      }
      outcomes.push({
        p,
        flow: "ephemeralcontainers",
        level: ns.level,
        namespace: ns.name,
        verdict: v,
        stored: undefined,
      });
    }
  });

  const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  /** Palisade at `version` against every server verdict. */
  const compare = (version: string): Disagreement[] => {
    const out: Disagreement[] = [];
    for (const o of outcomes) {
      const server = serverVerdict(o.verdict)!;
      const mine = palisade(o.p.full, o.level, version);
      if ((server === "forbidden") === mine.forbidden) continue;
      out.push({
        pod: o.p.name,
        flow: o.flow,
        level: o.level,
        namespace: o.namespace,
        server,
        ...(o.verdict.outcome === "pod-security" ? { serverMessage: o.verdict.message } : {}),
        palisade: mine,
        ...(o.stored ? { palisadeOnStored: palisade(o.stored, o.level, version).forbidden } : {}),
        mutations: o.p.mutations,
        object: o.p.full,
      });
    }
    return out;
  };
  const disagreements = compare(POLICY_VERSION);
  // The comparison has teeth: Palisade told the wrong policy version must disagree (v1.33 has
  // no hostProbesAndHostLifecycle check, no procMount_restricted, no user-namespace relaxation).
  const wrongVersion = compare("v1.33");

  const compared: Record<string, number> = {};
  const verdictCounts: Record<string, number> = {};
  const serverChecks: Record<string, number> = {};
  const palisadeControls: Record<string, number> = {};
  for (const o of outcomes) {
    count(compared, `${o.level} (${o.flow})`);
    const mine = palisade(o.p.full, o.level);
    count(
      verdictCounts,
      `${o.level} server=${serverVerdict(o.verdict)!} palisade=${mine.forbidden ? "forbidden" : "allowed"}`,
    );
    if (o.verdict.outcome === "pod-security")
      for (const c of psaReasons(o.verdict.message)) count(serverChecks, `${o.level}: ${c}`);
    for (const c of mine.controls) count(palisadeControls, `${o.level}: ${c}`);
  }
  // Which fields the compared pods exercised: each mutation once per pod, values dropped.
  const fieldCoverage: Record<string, number> = {};
  for (const name of new Set(outcomes.map((o) => o.p.name))) {
    const p = named.find((x) => x.name === name)!;
    const field = (d: string): string => {
      const m =
        /^(sweep: )?(volume \w+|sysctls?|capabilities\.(add|drop)|apparmor annotation|seccomp (pod |container )?annotation)/.exec(
          d,
        );
      if (m) return `${m[1] ?? ""}${m[2]!}`;
      return d.replace(/\[\d+\]/g, "").split(/=| \(|, | securityContext| "| \w+$/)[0]!;
    };
    for (const m of new Set(p.mutations.map(field))) count(fieldCoverage, m);
  }
  const exclusionCauseCounts: Record<string, number> = {};
  for (const e of excluded) for (const c of e.causes) count(exclusionCauseCounts, c);
  const comparedPods = new Set(outcomes.map((o) => o.p.name)).size;
  const summary = {
    kubernetes: "v1.35.8",
    policyVersion: POLICY_VERSION,
    seed: SEED,
    generated: named.length,
    generatedRandom: POD_COUNT,
    generatedSweep: sweep.length,
    generatedWithEphemeralContainers: withEphemeral.length,
    excludedForValidation: excluded.length,
    comparedPods,
    compared,
    disagreements: disagreements.length,
    disagreementsWithPalisadeAtV133: wrongVersion.length,
    anomalies: anomalies.length,
    requests,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    verdictCounts,
    serverChecks: Object.fromEntries(Object.entries(serverChecks).sort()),
    palisadeControls: Object.fromEntries(Object.entries(palisadeControls).sort()),
    fieldCoverage: Object.fromEntries(Object.entries(fieldCoverage).sort()),
    exclusionCauses: Object.fromEntries(Object.entries(exclusionCauseCounts).sort((a, b) => b[1] - a[1])),
  };
  const file = writeReport("psa-differential.json", { summary, disagreements, anomalies, excluded });
  process.stderr.write(`[psa-differential] ${JSON.stringify({ ...summary, report: file }, null, 2)}\n`);

  const shown = disagreements
    .slice(0, 15)
    .map(
      (d) =>
        `- ${d.pod} (${d.flow}) ${d.level}: server ${d.server}${d.serverMessage ? ` [${d.serverMessage.replace(/^.*violates /, "")}]` : ""}, ` +
        `palisade ${d.palisade.forbidden ? `forbidden [${d.palisade.messages.join(" | ")}]` : "allowed"}` +
        `${d.palisadeOnStored !== undefined ? `, palisade on the stored object: ${d.palisadeOnStored ? "forbidden" : "allowed"}` : ""}; ` +
        `mutations: ${d.mutations.join("; ")}`,
    )
    .join("\n");
  expect({ disagreements: disagreements.length, anomalies }).toEqual(
    disagreements.length === 0
      ? { disagreements: 0, anomalies: [] }
      : { disagreements: `see ${file}:\n${shown}`, anomalies: [] },
  );
  expect(comparedPods).toBeGreaterThanOrEqual(500);
  expect(comparedPods + excluded.length).toBe(named.length);
  expect(wrongVersion.length).toBeGreaterThan(0);
  // Every PodSecurity check refused at least one pod at the level that runs it.
  const seen = new Set(Object.keys(serverChecks).map((k) => k.replace(/^\w+: /, "")));
  const missing = PSA_REASONS.map(([, id]) => id).filter((id) => !seen.has(id));
  expect(missing).toEqual([]);
});
