"use strict";
/**
 * The peers: other Kubernetes manifest checkers, installed by the bench itself into bench/.peers
 * (Go tools with `go install` and GOBIN, pinned; Checkov into a venv from PyPI), each tried once:
 * a failure is recorded with its reason in bench/.peers/status.json and not retried unless
 * --retry-peers is given. Each peer has a command for a file and for a directory, and a check
 * that its output shows it actually analysed the objects.
 */
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const BENCH = path.resolve(__dirname, "..");
const PEERS_DIR = path.join(BENCH, ".peers");
const BIN = path.join(PEERS_DIR, "bin");
const LOGS = path.join(PEERS_DIR, "logs");
const STATUS = path.join(PEERS_DIR, "status.json");
/**
 * A Go build that takes longer than this is given up on (trivy and kubescape are very large; the
 * issue asks for about 15 minutes, but on a shared 2-core machine trivy's cold build took 20).
 */
const GO_BUILD_TIMEOUT_S = 30 * 60;

/** Every manifest file under a directory, sorted (for tools that take files, not directories). */
function manifestFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const PEERS = [
  {
    id: "checkov",
    name: "Checkov",
    source: "pypi",
    package: "checkov",
    version: "3.3.30",
    binary: path.join(PEERS_DIR, "checkov-venv", "bin", "checkov"),
    // Tens of ms per object here: fewer runs at 10k, one capped run at 50k (see run.js).
    slow: true,
    command: (bin, target, isDir) => [
      bin,
      "--framework",
      "kubernetes",
      isDir ? "-d" : "-f",
      target,
      "-o",
      "json",
      "--quiet",
      "--compact",
      "--skip-download",
    ],
    // The corpora live under bench/.work: without this Checkov skips every file under a hidden folder.
    env: { BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false", CKV_IGNORE_HIDDEN_DIRECTORIES: "false" },
    versionCommand: (bin) => [bin, "--version"],
    verify: (run) => {
      const raw = readJson(run.stdout);
      const reports = Array.isArray(raw) ? raw : [raw];
      let resources = 0;
      let checks = 0;
      let failed = 0;
      for (const r of reports) {
        resources += r.summary?.resource_count ?? 0;
        checks += (r.summary?.passed ?? 0) + (r.summary?.failed ?? 0);
        failed += r.summary?.failed ?? 0;
      }
      if (resources === 0 || checks === 0) throw new Error("checkov analysed nothing");
      return `${resources} resources, ${checks} checks run, ${failed} failed`;
    },
  },
  {
    id: "kube-score",
    name: "kube-score",
    source: "go",
    module: "github.com/zegl/kube-score",
    package: "github.com/zegl/kube-score/cmd/kube-score",
    version: "v1.20.0",
    command: (bin, target, isDir) => [
      bin,
      "score",
      "--output-format",
      "json",
      ...(isDir ? manifestFiles(target) : [target]),
    ],
    verify: (run) => {
      const objects = readJson(run.stdout);
      const checks = objects.reduce((n, o) => n + (o.checks?.length ?? 0), 0);
      if (objects.length === 0 || checks === 0) throw new Error("kube-score scored nothing");
      return `${objects.length} objects scored (kinds it knows), ${checks} checks`;
    },
  },
  {
    id: "trivy",
    name: "Trivy (config)",
    source: "go",
    module: "github.com/aquasecurity/trivy",
    package: "github.com/aquasecurity/trivy/cmd/trivy",
    version: "v0.74.0",
    slow: true,
    // Cold (empty module and build caches), on this shared 2-core machine: 1,188 s.
    coldBuildSeconds: 1188,
    // Upstream's own build sets this: pkg/x/json uses encoding/json/v2.
    buildEnv: { GOEXPERIMENT: "jsonv2" },
    ldflags: "-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0",
    command: (bin, target) => [
      bin,
      "config",
      "--format",
      "json",
      "--quiet",
      "--skip-check-update",
      "--cache-dir",
      path.join(PEERS_DIR, "trivy-cache"),
      target,
    ],
    env: { TRIVY_DISABLE_VEX_NOTICE: "true", TRIVY_NO_PROGRESS: "true" },
    versionCommand: (bin) => [bin, "--version"],
    verify: (run) => {
      const report = readJson(run.stdout);
      let files = 0;
      let failures = 0;
      let successes = 0;
      for (const r of report.Results ?? []) {
        files++;
        failures += r.MisconfSummary?.Failures ?? 0;
        successes += r.MisconfSummary?.Successes ?? 0;
      }
      if (files === 0 || failures + successes === 0) throw new Error("trivy analysed nothing");
      return `${files} files, ${successes + failures} check results, ${failures} failures`;
    },
  },
  {
    id: "polaris",
    name: "Polaris (audit)",
    source: "go",
    module: "github.com/fairwindsops/polaris",
    package: "github.com/fairwindsops/polaris",
    // Polaris tags (v9.x) are not semantic-import versioned, so the go command sees pseudo-versions only.
    version: "latest",
    command: (bin, target) => [bin, "audit", "--audit-path", target, "--format", "json", "--only-show-failed-tests"],
  },
  {
    id: "kubescape",
    name: "Kubescape",
    source: "go",
    module: "github.com/kubescape/kubescape/v3",
    package: "github.com/kubescape/kubescape/v3",
    version: "v3.0.40",
    // Even when built, a scan downloads its frameworks and controls from GitHub at run time.
    command: (bin, target) => [bin, "scan", target, "--format", "json"],
  },
  {
    id: "kube-linter",
    name: "kube-linter",
    source: "go",
    module: "golang.stackrox.io/kube-linter",
    package: "golang.stackrox.io/kube-linter/cmd/kube-linter",
    version: "v0.7.6",
    command: (bin, target) => [bin, "lint", "--format", "json", target],
  },
];

function loadStatus() {
  try {
    return readJson(STATUS);
  } catch {
    return {};
  }
}

function saveStatus(status) {
  fs.mkdirSync(PEERS_DIR, { recursive: true });
  fs.writeFileSync(STATUS, `${JSON.stringify(status, null, 2)}\n`);
}

function lastLines(text, n = 3) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("go: downloading"))
    .slice(-n)
    .join(" | ");
}

