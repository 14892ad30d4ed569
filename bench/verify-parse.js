#!/usr/bin/env node
"use strict";
/**
 * Differential check of the YAML fast path (policypack/engine/fast-yaml.ts): parseManifests with
 * and without it must give the same objects, lines and errors, on
 *   - every corpus under bench/.work (one file, and each file of the directory form),
 *   - every .yaml/.yml file in the repository (fixtures, examples),
 *   - generated documents built from tricky pieces (YAML 1.1 booleans, octal, sexagesimal, dates,
 *     quotes and escapes, block scalars, comments, compact and indented sequences, Lists, …),
 *   - mutations of those (characters and lines deleted, duplicated, re-indented).
 * Prints how often the fast path was taken; exits 1 on the first difference.
 *
 * Usage: node bench/verify-parse.js [CASES]   (after npm run build)
 */
const fs = require("node:fs");
const path = require("node:path");
const { isDeepStrictEqual } = require("node:util");
const { parseManifests } = require("../dist/policypack/engine/parse");
const { fastParse } = require("../dist/policypack/engine/fast-yaml");
const { rng } = require("./lib/generate");

const ROOT = path.resolve(__dirname, "..");
const stats = { texts: 0, fast: 0, fallback: 0 };

function check(text, name) {
  stats.texts++;
  if (fastParse(text) !== undefined) stats.fast++;
  else stats.fallback++;
  let slow;
  let slowError;
  try {
    slow = parseManifests(text, name, { fast: false });
  } catch (err) {
    slowError = String(err);
  }
  let fast;
  let fastError;
  try {
    fast = parseManifests(text, name);
  } catch (err) {
    fastError = String(err);
  }
  if (slowError !== fastError || !isDeepStrictEqual(slow, fast)) {
    const file = path.join(__dirname, ".work", "verify-parse-failure.yaml");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stderr.write(`MISMATCH on ${name} (text in ${path.relative(ROOT, file)})\n`);
    process.stderr.write(`yaml package: ${slowError ?? JSON.stringify(slow, null, 1).slice(0, 3000)}\n`);
    process.stderr.write(`fast path:    ${fastError ?? JSON.stringify(fast, null, 1).slice(0, 3000)}\n`);
    process.exit(1);
  }
}

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".git", ".tools", "dist", ".peers", ".work"].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

