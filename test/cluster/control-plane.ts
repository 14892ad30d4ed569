/**
 * A real Kubernetes control plane on loopback for the cluster tests: etcd, kube-apiserver and
 * (optionally) a kube-controller-manager running only the controllers a test needs, all built from
 * Go modules by scripts/setup-control-plane (this module runs it when a binary is missing).
 *
 * Every start gets random free ports on 127.0.0.1, a fresh data dir, a per-run RSA service-account
 * key pair, self-signed serving certs (--cert-dir) and a token file whose admin is in
 * system:masters. Clean-up is guaranteed three ways: `stop()` (call it from afterAll), handlers on
 * the Node process's exit and termination signals, and a detached watchdog shell per control plane
 * that kills the processes and removes the data dir when the Node process disappears (a jest worker
 * killed with SIGKILL runs no handler at all).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessRequest } from "../../policypack/analysis/access";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SETUP_SCRIPT = path.join(ROOT, "scripts", "setup-control-plane");
export const BIN_DIR = path.join(ROOT, ".tools", "control-plane", "bin");
/** Where test reports (disagreement lists) go: git-ignored. */
export const REPORT_DIR = path.join(ROOT, ".tools", "control-plane", "reports");
/** A cold build of all four binaries took ~11 minutes here; allow for a slower machine. */
export const BUILD_TIMEOUT_MS = 90 * 60_000;
/** Per-test timeout of the cluster suites. */
export const TEST_TIMEOUT_MS = 10 * 60_000;
/** beforeAll timeout for suites that start a control plane (build included when missing). */
export const SETUP_TIMEOUT_MS = BUILD_TIMEOUT_MS + 5 * 60_000;

const BINARIES = ["etcd", "kube-apiserver", "kube-controller-manager", "kubectl"] as const;

/**
 * Builds the control plane when a binary is missing or stale (`--check` decides; the script's
 * stamps and lock make this cheap and safe to call from parallel workers). Progress goes to this
 * process's stderr so a long first build is visible.
 */
export function ensureControlPlaneBuilt(): void {
  const check = spawnSync(SETUP_SCRIPT, ["--check"], { encoding: "utf8" });
  if (check.status === 0) return;
  process.stderr.write(
    "[control-plane] binaries missing or stale: running scripts/setup-control-plane (a first build takes minutes)\n",
  );
  const build = spawnSync(SETUP_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit"], timeout: BUILD_TIMEOUT_MS });
  if (build.status !== 0)
    throw new Error(
      `scripts/setup-control-plane failed (exit ${build.status ?? build.signal}); run it by hand to see why`,
    );
  for (const b of BINARIES)
    if (!fs.existsSync(path.join(BIN_DIR, b))) throw new Error(`scripts/setup-control-plane did not build ${b}`);
}

// ---------------------------------------------------------------- clean-up registry

const running = new Set<ControlPlane>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const cp of running) cp.killNow();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const cp of running) cp.killNow();
      process.kill(process.pid, signal);
    });
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- types

export interface StartOptions {
  /**
   * kube-controller-manager controllers to run; [] runs no controller manager.
   * @default ["clusterrole-aggregation-controller", "namespace-controller"]
   */
  readonly controllers?: readonly string[];
  /** Extra kube-apiserver flags. */
  readonly apiserverFlags?: readonly string[];
  /**
   * Default kube-apiserver flags to leave out, by prefix (`--allow-privileged`): for experiments
   * showing what a default flag is for (docs/cluster.md).
   */
  readonly omitApiserverFlags?: readonly string[];
  /** @default 120 s */
  readonly readyTimeoutMs?: number;
  /** Write an audit log at level Metadata (admission's audit annotations included): `auditEvents()` reads it. */
  readonly auditLog?: boolean;
}

