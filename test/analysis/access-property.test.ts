/**
 * Tenant sets built with the components (secureNamespace grants, hardenedWorkload ServiceAccounts):
 * `access` reports exactly the (subject, namespace, role) relations the arguments declare and
 * nothing more, its answers to probe requests follow the presets, and tenant-access-isolation
 * finds nothing when cross-tenant grants name their subjects and create no pods. The one
 * declared shape that is an escalation (a pipeline of another tenant that deploys where a local
 * ServiceAccount holds more) is reported.
 */
import { hardenedWorkload, secureNamespace, type AccessGrant } from "../../components/manifests";
import { buildAccessModel, identityOf, subjectKey, type SubjectRef } from "../../policypack/analysis/access";
import { rbacTenantAccessIsolation } from "../../policypack/controls/rbac/tenant-access-isolation";
import { evaluate } from "../../policypack/engine/evaluate";
import type { KubeObject } from "../../policypack/engine/types";
import { rng, type Rng } from "./netpol-generate";

const IMAGE = `ghcr.io/acme/app:1.0.0@sha256:${"0123456789abcdef".repeat(4)}`;
type Preset = "view" | "edit" | "deploy";

interface Tenant {
  readonly name: string;
  readonly workloads: string[];
  readonly grants: {
    role: Preset;
    users: string[];
    groups: string[];
    serviceAccounts: (string | { name: string; namespace: string })[];
  }[];
}

/**
 * Which presets allow each probe, read from components/manifests/rbac.ts's preset rules by hand
 * (the model is not asked): view reads, edit changes configuration and deletes pods, deploy
 * creates pod controllers; none reads Secrets, execs or writes RBAC.
 */
const PROBES: readonly { verb: string; apiGroup: string; resource: string; subresource?: string; presets: Preset[] }[] =
  [
    { verb: "get", apiGroup: "", resource: "pods", presets: ["view", "edit", "deploy"] },
    { verb: "list", apiGroup: "apps", resource: "deployments", presets: ["view", "edit", "deploy"] },
    { verb: "delete", apiGroup: "", resource: "pods", presets: ["edit"] },
    { verb: "update", apiGroup: "", resource: "configmaps", presets: ["edit", "deploy"] },
    { verb: "patch", apiGroup: "apps", resource: "deployments", presets: ["edit", "deploy"] },
    { verb: "create", apiGroup: "apps", resource: "deployments", presets: ["deploy"] },
    { verb: "create", apiGroup: "", resource: "serviceaccounts", presets: ["deploy"] },
    { verb: "get", apiGroup: "", resource: "secrets", presets: [] },
    { verb: "create", apiGroup: "", resource: "pods", subresource: "exec", presets: [] },
    { verb: "create", apiGroup: "", resource: "pods", presets: [] },
    { verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings", presets: [] },
  ];

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function generate(seed: number, crossDeploy: boolean): Tenant[] {
  const r = rng(seed);
  const tenants: Tenant[] = Array.from({ length: 2 + Math.floor(r() * 3) }, (_, i) => ({
    name: `t${i}`,
    workloads: Array.from({ length: 1 + Math.floor(r() * 2) }, (_, j) => `t${i}-w${j}`),
    grants: [],
  }));
  for (const t of tenants) {
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
      const role = pick(r, ["view", "edit", "deploy"] as const);
      const g = {
        role,
        users: [] as string[],
        groups: [] as string[],
        serviceAccounts: [] as Tenant["grants"][0]["serviceAccounts"],
      };
      if (r() < 0.5) g.users.push(`${t.name}-${pick(r, ["ann", "bo", "cy"])}`);
      if (r() < 0.4) g.groups.push(`${t.name}-${pick(r, ["devs", "ops"])}`);
      // A user shared by every tenant: bound in several tenants, so nobody's tenant subject.
      if (r() < 0.2) g.users.push("auditor");
      if (r() < 0.6) g.serviceAccounts.push(pick(r, [...t.workloads, "ci"]));
      // Another tenant's ServiceAccount, by name; pod creation only when asked for (it escalates).
      const other = pick(r, tenants);
      if (other !== t && r() < 0.5 && (crossDeploy || role !== "deploy"))
        g.serviceAccounts.push({ name: pick(r, other.workloads), namespace: other.name });
      if (g.users.length + g.groups.length + g.serviceAccounts.length > 0) t.grants.push(g);
    }
  }
  return tenants;
}