// ---- generated documents ---------------------------------------------------------------------
const KEYS = [
  "name",
  "app",
  "a b",
  "a:b",
  "x#y",
  "on",
  "yes",
  "y",
  "No",
  "null",
  "~",
  "1",
  "0x1F",
  "<<",
  "__proto__",
  "-x",
  "k8s.io/name",
  "é",
  "key ",
  "true",
  "2001-12-14",
  "1:20",
  "data",
  "items",
  "kind",
  "apiVersion",
];
const SCALARS = [
  "plain",
  "two words",
  "yes",
  "Yes",
  "YES",
  "no",
  "n",
  "N",
  "y",
  "Y",
  "on",
  "Off",
  "true",
  "False",
  "null",
  "Null",
  "~",
  "",
  "0",
  "-0",
  "+1",
  "007",
  "0755",
  "08",
  "0b101",
  "0x1F",
  "0xg",
  "1_000",
  "1e3",
  "1.5e-3",
  ".5",
  "1.",
  "-.inf",
  ".NaN",
  ".nan",
  "1:20",
  "190:20:30.15",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "2001-12-14 21:59:43.10",
  "123456789012345678901",
  "a: b",
  "a:b",
  "a #b",
  "a# b",
  "a:",
  "-",
  "- a",
  "--flag",
  "-1",
  "?x",
  ":x",
  "[a, b]",
  "[]",
  "{}",
  "{a: 1}",
  "a]",
  "a,b",
  "&a x",
  "*a",
  "!!str 1",
  "!x y",
  "%x",
  "@x",
  "`x",
  "'single'",
  "'it''s'",
  "'open",
  '"double"',
  '"esc\\n\\t\\"q\\""',
  '"\\u00e9\\x41"',
  '"\\/"',
  '"a" b',
  '"a"#c',
  '"a" #c',
  "'a' #c",
  "|",
  "|-",
  "|+",
  "|2",
  ">",
  ">-",
  "x # comment",
  "trailing   ",
  "http://example.com/#frag",
  "sha256:abc",
  "*",
  "<<",
  "=",
  "null # c",
  "a  b",
];
/** Scalars the fast path handles itself (the rest make it hand the text to the yaml package). */
const SAFE = SCALARS.filter(
  (s) =>
    !/^[-?:,[\]{}#&*!|>%@`]/.test(s) ||
    /^-[^ ]/.test(s) ||
    s === "[]" ||
    s === "{}" ||
    s === "|" ||
    s === "|-" ||
    /^['"]/.test(s),
).filter((s) => !/: |:$| #|^'open$|^"a" b$|^"a"#c$|\\x/.test(s));
let safeOnly = false;
const BLOCKS = [
  ["line one", "line two"],
  ["", "after empty"],
  ["  indented more", "back"],
  ["# not a comment", "x: y"],
  ["last", ""],
  ["   ", "x"],
];

function genValue(r, depth, indent) {
  const roll = r.next();
  if (depth > 3 || roll < 0.5) {
    const s = r.pick(safeOnly ? SAFE : SCALARS);
    if ((s === "|" || s === "|-" || s === "|+" || s === ">") && r.chance(0.8)) {
      const block = r.pick(BLOCKS);
      const pad = " ".repeat(indent + r.pick([1, 2, 4]));
      return { inline: s, lines: block.map((l) => (l === "" ? "" : pad + l)) };
    }
    return { inline: s, lines: [] };
  }
  if (roll < 0.75) return { inline: "", lines: genMap(r, depth + 1, indent + r.pick([2, 2, 4])) };
  const compact = r.chance(0.5);
  return { inline: "", lines: genSeq(r, depth + 1, compact ? indent : indent + 2) };
}

function genMap(r, depth, indent) {
  const out = [];
  const n = 1 + r.int(4);
  const pad = " ".repeat(indent);
  for (let i = 0; i < n; i++) {
    if (r.chance(0.1)) out.push(`${pad}# comment ${i}`);
    if (r.chance(0.05)) out.push("");
    const key =
      safeOnly || r.chance(0.7)
        ? r.pick([
            "name",
            "value",
            "spec",
            "image",
            "args",
            "labels",
            "x",
            "y",
            "z",
            "a b",
            "a:b",
            "x#y",
            "k8s.io/name",
          ]) + i
        : r.pick(KEYS);
    const v = genValue(r, depth, indent);
    const sep = r.chance(0.05) ? ":  " : ": ";
    out.push(`${pad}${key}${v.inline === "" ? ":" : sep + v.inline}${r.chance(0.05) ? " # c" : ""}`);
    out.push(...v.lines);
  }
  return out;
}

function genSeq(r, depth, indent) {
  const out = [];
  const n = 1 + r.int(3);
  const pad = " ".repeat(indent);
  for (let i = 0; i < n; i++) {
    const roll = r.next();
    if (roll < 0.4) {
      const m = genMap(r, depth + 1, indent + 2);
      out.push(`${pad}- ${m[0].trimStart()}`, ...m.slice(1));
    } else if (roll < 0.5) {
      out.push(`${pad}-`, ...genMap(r, depth + 1, indent + 2));
    } else {
      const v = genValue(r, depth + 1, indent);
      out.push(`${pad}-${v.inline === "" ? "" : ` ${v.inline}`}`, ...v.lines);
    }
  }
  return out;
}

function genDocument(r) {
  const head = [
    "apiVersion: v1",
    `kind: ${r.pick(["ConfigMap", "Pod", "List", "Thing"])}`,
    "metadata:",
    `  name: n${r.int(100)}`,
  ];
  if (r.chance(0.1)) head.splice(1, 1);
  if (r.chance(0.15)) {
    head.push(r.pick(["items:", "items: []"]));
    if (!head[head.length - 1].endsWith("[]")) {
      for (let i = 0; i < 1 + r.int(3); i++) {
        const item = ["apiVersion: v1", "kind: ConfigMap", "metadata:", `  name: item${i}`, ...genMap(r, 2, 0)];
        const indent = r.chance(0.5) ? 0 : 2;
        const pad = " ".repeat(indent);
        if (r.chance(0.2))
          out(
            `${pad}-`,
            item.map((l) => `${pad}  ${l}`),
          );
        else head.push(`${pad}- ${item[0]}`, ...item.slice(1).map((l) => `${pad}  ${l}`));
      }
    }
    function out(first, rest) {
      head.push(first, ...rest);
    }
  }
  return [...head, ...genMap(r, 0, 0)];
}

function genText(r) {
  safeOnly = r.chance(0.7);
  const docs = [];
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const lines =
      !safeOnly && r.chance(0.05) ? [r.pick(["- a", "scalar", "# only a comment", "", "[a]"])] : genDocument(r);
    if (r.chance(0.2)) lines.unshift("# leading comment");
    docs.push(lines.join("\n"));
  }
  const sep = safeOnly
    ? r.pick(["\n---\n", "\n--- \n", "\n---\n\n"])
    : r.pick(["\n---\n", "\n---\n", "\n--- \n", "\n---\n\n", "\n...\n---\n", "\n--- # c\n"]);
  return (r.chance(0.1) ? "---\n" : "") + docs.join(sep) + (r.chance(0.9) ? "\n" : "");
}

function mutate(r, text) {
  const lines = text.split("\n");
  const i = r.int(lines.length);
  switch (r.int(6)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[r.int(lines.length)]);
      break;
    case 2:
      lines[i] = ` ${lines[i]}`;
      break;
    case 3:
      lines[i] = lines[i].slice(1);
      break;
    case 4: {
      const s = lines[i];
      const k = r.int(s.length + 1);
      lines[i] = s.slice(0, k) + r.pick([":", " ", "#", "-", '"', "'", "\t", "|", " #", ": "]) + s.slice(k);
      break;
    }
    default:
      lines[i] = lines[i].trimStart();
  }
  return lines.join("\n");
}

function main() {
  process.removeAllListeners("warning"); // the yaml package warns about Date keys; not ours to see
  const cases = Number(process.argv[2] ?? 20000);
  const work = path.join(__dirname, ".work");
  if (fs.existsSync(work)) {
    for (const e of fs.readdirSync(work)) {
      const p = path.join(work, e);
      if (/^corpus-\d+\.yaml$/.test(e)) check(fs.readFileSync(p, "utf8"), p);
      else if (/^corpus-\d+$/.test(e)) for (const f of walk(p, [])) check(fs.readFileSync(f, "utf8"), f);
    }
  }
  const corpora = stats.texts;
  for (const f of walk(ROOT, [])) check(fs.readFileSync(f, "utf8"), path.relative(ROOT, f));
  const repo = stats.texts - corpora;
  const r = rng(7);
  for (let i = 0; i < cases; i++) {
    const text = genText(r);
    check(text, `generated #${i}`);
    let m = text;
    for (let k = 0; k < 3; k++) {
      m = mutate(r, m);
      check(m, `generated #${i} mutated ${k + 1}`);
    }
  }
  process.stdout.write(
    `parse fast path agrees with the yaml package on ${stats.texts} texts (${corpora} corpus files, ${repo} repository files, ${stats.texts - corpora - repo} generated): fast path taken ${stats.fast}, fallback ${stats.fallback}\n`,
  );
}

if (require.main === module) main();

module.exports = { genText, mutate, lastWasSafe: () => safeOnly };