/** The parts of an audit.k8s.io/v1 Event the tests read. */
export interface AuditEvent {
  readonly auditID: string;
  readonly stage: string;
  readonly verb: string;
  readonly user: { readonly username: string; readonly groups?: readonly string[] };
  /** The identity the request acted as, when the authenticated user impersonated one. */
  readonly impersonatedUser?: { readonly username: string; readonly groups?: readonly string[] };
  readonly objectRef?: { readonly resource?: string; readonly namespace?: string; readonly name?: string };
  readonly responseStatus?: { readonly code?: number };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Identity {
  /** Impersonate this user (the admin token's system:masters allows it). */
  readonly as?: string;
  readonly asGroups?: readonly string[];
}

export interface KubectlOptions extends Identity {
  readonly input?: string;
  /** @default 120 s */
  readonly timeoutMs?: number;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RequestOptions extends Identity {
  /** Authenticate with this bearer token instead of the admin's (e.g. a service account's). */
  readonly token?: string;
  readonly query?: Record<string, string>;
  /** @default application/json */
  readonly contentType?: string;
}

export interface ApiResponse {
  readonly status: number;
  /** Parsed JSON (or the raw text when the body is not JSON). */
  readonly body: unknown;
  readonly warnings: string[];
}

export type AdmissionVerdict =
  /** Accepted (dry run: nothing stored). `object` is what would have been stored. */
  | { readonly outcome: "allowed"; readonly object: Record<string, unknown>; readonly warnings: string[] }
  /** Refused by the PodSecurity admission plugin (`… violates PodSecurity "restricted:v1.35": …`). */
  | { readonly outcome: "pod-security"; readonly status: number; readonly message: string }
  /** Refused for any other reason (validation, another admission plugin, …). */
  | {
      readonly outcome: "rejected";
      readonly status: number;
      readonly reason: string;
      readonly message: string;
      /** `details.causes` of the Status (validation: one per invalid field). */
      readonly causes: readonly StatusCause[];
    };

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface Timings {
  /** etcd spawn → /health answers. */
  readonly etcdMs: number;
  /** kube-apiserver spawn → /readyz 200. */
  readonly apiserverMs: number;
  /** kube-controller-manager spawn → its controllers observed working (0 when not run). */
  readonly controllerManagerMs: number;
  /** First spawn → everything ready. */
  readonly totalMs: number;
}

/** A resource request for `review`: SubjectAccessReview's spec.user, spec.groups and resourceAttributes. */
export type SubjectAccessRequest = AccessRequest;

/** SubjectAccessReview's status. */
export interface SubjectAccessStatus {
  readonly allowed: boolean;
  readonly denied?: boolean;
  readonly reason?: string;
  readonly evaluationError?: string;
}

// ---------------------------------------------------------------- the control plane

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  exited: boolean;
}

export class ControlPlane {
  readonly dir: string;
  readonly kubeconfig: string;
  /** Written when started with `auditLog: true`. */
  readonly auditLogFile: string;
  readonly token: string;
  readonly caFile: string;
  server = "";
  timings: Timings = { etcdMs: 0, apiserverMs: 0, controllerManagerMs: 0, totalMs: 0 };
  private ca = "";
  private agent: https.Agent | undefined;
  private readonly procs: Proc[] = [];
  private stopped = false;

  private constructor(dir: string) {
    this.dir = dir;
    this.auditLogFile = path.join(dir, "audit.log");
    this.kubeconfig = path.join(dir, "kubeconfig");
    this.caFile = path.join(dir, "ca.crt");
    this.token = crypto.randomBytes(24).toString("hex");
  }

  /** Builds the binaries if needed, then starts etcd, kube-apiserver and the controller manager. */
  static async start(options: StartOptions = {}): Promise<ControlPlane> {
    ensureControlPlaneBuilt();
    installExitHandlers();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-cp-"));
    const cp = new ControlPlane(dir);
    running.add(cp);
    cp.startWatchdog();
    try {
      await cp.boot(options);
    } catch (err) {
      const logs = cp.tailLogs();
      await cp.stop();
      throw new Error(`control plane failed to start: ${(err as Error).message}\n${logs}`);
    }
    return cp;
  }

  /** Up to 40 last lines of each process's log, for error messages. */
  tailLogs(lines = 40): string {
    return this.procs
      .map((p) => {
        let text = "";
        try {
          text = fs.readFileSync(p.log, "utf8");
        } catch {
          /* no log */
        }
        return `--- ${p.name} (${p.log}) ---\n${text.split("\n").slice(-lines).join("\n")}`;
      })
      .join("\n");
  }

