/** `palisade access`: the summary, --subject, --who-can, --can-i, JSON, and input errors (exit 2). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, ROOT } from "../helpers/cli";

const TEAM = path.join(ROOT, "test", "fixtures", "access", "team.yaml");

test("summary: the matrix, what each subject holds through, escalation paths and dangling bindings", async () => {
  const r = await cli(["access", TEAM]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
  expect(r.stdout).toMatch(/^\d+ subjects, 4 bindings \(\+6 bootstrap\), 3 namespaces$/m);
  expect(r.stdout).toMatch(/^ {2}ServiceAccount:ci\/pipeline\s+\.\s+\.\s+\.\s+W$/m);
  expect(r.stdout).toMatch(/^ {2}Group:shop-readers\s+\.\s+\.\s+\.\s+R$/m);
  expect(r.stdout).toMatch(/^ {2}ServiceAccount:ops\/operator\s+R?W(\s+W){3}\s+!$/m);
  expect(r.stdout).toContain("Group:shop-readers: RoleBinding/shop/readers → ClusterRole/view");
  expect(r.stdout).toContain(
    "  ServiceAccount:ops/operator\n    → cluster-admin-equivalent: create pods in every namespace, runs a pod as any kube-system controller ServiceAccount [ClusterRoleBinding/operator → ClusterRole/operator rules[1]]",
  );
  expect(r.stdout).toContain("Bindings whose role does not resolve (they grant nothing): RoleBinding/shop/dangling");
});

test("--subject: permissions by scope with their chains, and whom it can become", async () => {
  const r = await cli(["access", TEAM, "--subject", "ServiceAccount:ci/pipeline"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("in namespace shop:");
  expect(r.stdout).toContain(
    "get,list,create,update on deployments (apps)  ← RoleBinding/shop/deployer → Role/shop/deployer rules[0]",
  );
  expect(r.stdout).toContain('ServiceAccount:shop/web: create deployments.apps in "shop", runs a pod as it');
  expect(r.stdout).toMatch(/and \d+ bootstrap grants every authenticated identity holds/);
});

test("--subject through an aggregated built-in role names the role the rule came from", async () => {
  const r = await cli(["access", TEAM, "--subject", "Group:shop-readers", "--format", "json"]);
  const out = JSON.parse(r.stdout) as { permissions: { role: string; via?: string; scope: string }[] };
  expect(out.permissions).toContainEqual(
    expect.objectContaining({ role: "ClusterRole/view", via: "ClusterRole/system:aggregate-to-view", scope: "shop" }),
  );
});

test("--who-can lists the subjects and the grants, -n for a namespace", async () => {
  const r = await cli(["access", TEAM, "--who-can", "list", "secrets", "-n", "shop"]);
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n")[0]).toBe('Who may list secrets in namespace "shop": 2 subjects');
  expect(r.stdout).toContain(
    "  ServiceAccount:ops/operator\n    ClusterRoleBinding/operator → ClusterRole/operator rules[0]",
  );
  expect(r.stdout).toContain("  Group:system:masters\n    as a member of system:masters");
  // view does not read Secrets.
  expect(r.stdout).not.toContain("shop-readers");
});

test("--who-can json", async () => {
  const r = await cli(["access", TEAM, "--who-can", "get", "deployments", "-n", "shop", "--format", "json"]);
  const out = JSON.parse(r.stdout) as {
    request: { apiGroup: string };
    subjects: { subject: string; allowed: boolean }[];
  };
  expect(out.request.apiGroup).toBe("apps");
  expect(out.subjects.map((s) => s.subject).sort()).toEqual([
    "Group:shop-readers",
    "Group:system:masters",
    "ServiceAccount:ci/pipeline",
  ]);
});

test.each([
  ["shop", 0, 'ServiceAccount:ci/pipeline may create deployments.apps in namespace "shop"'],
  ["ci", 1, 'ServiceAccount:ci/pipeline may not create deployments.apps in namespace "ci"'],
])("--can-i in %s exits %i (0 allowed, 1 not)", async (namespace, code, first) => {
  const asked = ["--can-i", "create", "deployments.apps", "-n", namespace];
  const r = await cli(["access", TEAM, "--subject", "ServiceAccount:ci/pipeline", ...asked]);
  expect(r.code).toBe(code);
  expect(r.stdout.split("\n")[0]).toBe(first);
});

describe("usage and input errors exit 2 with one line, no stack", () => {
  test.each([
    [["access"], /no input/],
    [["access", TEAM, "--subject", "alice"], /expected User:NAME, Group:NAME or ServiceAccount:NAMESPACE\/NAME/],
    [["access", TEAM, "--who-can", "get"], /--who-can needs VERB and RESOURCE/],
    [["access", TEAM, "--who-can", "get", "widgets"], /say its API group \(widgets\.GROUP\)/],
    [["access", TEAM, "--can-i", "get", "pods"], /--can-i needs --subject/],
    [["access", TEAM, "-n", "Bad_NS", "--who-can", "get", "pods"], /-n: "Bad_NS" is not a valid namespace name/],
    [["access", TEAM, "-n", "shop"], /--namespace and --name go with --who-can or --can-i/],
    [["access", TEAM, "--format", "xml"], /--format must be one of text, json/],
    [
      ["upgrade", TEAM, "--to", "v1.36", "--namespace", "Not A Namespace"],
      /--namespace: "Not A Namespace" is not a valid namespace name/,
    ],
  ])("%j", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("a wrong-typed field names the file, the object and the field", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-access-"));
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(
      file,
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: a}\nroleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}\nsubjects: {kind: User, name: x}\n",
    );
    const r = await cli(["access", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^palisade: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1: RoleBinding a/b: subjects: expected a list, found`,
        "m",
      ),
    );
  });
});

test("--help, and the summary as JSON for machines", async () => {
  const help = await cli(["access", "--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: palisade access \[PATH…\]/);
  expect((await cli(["--help"])).stdout).toContain("access [PATH…]");
  const r = await cli(["access", TEAM, "--format", "json"]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as {
    namespaces: string[];
    bindings: { id: string; role: string | null }[];
    clusterAdminEquivalent: { subject: string; path: { to: string; permission: string }[] }[];
  };
  expect(out.namespaces).toEqual(["ci", "ops", "shop"]);
  expect(out.bindings).toContainEqual(expect.objectContaining({ id: "RoleBinding/shop/dangling", role: null }));
  expect(out.clusterAdminEquivalent.map((p) => p.subject)).toEqual([
    "Group:system:masters",
    "ServiceAccount:ops/operator",
  ]);
  expect(out.clusterAdminEquivalent[1]?.path[0]).toMatchObject({
    to: "cluster-admin-equivalent",
    permission: "create pods in every namespace",
  });
});

// A manifest without a namespace lands where `kubectl apply -n` puts it: the config says where,
// as it does for palisade check, so a subject of such a RoleBinding is not reported in "default".
test("--config: objects without a namespace land in the config's defaultNamespace", async () => {
  const dir = path.join(ROOT, "test", "fixtures", "realistic", "gitops-controller");
  const install = path.join(dir, "install.yaml");
  const plain = await cli(["access", install, "--format", "json"]);
  expect(plain.code).toBe(0);
  expect((JSON.parse(plain.stdout) as { namespaces: string[] }).namespaces).toContain("default");
  const r = await cli(["access", install, "--config", path.join(dir, "config.yaml"), "--format", "json"]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { namespaces: string[] };
  expect(out.namespaces).toEqual(["gitops"]);
  const server = await cli([
    "access",
    install,
    "--config",
    path.join(dir, "config.yaml"),
    "--subject",
    "ServiceAccount:gitops/gitops-server",
  ]);
  expect(server.stdout).toContain("in namespace gitops:");
  expect(server.stdout).toContain("RoleBinding/gitops/gitops-server → Role/gitops/gitops-server");
  const missing = await cli(["access", install, "--config", path.join(dir, "nope.yaml")]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/config error: .*nope\.yaml: no such file/);
});
