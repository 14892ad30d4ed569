/**
 * Differential test of `palisade export vap` on a real kube-apiserver: for every fixture of every
 * exported control, the exported ValidatingAdmissionPolicies object to exactly the controls
 * `palisade check` flags on each object, no more and no fewer.
 *
 * Two passes per fixture config: with the bindings on Warn, every failing policy of one request
 * comes back as a warning, so the set of policies is compared with the set of controls; with the
 * bindings on Deny, an object is denied if and only if Palisade flags it.
 *
 * Set PALISADE_VAP_CONTROLS=id,id to install only those controls' policies and run only their
 * fixture folders (the inner loop while writing CEL); the report then names the selection.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { catalog } from "../../policypack/controls";
import type { Control } from "../../policypack/engine/control";
import type { PalisadeConfig } from "../../policypack/engine/config";
import { evaluate } from "../../policypack/engine/evaluate";
import { isNamespaced } from "../../policypack/engine/kinds";
import type { KubeObject } from "../../policypack/engine/types";
import {
  exportVap,
  PARAMS_CRD_NAME,
  paramsCrd,
  POLICY_PREFIX,
  resourceOf,
  type ValidationAction,
} from "../../policypack/engine/vap";
import { FIXTURES, fixturesFor, type Fixture } from "../helpers/fixtures";
import { samplePods, sweepPods } from "./psa-pods";
import {
  classify,
  ControlPlane,
  mapLimit,
  SETUP_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  writeReport,
  type ApiResponse,
  type Identity,
} from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const only = (process.env["PALISADE_VAP_CONTROLS"] ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "");

interface Case {
  readonly fixture: string;
  readonly object: KubeObject;
  readonly label: string;
  /** Exported controls Palisade flags on this object (not exempted). */
  readonly expected: string[];
}

interface Outcome {
  readonly label: string;
  readonly expected: string[];
  readonly got: string[];
  readonly detail: string;
}

interface Verdict {
  readonly policies: string[];
  readonly denied: boolean;
  /** The server dropped warnings past its limit: the policies seen are a subset of those that objected. */
  readonly truncated?: boolean;
  readonly excluded?: string;
  readonly detail: string;
}

/**
 * The API server keeps at most 4,096 runes of warnings per response (items cut to 256 once over,
 * the rest dropped: apiserver/pkg/endpoints/filters/warning.go), so an object that fails many
 * policies shows only some of them in the Warn pass.
 */
function truncated(warnings: readonly string[]): boolean {
  return warnings.reduce((n, w) => n + [...w].length, 0) >= 4096 - 256;
}

const WARNING = /ValidatingAdmissionPolicy '([^']+)' with binding/g;

function policiesIn(texts: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(WARNING)) ids.add((m[1] ?? "").slice(POLICY_PREFIX.length));
  return [...ids].sort();
}

function objectPath(o: KubeObject, namespace: string, subresource = ""): string | undefined {
  const r = resourceOf(o.kind ?? "");
  if (r === undefined || typeof o.apiVersion !== "string" || typeof o.metadata?.name !== "string") return undefined;
  const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = isNamespaced(o) === true ? `/namespaces/${namespace}` : "";
  return `${base}${ns}/${r.plural}/${o.metadata.name}${subresource}`;
}

function namespaceOf(o: KubeObject): string {
  return typeof o.metadata?.namespace === "string" ? o.metadata.namespace : "default";
}

const GENERATED_NAMESPACE = "vap-generated";

const isEphemeralPod = (o: KubeObject): boolean =>
  o.kind === "Pod" && Array.isArray((o as { spec?: { ephemeralContainers?: unknown } }).spec?.ephemeralContainers);

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