  private startWatchdog(): void {
    // Detached, survives a SIGKILL of this process: waits for this pid (or the alive file) to go,
    // then kills every pid listed in `pids` and removes the data dir.
    fs.writeFileSync(path.join(this.dir, "alive"), String(process.pid));
    fs.writeFileSync(path.join(this.dir, "pids"), "");
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null && [ -e "$1/alive" ]; do sleep 1; done`,
      `for p in $(cat "$1/pids" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done`,
      `for i in 1 2 3 4 5; do alive=0; for p in $(cat "$1/pids" 2>/dev/null); do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 0 ] && break; sleep 1; done`,
      `for p in $(cat "$1/pids" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done`,
      `rm -rf "$1"`,
    ].join("\n");
    const dog = spawn("bash", ["-c", script, "palisade-cp-watchdog", this.dir], {
      detached: true,
      stdio: "ignore",
    });
    dog.unref();
  }

  private spawnProc(name: string, args: readonly string[]): Proc {
    const log = path.join(this.dir, `${name}.log`);
    const fd = fs.openSync(log, "a");
    const child = spawn(path.join(BIN_DIR, name), args, { stdio: ["ignore", fd, fd], cwd: this.dir });
    fs.closeSync(fd);
    const proc: Proc = { name, child, log, exited: false };
    child.on("exit", () => (proc.exited = true));
    if (child.pid !== undefined) fs.appendFileSync(path.join(this.dir, "pids"), `${child.pid}\n`);
    this.procs.push(proc);
    return proc;
  }

  private async waitFor(what: string, proc: Proc, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (proc.exited) throw new Error(`${proc.name} exited while waiting for ${what}`);
      try {
        if (await ready()) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(100);
    }
  }

  private async boot(options: StartOptions): Promise<void> {
    const readyTimeout = options.readyTimeoutMs ?? 120_000;
    const t0 = Date.now();

    // Per-run service-account key pair and token file.
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saKey = path.join(this.dir, "sa.key");
    const saPub = path.join(this.dir, "sa.pub");
    fs.writeFileSync(saKey, privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
    const tokens = path.join(this.dir, "tokens.csv");
    fs.writeFileSync(tokens, `${this.token},palisade-admin,palisade-admin-uid,"system:masters"\n`, { mode: 0o600 });

    // etcd
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const etcdStart = Date.now();
    const etcd = this.spawnProc("etcd", [
      `--data-dir=${path.join(this.dir, "etcd")}`,
      `--listen-client-urls=http://127.0.0.1:${clientPort}`,
      `--advertise-client-urls=http://127.0.0.1:${clientPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ]);
    await this.waitFor("etcd /health", etcd, readyTimeout, async () => {
      const r = await fetch(`http://127.0.0.1:${clientPort}/health`);
      return r.ok;
    });
    const etcdMs = Date.now() - etcdStart;

