#!/usr/bin/env node
"use strict";
// The `palisade` command. Start-up is most of the time of checking a small file (pre-commit hooks,
// editors), so this runs the one-file bundle dist/palisade.js (scripts/build-cli) and keeps V8's
// code cache for it: the first run compiles and saves the cache, later runs skip parsing and
// compiling (bench/lib/startup.js measures it). The cache lives in the OS temp folder, in a folder
// of the user's own (mode 700; read only when owned by the user and not writable by others), one
// file per bundle and Node version, written atomically; PALISADE_COMPILE_CACHE=<dir> moves it,
// =off turns it off. When tsc compiled dist/cli/ after the bundle was built (a developer ran
// `tsc -p tsconfig.build.json` alone), the modules run instead, so a stale bundle never runs.
const path = require("node:path");
const fs = require("node:fs");

const dist = path.join(__dirname, "..", "dist");
const bundle = path.join(dist, "palisade.js");
const modules = path.join(dist, "cli", "main.js");

function stat(file) {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** Loads the bundle through vm.Script with V8's code cache; returns its exports and a saver. */
function loadBundle(st) {
  const vm = require("node:vm");
  const Module = require("node:module");
  const setting = process.env.PALISADE_COMPILE_CACHE;
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const dir =
    setting === "off" || setting === "0"
      ? undefined
      : setting ||
        path.join(require("node:os").tmpdir(), `palisade-compile-cache${uid === undefined ? "" : `-${uid}`}`);
  const key = `${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}`;
  const cacheFile = dir === undefined ? undefined : path.join(dir, `palisade-${key}.v8cache`);
  let cachedData;
  if (cacheFile !== undefined) {
    try {
      // Code cache is code: only read from a folder this user owns and no one else can write to.
      const d = fs.statSync(dir);
      if (uid === undefined || (d.uid === uid && (d.mode & 0o022) === 0)) cachedData = fs.readFileSync(cacheFile);
    } catch {
      // first run with this bundle and this Node: compiled below, saved after the command
    }
  }
  const source = fs.readFileSync(bundle, "utf8");
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, dist);
  const save = () => {
    if (cacheFile === undefined || (cachedData !== undefined && !script.cachedDataRejected)) return;
    try {
      // After the command ran, so the functions it compiled lazily are in the cache too.
      const data = script.createCachedData();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a cache that cannot be written only costs speed
    }
  };
  return { exports: mod.exports, save };
}

const bundleStat = stat(bundle);
const modulesStat = stat(modules);
let cli;
let save = () => {};
if (bundleStat !== undefined && (modulesStat === undefined || bundleStat.mtimeMs >= modulesStat.mtimeMs)) {
  ({ exports: cli, save } = loadBundle(bundleStat));
} else if (modulesStat !== undefined) {
  cli = require(modules);
} else {
  process.stderr.write("palisade: the CLI is not built yet; run `npm run build` in the repository\n");
  process.exit(2);
}

cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    save();
  },
  (err) => {
    process.stderr.write(`palisade: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