let cp: ControlPlane;
const report: Record<string, unknown> = {};

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: [] });
  // Before any policy: the policies left installed by one test would judge the namespace itself.
  await cp.ensureNamespace(GENERATED_NAMESPACE);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  const suffix = only.length > 0 ? `.${only.join("+").slice(0, 80)}` : "";
  const file = writeReport(`vap-differential${suffix}.json`, report);
  process.stdout.write(`vap differential report: ${file}\n`);
  await cp?.stop();
});

/**
 * Each binding matches objects labelled `all` or its shard. Test requests carry `all`; an object
 * whose warnings the server cut (see `truncated`) is sent again once per shard, and the union of
 * the shards' warnings is the whole set. Outside the test, bindings match everything.
 */
const SHARD_LABEL = "palisade.dev/test-shard";
const SHARDS = 6;

function sharded(binding: KubeObject, index: number): KubeObject {
  const spec = (binding as { spec: Record<string, unknown> }).spec;
  return {
    ...binding,
    spec: {
      ...spec,
      matchResources: {
        objectSelector: {
          matchExpressions: [{ key: SHARD_LABEL, operator: "In", values: ["all", `s${index % SHARDS}`] }],
        },
      },
    },
  };
}

function labelled(o: KubeObject, shard: string): KubeObject {
  return { ...o, metadata: { ...(o.metadata ?? {}), labels: { ...(o.metadata?.labels ?? {}), [SHARD_LABEL]: shard } } };
}

async function install(
  config: PalisadeConfig,
  action: ValidationAction,
  // The inner loop installs only the selected controls, so others' policies cannot interfere.
  controls: readonly Control[] = only.length > 0 ? catalog.filter((c) => only.includes(c.id)) : catalog,
  annotationExemptionsFrom: readonly string[] = [],
): Promise<string[]> {
  const out = exportVap({ controls, level: "hardened", config, action, annotationExemptionsFrom });
  const del = await cp.kubectl([
    "delete",
    "validatingadmissionpolicies,validatingadmissionpolicybindings,controlparameters",
    "-l",
    "app.kubernetes.io/managed-by=palisade",
    "--ignore-not-found",
    "--wait=false",
  ]);
  if (del.code !== 0) throw new Error(`delete old policies: ${del.stderr}`);
  // The CRD was installed once at the start; re-applying it is an update that a lingering binding
  // of the previous round (its parameters already deleted) would deny.
  let binding = 0;
  const text = out.objects
    .filter((o) => o.kind !== "CustomResourceDefinition")
    .map((o) => (o.kind === "ValidatingAdmissionPolicyBinding" ? sharded(o, binding++) : o))
    .map((o) => `---\n${stringify(o)}`)
    .join("");
  const applied = await cp.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: text });
  if (applied.code !== 0) throw new Error(`apply exported policies: ${applied.stderr}`);
  return [...out.exported].sort();
}

/** One object through admission (server-side apply, dry run): the policies that objected, or why it was not compared. */
/** Through admission with every policy; when the server cut the warnings, shard by shard. */
async function withShards(o: KubeObject, once: (o: KubeObject) => Promise<Verdict>): Promise<Verdict> {
  const v = await once(labelled(o, "all"));
  if (v.truncated !== true) return v;
  const policies = new Set<string>();
  for (let k = 0; k < SHARDS; k++) {
    const part = await once(labelled(o, `s${k}`));
    if (part.excluded !== undefined || part.truncated === true) return v;
    part.policies.forEach((p) => policies.add(p));
  }
  return { policies: [...policies].sort(), denied: false, detail: `${SHARDS} shards: ${v.detail}` };
}

const admit = (o: KubeObject, identity: Identity = {}): Promise<Verdict> =>
  withShards(o, (x) => admitOnce(x, identity));

async function admitOnce(o: KubeObject, identity: Identity = {}): Promise<Verdict> {
  const p = objectPath(o, namespaceOf(o));
  if (p === undefined) return { policies: [], denied: false, excluded: "no served resource or no name", detail: "" };
  const r = await cp.request("PATCH", p, JSON.stringify(o), {
    ...identity,
    contentType: "application/apply-patch+yaml",
    query: { dryRun: "All", fieldManager: "palisade-vap-test", force: "true" },
  });
  return verdictOf(r, "refused by the server");
}

