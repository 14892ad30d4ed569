/**
 * The RBAC-set generator of the access differential (test/cluster/access-differential.test.ts):
 * the same seed gives the same set, different seeds different ones, and every object is one the
 * API server's validation accepts (the rules checked here are its: pkg/apis/rbac/validation).
 */
import { generateRbacSet, RBAC, selectorMatches, type AccessQuery } from "./rbac-generate";

const SEEDS = Array.from({ length: 200 }, (_, i) => 7000 + i);

test("the same seed gives the same set and queries; another seed another", () => {
  for (const seed of SEEDS.slice(0, 20)) {
    expect(generateRbacSet(seed, 50, "t")).toEqual(generateRbacSet(seed, 50, "t"));
    expect(generateRbacSet(seed, 50, "t")).not.toEqual(generateRbacSet(seed + 1, 50, "t"));
  }
});

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

test("every object is valid as the API server validates RBAC objects", () => {
  const problems: string[] = [];
  for (const seed of SEEDS) {
    const set = generateRbacSet(seed, 20);
    const names = new Set<string>();
    for (const o of set.objects) {
      const id = `seed ${seed}: ${o.kind} ${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name)}`;
      if (o.apiVersion !== `${RBAC}/v1`) problems.push(`${id}: apiVersion`);
      const key = `${o.kind}/${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name)}`;
      if (names.has(key)) problems.push(`${id}: duplicate`);
      names.add(key);
      const namespaced = o.kind === "Role" || o.kind === "RoleBinding";
      if (namespaced !== (o.metadata?.namespace !== undefined)) problems.push(`${id}: namespace`);
      for (const ns of [o.metadata?.namespace].filter((x): x is string => x !== undefined))
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) problems.push(`${id}: namespace name ${ns}`);
      if (o.kind === "Role" || o.kind === "ClusterRole") {
        const agg = o["aggregationRule"] as { clusterRoleSelectors?: unknown[] } | undefined;
        if (agg !== undefined && (agg.clusterRoleSelectors ?? []).length === 0) problems.push(`${id}: no selectors`);
        for (const rule of (o["rules"] as Rule[] | undefined) ?? []) {
          if ((rule.verbs ?? []).length === 0) problems.push(`${id}: a rule without verbs`);
          if ((rule.nonResourceURLs ?? []).length > 0) {
            if (namespaced) problems.push(`${id}: nonResourceURLs in a Role`);
            if (rule.apiGroups || rule.resources || rule.resourceNames) problems.push(`${id}: mixed rule`);
          } else if ((rule.apiGroups ?? []).length === 0 || (rule.resources ?? []).length === 0)
            problems.push(`${id}: a resource rule without groups or resources`);
        }
      } else {
        const ref = o["roleRef"] as { apiGroup?: string; kind?: string; name?: string };
        if (ref.apiGroup !== RBAC || !["Role", "ClusterRole"].includes(ref.kind ?? "") || !ref.name)
          problems.push(`${id}: roleRef`);
        if (o.kind === "ClusterRoleBinding" && ref.kind !== "ClusterRole") problems.push(`${id}: CRB to a Role`);
        for (const s of (o["subjects"] as Subject[] | undefined) ?? []) {
          if (s.name === "") problems.push(`${id}: empty subject name`);
          if (s.kind === "ServiceAccount") {
            if (s.apiGroup !== undefined) problems.push(`${id}: ServiceAccount with an apiGroup`);
            if (!namespaced && s.namespace === undefined) problems.push(`${id}: ServiceAccount without namespace`);
          } else if (s.apiGroup !== RBAC) problems.push(`${id}: ${s.kind} without the rbac apiGroup`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

test("queries are well formed and cover what the differential needs", () => {
  const all: AccessQuery[] = SEEDS.flatMap((s) => generateRbacSet(s, 50).queries);
  expect(all).toHaveLength(SEEDS.length * 50);
  for (const q of all) {
    expect(q.user).not.toBe("");
    expect(q.verb).not.toBe("");
    expect(q.resource).not.toBe("");
  }
  const share = (p: (q: AccessQuery) => boolean) => all.filter(p).length / all.length;
  expect(share((q) => q.namespace === undefined)).toBeGreaterThan(0.15);
  expect(share((q) => q.subresource !== undefined)).toBeGreaterThan(0.05);
  expect(share((q) => q.name !== undefined)).toBeGreaterThan(0.05);
  expect(share((q) => q.user.startsWith("system:serviceaccount:"))).toBeGreaterThan(0.1);
  expect(share((q) => q.groups.includes("system:masters"))).toBeGreaterThan(0);
  expect(share((q) => q.groups.length === 0)).toBeGreaterThan(0.05);
});

test("the sets reach every corner the differential is about", () => {
  const sets = SEEDS.map((s) => generateRbacSet(s, 1));
  const objects = sets.flatMap((s) => s.objects);
  const rules = objects.flatMap((o) => (o["rules"] as Rule[] | undefined) ?? []);
  const subjects = objects.flatMap((o) => (o["subjects"] as Subject[] | undefined) ?? []);
  const refs = objects.map((o) => o["roleRef"] as { kind: string; name: string } | undefined).filter((x) => !!x);
  const selectors = objects.flatMap(
    (o) => (o["aggregationRule"] as { clusterRoleSelectors: object[] } | undefined)?.clusterRoleSelectors ?? [],
  );
  expect(rules.some((r) => r.verbs?.includes("*"))).toBe(true);
  expect(rules.some((r) => r.apiGroups?.includes("*"))).toBe(true);
  expect(rules.some((r) => r.resources?.includes("*"))).toBe(true);
  expect(rules.some((r) => r.resources?.some((x) => x.startsWith("*/")))).toBe(true);
  expect(rules.some((r) => r.resources?.some((x) => x.endsWith("/*")))).toBe(true);
  expect(rules.some((r) => r.resources?.includes("pods/log"))).toBe(true);
  expect(rules.some((r) => r.resourceNames !== undefined)).toBe(true);
  expect(rules.some((r) => r.nonResourceURLs !== undefined)).toBe(true);
  expect(subjects.some((s) => s.kind === "ServiceAccount" && s.namespace === undefined)).toBe(true);
  expect(new Set(subjects.map((s) => s.kind))).toEqual(new Set(["User", "Group", "ServiceAccount"]));
  expect(refs.some((r) => r.name === "view")).toBe(true);
  expect(refs.some((r) => r.name.startsWith("system:"))).toBe(true);
  expect(refs.some((r) => r.name.includes("missing"))).toBe(true);
  expect(selectors.some((s) => Object.keys(s).length === 0)).toBe(true);
  expect(selectors.some((s) => JSON.stringify(s).includes("NotIn"))).toBe(true);
  expect(selectors.some((s) => JSON.stringify(s).includes("DoesNotExist"))).toBe(true);
  expect(selectors.some((s) => JSON.stringify(s).includes("aggregate-to-"))).toBe(true);
});

test("label selectors: Kubernetes semantics", () => {
  expect(selectorMatches({}, {})).toBe(true);
  expect(selectorMatches({ matchLabels: { a: "1" } }, { a: "1", b: "2" })).toBe(true);
  expect(selectorMatches({ matchLabels: { a: "1" } }, { a: "2" })).toBe(false);
  expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, {})).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "In", values: ["1"] }] }, {})).toBe(false);
  expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "Exists" }] }, { a: "" })).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, { a: "" })).toBe(false);
});