function build(tenants: readonly Tenant[]): KubeObject[] {
  return [
    ...tenants.flatMap((t) =>
      secureNamespace({
        name: t.name,
        tenant: t.name,
        ...(t.grants.length > 0 ? { access: t.grants as AccessGrant[] } : {}),
      }),
    ),
    ...tenants.flatMap((t) =>
      t.workloads.flatMap((w) =>
        hardenedWorkload({ name: w, namespace: t.name, tenant: t.name, image: IMAGE, ports: [{ port: 8080 }] }),
      ),
    ),
  ];
}

function subjectsOfGrant(t: Tenant, g: Tenant["grants"][0]): SubjectRef[] {
  return [
    ...g.users.map((name): SubjectRef => ({ kind: "User", name })),
    ...g.groups.map((name): SubjectRef => ({ kind: "Group", name })),
    ...g.serviceAccounts.map((s): SubjectRef =>
      typeof s === "string" ? { kind: "ServiceAccount", namespace: t.name, name: s } : { kind: "ServiceAccount", ...s },
    ),
  ];
}

/** "subject\tnamespace\tpreset" for every grant the arguments declare. */
function declared(tenants: readonly Tenant[]): Set<string> {
  const out = new Set<string>();
  for (const t of tenants)
    for (const g of t.grants) for (const s of subjectsOfGrant(t, g)) out.add(`${subjectKey(s)}\t${t.name}\t${g.role}`);
  return out;
}

const tally = { allowed: 0, denied: 0 };
afterAll(() => {
  expect(tally.allowed).toBeGreaterThan(200);
  expect(tally.denied).toBeGreaterThan(200);
});

test.each(Array.from({ length: 30 }, (_, i) => 900 + i))(
  "seed %i: access reports the declared relations and nothing more",
  (seed) => {
    const tenants = generate(seed, false);
    const objects = build(tenants);
    const model = buildAccessModel(objects);
    const want = declared(tenants);
    // The relation as the model reports it: every non-bootstrap grant of every subject.
    const got = new Set<string>();
    for (const s of model.subjects)
      for (const p of model.permissionsOf(s)) {
        if (p.bootstrap) continue;
        // A grant through a group the subject carries is the group's relation, reported on the group.
        if (p.subject !== subjectKey(s)) continue;
        got.add(`${subjectKey(s)}\t${p.scope}\t${p.role.replace(/^Role\/[^/]+\/palisade-/, "")}`);
      }
    expect([...got].sort()).toEqual([...want].sort());
    // Probes: every declared subject × every tenant namespace × each request.
    const wrong: string[] = [];
    const subjects = new Map<string, SubjectRef>();
    for (const t of tenants)
      for (const g of t.grants) for (const s of subjectsOfGrant(t, g)) subjects.set(subjectKey(s), s);
    for (const t of tenants)
      for (const w of t.workloads)
        subjects.set(`ServiceAccount:${t.name}/${w}`, { kind: "ServiceAccount", namespace: t.name, name: w });
    for (const [key, s] of subjects) {
      const id = identityOf(s);
      for (const t of tenants)
        for (const probe of PROBES) {
          const expected = probe.presets.some((p) => want.has(`${key}\t${t.name}\t${p}`));
          const { presets: _presets, ...request } = probe;
          const allowed = model.can({ ...request, user: id.user ?? "", groups: id.groups, namespace: t.name }).allowed;
          tally[expected ? "allowed" : "denied"]++;
          if (allowed !== expected)
            wrong.push(`${key} ${probe.verb} ${probe.resource} in ${t.name}: access=${allowed} declared=${expected}`);
        }
    }
    expect(wrong).toEqual([]);
    // Nobody but system:masters reaches cluster-admin-equivalent.
    const findings = evaluate(objects, { controls: [rbacTenantAccessIsolation], level: "hardened" }).findings;
    expect(findings.map((f) => f.message)).toEqual([]);
  },
);

test("a cross-tenant deploy grant where a local ServiceAccount holds more is reported as an escalation", () => {
  const tenants: Tenant[] = [
    { name: "t0", workloads: ["t0-w0"], grants: [] },
    {
      name: "t1",
      workloads: ["t1-w0"],
      grants: [
        { role: "deploy", users: [], groups: [], serviceAccounts: [{ name: "t0-w0", namespace: "t0" }] },
        { role: "edit", users: [], groups: [], serviceAccounts: ["t1-w0"] },
      ],
    },
  ];
  const findings = evaluate(build(tenants), { controls: [rbacTenantAccessIsolation], level: "hardened" }).findings;
  expect(findings.map((f) => f.message)).toEqual([
    expect.stringMatching(
      /^cross-tenant access not granted by name: an escalation path: create deployments\.apps in "t1" → ServiceAccount:t1\/t1-w0, which may delete pods .* there, reaching ServiceAccount:t0\/t0-w0 \(tenant t0\) → "t1" \(tenant t1\)$/,
    ),
  ]);
});