    // kube-apiserver
    const port = await freePort();
    this.server = `https://127.0.0.1:${port}`;
    const certDir = path.join(this.dir, "certs");
    const apiStart = Date.now();
    const omit = options.omitApiserverFlags ?? [];
    const apiserverArgs = [
      `--etcd-servers=http://127.0.0.1:${clientPort}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${port}`,
      "--advertise-address=127.0.0.1",
      `--cert-dir=${certDir}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--authorization-mode=RBAC",
      `--token-auth-file=${tokens}`,
      "--allow-privileged=true",
      "--disable-admission-plugins=ServiceAccount",
      // A loopback IP is not a valid Endpoints address: without this the "kubernetes" Service
      // reconciler logs an error every 10 s.
      "--endpoint-reconciler-type=none",
      "--profiling=false",
    ].filter((flag) => !omit.some((prefix) => flag.startsWith(prefix)));
    if (options.auditLog === true) {
      const policy = path.join(this.dir, "audit-policy.yaml");
      fs.writeFileSync(
        policy,
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n",
      );
      apiserverArgs.push(`--audit-policy-file=${policy}`, `--audit-log-path=${this.auditLogFile}`);
    }
    const apiserver = this.spawnProc("kube-apiserver", [...apiserverArgs, ...(options.apiserverFlags ?? [])]);
    // The self-signed serving cert appears in --cert-dir; its file holds the cert then its CA.
    const certFile = path.join(certDir, "apiserver.crt");
    await this.waitFor("the self-signed serving certificate", apiserver, readyTimeout, async () =>
      fs.existsSync(certFile),
    );
    await sleep(50);
    const pems = fs
      .readFileSync(certFile, "utf8")
      .match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (pems === null) throw new Error(`no certificate in ${certFile}`);
    this.ca = `${pems[pems.length - 1]}\n`;
    fs.writeFileSync(this.caFile, this.ca);
    this.agent = new https.Agent({ ca: this.ca, keepAlive: true, maxSockets: 16 });
    await this.waitFor("kube-apiserver /readyz", apiserver, readyTimeout, async () => {
      const r = await this.request("GET", "/readyz");
      return r.status === 200;
    });
    const apiserverMs = Date.now() - apiStart;
    this.writeKubeconfig();

    // kube-controller-manager with just the controllers asked for.
    const controllers = options.controllers ?? ["clusterrole-aggregation-controller", "namespace-controller"];
    let controllerManagerMs = 0;
    if (controllers.length > 0) {
      const kcmStart = Date.now();
      const kcm = this.spawnProc("kube-controller-manager", [
        `--kubeconfig=${this.kubeconfig}`,
        `--controllers=${controllers.join(",")}`,
        "--leader-elect=false",
        "--secure-port=0",
        "--use-service-account-credentials=false",
        "--profiling=false",
      ]);
      if (controllers.includes("clusterrole-aggregation-controller")) {
        // The built-in admin/edit/view ClusterRoles get their rules from this controller.
        await this.waitFor("aggregated rules in ClusterRole view", kcm, readyTimeout, async () => {
          const r = await this.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
          const rules = (r.body as { rules?: unknown[] } | undefined)?.rules;
          return r.status === 200 && Array.isArray(rules) && rules.length > 0;
        });
      } else {
        await sleep(500);
        if (kcm.exited) throw new Error("kube-controller-manager exited");
      }
      controllerManagerMs = Date.now() - kcmStart;
    }
    this.timings = { etcdMs, apiserverMs, controllerManagerMs, totalMs: Date.now() - t0 };
  }

  private writeKubeconfig(): void {
    const config = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "palisade", cluster: { server: this.server, "certificate-authority": this.caFile } }],
      users: [{ name: "palisade-admin", user: { token: this.token } }],
      contexts: [{ name: "palisade", context: { cluster: "palisade", user: "palisade-admin" } }],
      "current-context": "palisade",
    };
    fs.writeFileSync(this.kubeconfig, JSON.stringify(config, null, 2), { mode: 0o600 });
  }

  // ------------------------------------------------------------ clients

  /** A REST call with the admin token (impersonating `as`/`asGroups` when given). */
  request(method: string, apiPath: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = new URL(apiPath, this.server);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const payload =
      body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | string[]> = {
      Authorization: `Bearer ${options.token ?? this.token}`,
      Accept: "application/json",
    };
    if (payload !== undefined) {
      headers["Content-Type"] = options.contentType ?? "application/json";
      headers["Content-Length"] = String(payload.length);
    }
    if (options.as !== undefined) headers["Impersonate-User"] = options.as;
    if (options.asGroups !== undefined && options.asGroups.length > 0)
      headers["Impersonate-Group"] = [...options.asGroups];
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, ca: this.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            /* not JSON */
          }
          const w = res.headers["warning"];
          const warnings = (Array.isArray(w) ? w : w === undefined ? [] : [w]).map((x) =>
            x.replace(/^299 - "(.*)"$/, "$1"),
          );
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
        });
        res.on("error", reject);
      });
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${apiPath}: timed out`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** The audit log's events so far (started with `auditLog: true`). */
  auditEvents(): AuditEvent[] {
    if (!fs.existsSync(this.auditLogFile)) return [];
    return fs
      .readFileSync(this.auditLogFile, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as AuditEvent);
  }

  /** Runs the built kubectl against this control plane. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    const full = [`--kubeconfig=${this.kubeconfig}`];
    if (options.as !== undefined) full.push(`--as=${options.as}`);
    for (const g of options.asGroups ?? []) full.push(`--as-group=${g}`);
    full.push(...args);
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(BIN_DIR, "kubectl"), full, {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, KUBECONFIG: this.kubeconfig },
      });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.end(options.input ?? "");
    });
  }

  /** Creates (or relabels) a namespace for real. */
  async ensureNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    const r = await this.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels },
    });
    if (r.status === 201) return;
    if (r.status !== 409) throw new Error(`create namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    const p = await this.request(
      "PATCH",
      `/api/v1/namespaces/${name}`,
      { metadata: { labels } },
      { contentType: "application/merge-patch+json" },
    );
    if (p.status !== 200) throw new Error(`label namespace ${name}: ${p.status} ${JSON.stringify(p.body)}`);
  }

  /**
   * Server-side dry run of creating a Pod (all admission and validation run, nothing is stored),
   * classified: allowed, refused by PodSecurity, or refused for another reason.
   */
  async dryRunPod(pod: Record<string, unknown>, namespace: string, identity: Identity = {}): Promise<AdmissionVerdict> {
    const r = await this.request("POST", `/api/v1/namespaces/${namespace}/pods`, pod, {
      ...identity,
      query: { dryRun: "All", fieldValidation: "Strict" },
    });
    return classify(r);
  }

  /** Server-side dry run of setting a pod's ephemeral containers (the pods/ephemeralcontainers subresource). */
  async dryRunEphemeral(pod: Record<string, unknown>, namespace: string, name: string): Promise<AdmissionVerdict> {
    const r = await this.request("PUT", `/api/v1/namespaces/${namespace}/pods/${name}/ephemeralcontainers`, pod, {
      query: { dryRun: "All", fieldValidation: "Strict" },
    });
    return classify(r);
  }

  /**
   * SubjectAccessReview: may this identity do `verb` on `resource` (`pods`, `pods/exec`) of
   * `group` in `namespace` (omit for cluster scope), optionally on one named object?
   */
  async can(
    subject: { readonly user: string; readonly groups?: readonly string[] },
    verb: string,
    resource: string,
    namespace?: string,
    extra: { readonly group?: string; readonly name?: string } = {},
  ): Promise<boolean> {
    const slash = resource.indexOf("/");
    const attrs: Record<string, string> = {
      verb,
      group: extra.group ?? "",
      resource: slash < 0 ? resource : resource.slice(0, slash),
    };
    if (slash >= 0) attrs["subresource"] = resource.slice(slash + 1);
    if (namespace !== undefined) attrs["namespace"] = namespace;
    if (extra.name !== undefined) attrs["name"] = extra.name;
    const r = await this.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: subject.user, groups: subject.groups ?? [], resourceAttributes: attrs },
    });
    if (r.status !== 201) throw new Error(`SubjectAccessReview: ${r.status} ${JSON.stringify(r.body)}`);
    const status = (r.body as { status?: { allowed?: boolean } }).status;
    return status?.allowed === true;
  }

  /**
   * SubjectAccessReview with every resource attribute spelled out (`namespace` omitted: a
   * cluster-wide request), returning the whole status: `allowed`, `denied`, the authorizer's
   * `reason` (RBAC names the binding and role that allowed) and any `evaluationError`.
   */
  async review(request: SubjectAccessRequest): Promise<SubjectAccessStatus> {
    const attrs: Record<string, string> = { verb: request.verb, group: request.apiGroup, resource: request.resource };
    if (request.subresource !== undefined) attrs["subresource"] = request.subresource;
    if (request.namespace !== undefined) attrs["namespace"] = request.namespace;
    if (request.name !== undefined) attrs["name"] = request.name;
    const r = await this.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: request.user, groups: [...request.groups], resourceAttributes: attrs },
    });
    if (r.status !== 201) throw new Error(`SubjectAccessReview: ${r.status} ${JSON.stringify(r.body)}`);
    const status = (r.body as { status?: SubjectAccessStatus }).status;
    return { ...status, allowed: status?.allowed === true };
  }

  // ------------------------------------------------------------ shutdown

  /** Kills everything synchronously (exit handlers) and removes the data dir. */
  killNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const p of [...this.procs].reverse()) {
      if (!p.exited) {
        try {
          p.child.kill("SIGKILL");
        } catch {
          /* gone */
        }
      }
    }
    this.agent?.destroy();
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      /* the watchdog retries */
    }
    running.delete(this);
  }

  /** Stops the controller manager, the API server and etcd (TERM, then KILL), removes the data dir. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.agent?.destroy();
    for (const p of [...this.procs].reverse()) {
      if (p.exited) continue;
      p.child.kill("SIGTERM");
      const deadline = Date.now() + 5_000;
      while (!p.exited && Date.now() < deadline) await sleep(50);
      if (!p.exited) p.child.kill("SIGKILL");
    }
    this.killNow();
  }
}

/** An API response as an admission verdict: allowed, refused by PodSecurity, or refused otherwise. */
export function classify(r: ApiResponse): AdmissionVerdict {
  if (r.status === 200 || r.status === 201)
    return { outcome: "allowed", object: r.body as Record<string, unknown>, warnings: r.warnings };
  const body = (typeof r.body === "object" && r.body !== null ? r.body : {}) as {
    message?: string;
    reason?: string;
    details?: { causes?: StatusCause[] };
  };
  const message = body.message ?? String(r.body);
  if (r.status === 403 && message.includes("violates PodSecurity"))
    return { outcome: "pod-security", status: r.status, message };
  return {
    outcome: "rejected",
    status: r.status,
    reason: body.reason ?? "",
    message,
    causes: body.details?.causes ?? [],
  };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Writes a report file under .tools/control-plane/reports and returns its path. */
export function writeReport(name: string, content: unknown): string {
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const file = path.join(REPORT_DIR, name);
  fs.writeFileSync(file, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  return file;
}