/** The policies that objected to one admission request, or why the object was not compared. */
function verdictOf(r: ApiResponse, refusal: string): Verdict {
  const verdict = classify(r);
  if (verdict.outcome === "allowed")
    return {
      policies: policiesIn(verdict.warnings),
      denied: false,
      truncated: truncated(verdict.warnings),
      detail: verdict.warnings.join(" | "),
    };
  if (verdict.message.includes(`ValidatingAdmissionPolicy '${POLICY_PREFIX}`))
    return { policies: policiesIn([verdict.message]), denied: true, detail: verdict.message };
  return {
    policies: [],
    denied: false,
    excluded: `${refusal} (${verdict.status}): ${verdict.message.slice(0, 300)}`,
    detail: "",
  };
}

let ephemeralSeq = 0;

/** A pod with ephemeral containers: the base pod created for real, the containers added as a dry run. */
const admitEphemeral = (o: KubeObject): Promise<Verdict> => withShards(o, admitEphemeralOnce);

async function admitEphemeralOnce(o: KubeObject): Promise<Verdict> {
  const ns = namespaceOf(o);
  const name = `vap-ephemeral-${++ephemeralSeq}`;
  const spec = { ...((o as { spec?: Record<string, unknown> }).spec ?? {}) };
  delete spec["ephemeralContainers"];
  const base = { ...o, metadata: { ...(o.metadata ?? {}), name, namespace: ns }, spec };
  const created = await cp.request("POST", `/api/v1/namespaces/${ns}/pods`, base);
  if (created.status !== 201)
    return {
      policies: [],
      denied: false,
      excluded: `base pod refused (${created.status})`,
      detail: JSON.stringify(created.body).slice(0, 300),
    };
  const current = created.body as KubeObject;
  const full = {
    ...current,
    spec: {
      ...(current as { spec: Record<string, unknown> }).spec,
      ephemeralContainers: (o as { spec: Record<string, unknown> }).spec["ephemeralContainers"],
    },
  };
  const r = await cp.request("PUT", `/api/v1/namespaces/${ns}/pods/${name}/ephemeralcontainers`, full, {
    query: { dryRun: "All" },
  });
  return verdictOf(r, "ephemeral update refused");
}

function casesFor(fixtures: readonly Fixture[], exported: ReadonlySet<string>): { cases: Case[]; excluded: string[] } {
  const cases: Case[] = [];
  const excluded: string[] = [];
  for (const f of fixtures) {
    const result = evaluate(f.objects, { controls: catalog, level: "hardened", config: f.config });
    const rel = path.relative(FIXTURES, f.file);
    const pinned = f.objects.some(
      (o) =>
        o.kind === "Namespace" &&
        typeof o.metadata?.labels?.["pod-security.kubernetes.io/enforce-version"] === "string",
    );
    const idOf = (o: KubeObject): string => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
    const copies = new Map<string, number>();
    for (const o of f.objects) copies.set(idOf(o), (copies.get(idOf(o)) ?? 0) + 1);
    f.objects.forEach((o, i) => {
      const label = `${rel}#${i} ${o.kind ?? "?"}/${o.metadata?.name ?? "?"}`;
      if (resourceOf(o.kind ?? "") === undefined) return;
      // Findings name the object, not the document: two documents of one object cannot be told apart.
      if ((copies.get(idOf(o)) ?? 0) > 1) {
        excluded.push(`${label}: the file holds this object twice (the server sees one write at a time)`);
        return;
      }
      const flagged = result.findings
        .filter(
          (x) =>
            // Admission ignores the judged object's own exemption annotations (the differential
            // installs no trusted requester here): only the config's exemptions count.
            (x.exempted === undefined || x.exempted.source === "annotation") &&
            exported.has(x.control) &&
            x.resource.kind === o.kind &&
            x.resource.name === o.metadata?.name &&
            (isNamespaced(o) !== true ||
              (x.resource.namespace ?? f.config.defaultNamespace ?? "default") ===
                (o.metadata?.namespace ?? f.config.defaultNamespace ?? "default")),
        )
        .map((x) => x.control);
      if (pinned && o.kind !== "Namespace" && resourceOf(o.kind ?? "") !== undefined) {
        excluded.push(`${label}: its namespace pins a Pod Security version; exported policies judge at the newest`);
        return;
      }
      // An object without a namespace lands where kubectl's context says: the config's default.
      const object =
        isNamespaced(o) === true && typeof o.metadata?.namespace !== "string"
          ? { ...o, metadata: { ...(o.metadata ?? {}), namespace: f.config.defaultNamespace ?? "default" } }
          : o;
      // namespace-not-default also flags a manifest that leaves the namespace to the context, which
      // a reviewer cannot see; at admission only where it landed exists.
      const landed = f.config.defaultNamespace ?? "default";
      const judged =
        object === o || landed === "default" ? flagged : flagged.filter((id) => id !== "namespace-not-default");
      cases.push({ fixture: rel, object, label, expected: [...new Set(judged)].sort() });
    });
  }
  return { cases, excluded };
}

