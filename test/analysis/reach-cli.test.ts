/** `palisade reach`: the formats, --explain and its exit codes, and input errors (exit 2). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, ROOT } from "../helpers/cli";

const SHOP = path.join(ROOT, "test", "fixtures", "netpol-scenarios", "examples", "shop.yaml");

test("text: a matrix with the partial connections listed", async () => {
  const r = await cli(["reach", SHOP]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/3 pod groups, 3 outside endpoints/);
  expect(r.stdout).toMatch(/^1 shop\/web\s+\. p p p \. \.$/m);
  expect(r.stdout).toContain("shop/web → shop/db: TCP 5432");
  expect(r.stdout).toContain("shop/web → internet: TCP 443");
  expect(r.stdout).toContain("internet → shop/web: TCP 8080");
  expect(r.stdout).not.toContain("shop/web → metadata");
});

test("json: endpoints and connections for machines", async () => {
  const r = await cli(["reach", SHOP, "--format", "json"]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as {
    endpoints: { id: string }[];
    connections: { from: string; to: string; ports: unknown; maybe?: unknown }[];
  };
  expect(out.endpoints.map((e) => e.id)).toEqual([
    "shop/web",
    "shop/db",
    "kube-system/kube-dns",
    "internet",
    "metadata",
    "cidr:10.0.0.0/8",
  ]);
  expect(out.connections).toContainEqual({ from: "shop/web", to: "shop/db", ports: { TCP: ["5432"] } });
  expect(out.connections).toContainEqual({
    from: "shop/web",
    to: "kube-system/kube-dns",
    ports: { UDP: ["53"] },
    maybe: { TCP: ["443"] },
  });
});

test("mermaid: namespaces as subgraphs, outside endpoints round", async () => {
  const r = await cli(["reach", SHOP, "--format", "mermaid"]);
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n")[0]).toBe("flowchart LR");
  expect(r.stdout).toContain('subgraph g0["ns: shop"]');
  expect(r.stdout).toContain('e0 -->|"TCP 5432"| e1');
  expect(r.stdout).toContain('e0 -->|"UDP 53 (maybe TCP 443)"| e2');
  // The cluster DNS stand-in is a destination only: what DNS pods may open is not the question.
  expect(r.stdout).not.toMatch(/^ {2}e2 -/m);
});

describe("--explain", () => {
  test("names the rules on both sides and exits 0 when allowed (a named port of the destination)", async () => {
    const r = await cli(["reach", SHOP, "--explain", "shop/web", "shop/db:pg"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "shop/web → shop/db TCP 5432: allowed",
        "  egress of shop/web: allowed by",
        "    shop/web-to-db spec.egress[0].to[0]: pods {app=db} of the policy's namespace, ports TCP 5432",
        "  ingress of shop/db: allowed by",
        "    shop/db-from-web spec.ingress[0].from[0]: pods {app=web} of the policy's namespace, ports TCP 5432",
        "",
      ].join("\n"),
    );
  });

  test("says that nothing allows it and exits 1", async () => {
    const r = await cli(["reach", SHOP, "--explain", "shop/db", "8.8.8.8:443"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("shop/db → 8.8.8.8 TCP 443: denied");
    expect(r.stdout).toContain("isolated by shop/default-deny, and no rule of theirs allows it");
  });

  test("the metadata address is held out by the except", async () => {
    const r = await cli(["reach", SHOP, "--explain", "shop/web", "metadata:443"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("shop/web → metadata TCP 443: denied");
  });

  test("without a port: every port, with the rules; json too", async () => {
    const r = await cli(["reach", SHOP, "--explain", "shop/web", "dns", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      from: "shop/web",
      to: "kube-system/kube-dns",
      ports: { UDP: ["53"] },
    });
  });

  test("unknown endpoints and ports are usage errors", async () => {
    expect((await cli(["reach", SHOP, "--explain", "shop/nope", "shop/db"])).stderr).toMatch(
      /no endpoint "shop\/nope"/,
    );
    const r = await cli(["reach", SHOP, "--explain", "shop/web", "shop/db:http"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shop\/db has no container port named "http"/);
    expect((await cli(["reach", SHOP, "--explain", "shop/web"])).code).toBe(2);
  });
});

test("a policy the API server would refuse is an input error naming file, object and field", async () => {
  const bad = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: a }
spec:
  podSelector: {}
  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/99 } }] }]
`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reach-"));
  const file = path.join(dir, "bad.yaml");
  fs.writeFileSync(file, bad);
  const r = await cli(["reach", file]);
  fs.rmSync(dir, { recursive: true });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `palisade: ${file}:1: NetworkPolicy a/bad: spec.egress[0].to[0].ipBlock.cidr: "10.0.0.0/99" is not a CIDR`,
  );
});

test("a wrong-typed field is an input error, as in palisade check", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reach-"));
  const file = path.join(dir, "bad.yaml");
  fs.writeFileSync(
    file,
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: odd, namespace: a }\nspec: { podSelector: {}, ingress: yes }\n",
  );
  const r = await cli(["reach", file]);
  fs.rmSync(dir, { recursive: true });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/NetworkPolicy a\/odd.*spec\.ingress/);
});

test("bad options exit 2", async () => {
  expect((await cli(["reach", SHOP, "--pod-cidr", "nope"])).stderr).toMatch(/--pod-cidr: "nope" is not a CIDR/);
  expect((await cli(["reach", SHOP, "--format", "svg"])).code).toBe(2);
  expect((await cli(["reach"])).code).toBe(2);
});

test("--namespace and --config place objects that set none, as kubectl apply -n would", async () => {
  const dir = path.join(ROOT, "test", "fixtures", "realistic", "gitops-controller");
  const install = path.join(dir, "install.yaml");
  const rows = (stdout: string): string[] => stdout.split("\n").filter((l) => /^\d+ \S+\/gitops-server /.test(l));
  expect(rows((await cli(["reach", install])).stdout)[0]).toMatch(/^\d+ default\/gitops-server /);
  expect(rows((await cli(["reach", install, "--namespace", "gitops"])).stdout)[0]).toMatch(
    /^\d+ gitops\/gitops-server /,
  );
  const viaConfig = await cli(["reach", install, "--config", path.join(dir, "config.yaml")]);
  expect(rows(viaConfig.stdout)[0]).toMatch(/^\d+ gitops\/gitops-server /);
  expect((await cli(["reach", install, "--namespace", "Bad_Name"])).code).toBe(2);
});