function installGo(peer, log) {
  const binary = path.join(BIN, path.basename(peer.package));
  const args = ["-n", "10", "go", "install", "-trimpath"];
  if (peer.ldflags) args.push("-ldflags", peer.ldflags);
  args.push(`${peer.package}@${peer.version}`);
  const env = { ...process.env, GOBIN: BIN, CGO_ENABLED: "0", GOFLAGS: "-buildvcs=false", ...(peer.buildEnv ?? {}) };
  const command = `${Object.entries({ GOBIN: "bench/.peers/bin", CGO_ENABLED: "0", ...(peer.buildEnv ?? {}) })
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")} nice ${args.slice(2).join(" ")}`;
  log(`  installing ${peer.name}: ${command}`);
  const started = Date.now();
  const r = spawnSync("nice", args, {
    env,
    cwd: PEERS_DIR,
    encoding: "utf8",
    timeout: GO_BUILD_TIMEOUT_S * 1000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(path.join(LOGS, `${peer.id}.install.log`), `${command}\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  if (r.error?.code === "ETIMEDOUT" || r.signal === "SIGTERM") {
    return {
      ok: false,
      reason: `go install did not finish within ${GO_BUILD_TIMEOUT_S / 60} minutes`,
      seconds,
      command,
    };
  }
  if (r.status !== 0 || !fs.existsSync(binary)) {
    const text = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    // No host names in what gets committed: the proxy is "the Go module proxy".
    const reason = /403 Forbidden|not available/.test(text)
      ? `not served by the Go module proxy: 403 Forbidden for ${peer.module}@${peer.version}, and for the module's version list`
      : `go install failed: ${lastLines(text).replace(/https?:\/\/\S+/g, "<url>")}`;
    return { ok: false, reason, seconds, command };
  }
  return { ok: true, binary, seconds, command };
}

function installPypi(peer, log) {
  const venv = path.join(PEERS_DIR, `${peer.id}-venv`);
  const command = `python3 -m venv bench/.peers/${peer.id}-venv && bench/.peers/${peer.id}-venv/bin/pip install ${peer.package}==${peer.version}`;
  log(`  installing ${peer.name}: ${command}`);
  const started = Date.now();
  let r = spawnSync("python3", ["-m", "venv", venv], { encoding: "utf8" });
  if (r.status === 0) {
    r = spawnSync(path.join(venv, "bin", "pip"), ["install", "-q", `${peer.package}==${peer.version}`], {
      encoding: "utf8",
      timeout: 30 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(path.join(LOGS, `${peer.id}.install.log`), `${command}\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  if (r.status !== 0 || !fs.existsSync(peer.binary)) {
    return { ok: false, reason: `pip install failed: ${lastLines(`${r.stdout}${r.stderr}`)}`, seconds, command };
  }
  return { ok: true, binary: peer.binary, seconds, command };
}

function reportedVersion(peer, binary) {
  if (!peer.versionCommand) return peer.version;
  const r = spawnSync(peer.versionCommand(binary)[0], peer.versionCommand(binary).slice(1), { encoding: "utf8" });
  const text = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0] ?? "";
  return text === "" ? peer.version : text.replace(/^Version:\s*/, "");
}

/**
 * Makes sure each peer is installed (or known not to install); returns
 * [{ peer, ok, binary?, version, reason?, command }].
 */
function ensurePeers({ retry = false, only, log = () => {} } = {}) {
  fs.mkdirSync(BIN, { recursive: true });
  fs.mkdirSync(LOGS, { recursive: true });
  const status = loadStatus();
  const out = [];
  for (const peer of PEERS) {
    if (only && !only.includes(peer.id)) continue;
    const pin = `${peer.source}:${peer.package}@${peer.version}`;
    let s = status[peer.id];
    const binary = peer.source === "go" ? path.join(BIN, path.basename(peer.package)) : peer.binary;
    const cached = s !== undefined && s.pin === pin && (s.ok ? fs.existsSync(binary) : !retry);
    if (!cached) {
      const r = peer.source === "go" ? installGo(peer, log) : installPypi(peer, log);
      s = { pin, ...r, attempted: new Date().toISOString() };
      if (r.ok) s.version = reportedVersion(peer, r.binary);
      status[peer.id] = s;
      saveStatus(status);
      log(`  ${peer.name}: ${r.ok ? `installed (${s.version}) in ${r.seconds.toFixed(0)} s` : r.reason}`);
    }
    out.push({ peer, ok: s.ok, binary: s.ok ? binary : undefined, version: s.version ?? peer.version, ...s });
  }
  return out;
}

module.exports = { PEERS, ensurePeers, manifestFiles };