async function compare(
  cases: readonly Case[],
  action: ValidationAction,
): Promise<{ outcomes: Outcome[]; excluded: string[]; compared: number; seen: Case[]; truncatedWarn: number }> {
  const excluded: string[] = [];
  let compared = 0;
  let truncatedWarn = 0;
  const seen: Case[] = [];
  const run = async (c: Case): Promise<Outcome | undefined> => {
    const ephemeral =
      c.object.kind === "Pod" &&
      Array.isArray((c.object as { spec?: { ephemeralContainers?: unknown } }).spec?.ephemeralContainers);
    if (ephemeral && action !== "Warn") return undefined;
    // Bindings reach the admission plugin through an informer: a mismatch is retried for a while.
    for (let attempt = 0; ; attempt++) {
      const v = ephemeral ? await admitEphemeral(c.object) : await admit(c.object);
      if (v.excluded !== undefined) {
        excluded.push(`${c.label}: ${v.excluded}`);
        return undefined;
      }
      const subset = v.policies.every((p) => c.expected.includes(p));
      const ok =
        action === "Warn"
          ? v.truncated === true
            ? subset && v.policies.length > 0 === c.expected.length > 0
            : sameSet(v.policies, c.expected)
          : v.denied === c.expected.length > 0 && subset;
      if (ok || attempt >= 6) {
        compared++;
        if (ok && v.truncated === true) truncatedWarn++;
        seen.push(c);
        return ok
          ? undefined
          : { label: c.label, expected: c.expected, got: v.policies, detail: v.detail.slice(0, 600) };
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
  };
  const outcomes = (await mapLimit(cases, 8, run)).filter((o): o is Outcome => o !== undefined);
  return { outcomes, excluded, compared, seen, truncatedWarn };
}

// Every fixture of every control through admission twice: the longest sweep of the suite. A test
// that times out keeps running in the background and would reinstall policies under the next one,
// so it gets the time it needs (about 6 minutes on a quiet machine, over 10 under load).
it(
  "the exported policies deny on the real server exactly what palisade check flags, fixture by fixture",
  async () => {
    const crdReady = async (): Promise<boolean> => {
      const r = await cp.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${PARAMS_CRD_NAME}`);
      const conditions =
        (r.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      return conditions.some((c) => c.type === "Established" && c.status === "True");
    };
    // The CRD first: parameters objects need their kind served.
    const first = exportVap({ controls: catalog, level: "hardened", action: "Warn" });
    const crd = [paramsCrd()];
    {
      const r = await cp.kubectl(["apply", "--server-side", "-f", "-"], {
        input: crd.map((o) => `---\n${stringify(o)}`).join(""),
      });
      expect(r.stderr).toBe("");
      for (let i = 0; i < 100 && !(await crdReady()); i++) await new Promise((res) => setTimeout(res, 200));
      expect(await crdReady()).toBe(true);
    }

    // Fixtures of every control (a fixture of one control exercises the others too), grouped by config.
    const dirs = fs
      .readdirSync(FIXTURES)
      .filter((d) => fs.existsSync(path.join(FIXTURES, d)) && catalog.some((c) => c.id === d));
    const selected = only.length > 0 ? dirs.filter((d) => only.includes(d)) : dirs;
    const groups = new Map<string, Fixture[]>();
    const versionPinned: string[] = [];
    for (const d of selected)
      for (const f of fixturesFor(d)) {
        if (f.config.psaVersion !== undefined && f.config.psaVersion !== "latest") {
          versionPinned.push(path.relative(FIXTURES, f.file));
          continue;
        }
        const key = JSON.stringify(f.config);
        groups.set(key, [...(groups.get(key) ?? []), f]);
      }

    // Every namespace the objects use exists (unlabelled: Pod Security stays out of the way).
    const namespaces = new Set<string>(["default"]);
    for (const fs_ of groups.values())
      for (const f of fs_)
        for (const o of f.objects)
          if (isNamespaced(o) === true) namespaces.add(o.metadata?.namespace ?? f.config.defaultNamespace ?? "default");
    for (const ns of namespaces) if (ns !== "default") await cp.ensureNamespace(ns);

    const disagreements: (Outcome & { action: ValidationAction; config: string })[] = [];
    const excluded = new Set<string>();
    const exportedEver = new Set<string>();
    // Per exported control, objects of its own fixture folder compared on the server, flagged and clean.
    const coverage = new Map<string, { flagged: number; clean: number }>();
    let comparedWarn = 0;
    let truncatedWarn = 0;
    let comparedDeny = 0;
    for (const [key, fixtures] of groups) {
      const config = JSON.parse(key) as PalisadeConfig;
      for (const action of ["Warn", "Deny"] as const) {
        const exported = await install(config, action);
        exported.forEach((id) => exportedEver.add(id));
        const { cases, excluded: ex } = casesFor(fixtures, new Set(exported));
        ex.forEach((e) => excluded.add(e));
        const r = await compare(cases, action);
        r.excluded.forEach((e) => excluded.add(e));
        if (action === "Deny")
          for (const c of r.seen) {
            const own = c.fixture.split("/")[0] ?? "";
            if (!exported.includes(own)) continue;
            const cov = coverage.get(own) ?? { flagged: 0, clean: 0 };
            if (c.expected.includes(own)) cov.flagged++;
            else cov.clean++;
            coverage.set(own, cov);
          }
        if (action === "Warn") {
          comparedWarn += r.compared;
          truncatedWarn += r.truncatedWarn;
        } else comparedDeny += r.compared;
        disagreements.push(...r.outcomes.map((o) => ({ ...o, action, config: key })));
      }
    }

    const typeWarnings = await cp.request("GET", "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies");
    const items =
      (
        typeWarnings.body as {
          items?: { metadata: { name: string }; status?: { typeChecking?: { expressionWarnings?: unknown[] } } }[];
        }
      ).items ?? [];
    Object.assign(report, {
      exported: [...exportedEver].sort(),
      notExportedAtDefaults: first.notExported,
      groups: groups.size,
      comparedWarn,
      comparedDeny,
      truncatedWarn,
      coverage: Object.fromEntries([...coverage].sort()),
      versionPinned,
      excluded: [...excluded].sort(),
      disagreements,
      typeCheckingWarnings: items
        .filter((i) => (i.status?.typeChecking?.expressionWarnings ?? []).length > 0)
        .map((i) => ({ policy: i.metadata.name, warnings: i.status?.typeChecking?.expressionWarnings })),
    });
    process.stdout.write(
      `vap differential: ${exportedEver.size} controls exported; ${comparedWarn} objects compared (warn), ${comparedDeny} (deny); ` +
        `${excluded.size} excluded; ${truncatedWarn} warn comparisons cut by the server's warning limit; ${disagreements.length} disagreements\n`,
    );
    expect(disagreements).toEqual([]);
    const uncovered = [...exportedEver]
      .filter((id) => selected.includes(id))
      .filter((id) => (coverage.get(id)?.flagged ?? 0) === 0 || (coverage.get(id)?.clean ?? 0) === 0)
      .map((id) => `${id}: ${JSON.stringify(coverage.get(id) ?? { flagged: 0, clean: 0 })}`);
    expect(uncovered).toEqual([]);
    expect(comparedWarn).toBeGreaterThan(0);
  },
  45 * 60_000,
);

const GENERATED = Number(process.env["PALISADE_VAP_PODS"] ?? 400);
const GENERATED_SEED = Number(process.env["PALISADE_VAP_SEED"] ?? 20261127);

it("the exported policies agree with palisade check on generated pods covering every Pod Security field", async () => {
  // Every exported control that inspects Pods, at hardened, judged on the psa-differential's pods.
  const podControls = catalog.filter((c) => c.kinds.includes("Pod") && (only.length === 0 || only.includes(c.id)));
  const out = exportVap({ controls: podControls, level: "hardened", action: "Warn" });
  const exported = new Set(out.exported);
  if (exported.size === 0) return; // an inner-loop selection without pod controls
  await install({}, "Warn", podControls);
  const namespace = GENERATED_NAMESPACE;
  const pods = [...sweepPods(), ...samplePods(GENERATED, GENERATED_SEED)];
  const cases: Case[] = pods.map((g, i) => {
    const pod = structuredClone(g.pod) as KubeObject & { spec: Record<string, unknown> };
    pod.metadata = { ...(pod.metadata ?? {}), name: `gen-${i}`, namespace };
    if (g.ephemeral.length > 0) pod.spec["ephemeralContainers"] = structuredClone(g.ephemeral);
    const flagged = evaluate([pod], { controls: catalog, level: "hardened" }).findings.filter(
      (f) => f.exempted === undefined && exported.has(f.control),
    );
    return {
      fixture: `generated/${i}`,
      object: pod,
      label: `generated pod ${i} (${g.mutations.join("; ")})`,
      expected: [...new Set(flagged.map((f) => f.control))].sort(),
    };
  });
  const r = await compare(cases, "Warn");
  const flaggedCases = cases.filter((c) => c.expected.length > 0).length;
  Object.assign(report, {
    generated: {
      pods: cases.length,
      compared: r.compared,
      flagged: flaggedCases,
      excluded: r.excluded.length,
      truncatedWarn: r.truncatedWarn,
      excludedSample: r.excluded.slice(0, 20),
      controls: [...exported].sort(),
      disagreements: r.outcomes,
    },
  });
  process.stdout.write(
    `vap differential (generated pods): ${exported.size} pod controls; ${r.compared} pods compared (${flaggedCases} flagged), ` +
      `${r.excluded.length} excluded; ${r.truncatedWarn} cut by the warning limit; ${r.outcomes.length} disagreements\n`,
  );
  expect(r.outcomes).toEqual([]);
  expect(r.compared).toBeGreaterThan(cases.length / 2);
});

it("the exported policies honour an exemption annotation only in requests of the trusted requester (never one with an end date: CEL has no clock)", async () => {
  const exemptor: Identity = { as: "palisade-exemptor", asGroups: ["system:masters"] };
  const exported = await install({}, "Warn", undefined, ["user:palisade-exemptor"]);
  const ids = exported.filter((id) => only.length === 0 || only.includes(id));
  const annotate = (o: KubeObject, extra: Record<string, string>): KubeObject => ({
    ...o,
    metadata: { ...(o.metadata ?? {}), annotations: { ...(o.metadata?.annotations ?? {}), ...extra } },
  });
  const variants: {
    readonly name: string;
    readonly annotations: (id: string) => Record<string, string>;
    /** Whether the server honours it in the trusted requester's request (never in anyone else's). */
    readonly serverHonours: boolean;
  }[] = [
    {
      name: "with a reason",
      annotations: (id) => ({
        "palisade.dev/exempt": `other-control, ${id}`,
        "palisade.dev/exempt-reason": "vendor chart, ticket 42",
      }),
      serverHonours: true,
    },
    { name: "without a reason", annotations: (id) => ({ "palisade.dev/exempt": id }), serverHonours: false },
    {
      name: "with an end date",
      annotations: (id) => ({
        "palisade.dev/exempt": id,
        "palisade.dev/exempt-reason": "migration",
        "palisade.dev/exempt-until": "2999-12-31",
      }),
      serverHonours: false,
    },
  ];
  const problems: string[] = [];
  let tried = 0;
  for (const id of ids) {
    // The first object of the control's own fail fixtures (default config) that it flags.
    const fixtures = fixturesFor(id).filter(
      (f) =>
        f.kind === "fail" &&
        Object.entries(f.config).every(([k, v]) => k === "controls" && Object.keys(v ?? {}).length === 0),
    );
    const { cases } = casesFor(fixtures, new Set(exported));
    // Objects the control flags, fewest other findings first (the server keeps 4 KiB of warnings).
    const candidates = cases
      .filter((c) => c.expected.includes(id) && !isEphemeralPod(c.object))
      .sort((x, y) => x.expected.length - y.expected.length);
    for (const target of candidates) {
      // Bindings reach the admission plugin through an informer: wait for this one to object.
      let plain = await admit(target.object);
      for (let attempt = 0; attempt < 6 && plain.excluded === undefined && !plain.policies.includes(id); attempt++) {
        await new Promise((r) => setTimeout(r, 1500));
        plain = await admit(target.object);
      }
      if (plain.excluded !== undefined || plain.truncated === true || !plain.policies.includes(id)) continue;
      for (const v of variants) {
        const object = annotate(target.object, v.annotations(id));
        const findings = evaluate([object], { controls: catalog, level: "hardened" }).findings.filter(
          (f) => f.control === id && f.resource.name === object.metadata?.name,
        );
        const checkHonours = findings.length > 0 && findings.every((f) => f.exempted !== undefined);
        if (checkHonours !== (v.name !== "without a reason"))
          problems.push(`${target.label} ${v.name}: palisade check ${checkHonours ? "honours" : "ignores"} it`);
        for (const [who, identity, honours] of [
          ["an untrusted requester", {}, false],
          ["the trusted requester", exemptor, v.serverHonours],
        ] as const)
          for (let attempt = 0; ; attempt++) {
            const verdict = await admit(object, identity);
            const serverReports = verdict.policies.includes(id);
            if (serverReports === !honours) break;
            if (attempt >= 4) {
              problems.push(
                `${target.label} ${v.name}, from ${who}: the server ${serverReports ? "still reports" : "no longer reports"} ${id} (${verdict.excluded ?? verdict.detail})`,
              );
              break;
            }
            await new Promise((r) => setTimeout(r, 1500));
          }
        tried++;
      }
      break;
    }
  }
  Object.assign(report, { exemptions: { controls: tried / variants.length, cases: tried, problems } });
  process.stdout.write(
    `vap differential (exemption annotations): ${tried} cases over ${tried / variants.length} controls; ${problems.length} problems\n`,
  );
  expect(problems).toEqual([]);
  expect(tried).toBeGreaterThan(0);
});
