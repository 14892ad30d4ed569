/**
 * Generated manifest streams rich in what YAML readers disagree on: merge keys in every position
 * and repetition, duplicate keys, YAML 1.1 number and boolean spellings, timestamps, tags,
 * anchors and aliases, flow/block mixes, block scalars, comments, empty documents, BOM, CRLF,
 * JSON streams and flow-mapping roots.
 */
import fc from "fast-check";

const PLAIN = [
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "Y",
  "N",
  "True",
  "FALSE",
  "~",
  "null",
  "Null",
  "",
  "0o65",
  "0O65",
  "0755",
  "09",
  "0x1F",
  "0X1f",
  "0b101",
  "-0b11",
  "1:20",
  "-1:20:30",
  "1_000",
  "0_7",
  "_1",
  ".5",
  "1.",
  "1e3",
  "1E-2",
  "+.5",
  "1e400",
  "-1e400",
  ".inf",
  "-.Inf",
  ".NaN",
  ".5_0",
  "1.5e+3",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "2001-12-14 21:59:43.10",
  "2002-1-2",
  "+12",
  "-0",
  "-0.0",
  "0",
  "00",
  "-",
  "+",
  "0x",
  "0b2",
  "0o8",
  "18446744073709551615",
  "18446744073709551616",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "0xFFFFFFFFFFFFFFFF",
  "0x1FFFFFFFFFFFFFFFF",
  "true",
  "false",
  "abc",
  "hello world",
  "a:b",
  "x#y",
  "<<",
  "=",
  "53",
  "443",
  "v1",
  "Pod",
];
const QUOTED = [
  '"quoted"',
  "'single'",
  "'it''s'",
  '"esc\\n\\t"',
  '"\\u00e9"',
  '"\\/"',
  '"\\x41"',
  '"\\ud83d\\ude00"',
  '"0o65"',
  "'yes'",
  '""',
  "''",
  '"\\U0001F600"',
  '"a\\\\b"',
  '"\\e"',
  '"\\N"',
];
const TAGGED = [
  "!!binary aGVsbG8=",
  "!!binary aGVsbG8",
  "!!binary !!!",
  "!!binary /w==",
  "!!float '53'",
  "!!float 53",
  "!!int '12'",
  "!!int 0o17",
  "!!int abc",
  "!!int 1.5",
  "!!str 53",
  "!!str yes",
  "!!bool yes",
  "!!bool 1",
  "!!null ''",
  "!!null x",
  "!custom x",
  "! 12",
  "!!timestamp 2001-12-14",
  "!!merge <<",
  "!!float .inf",
  "!<tag:yaml.org,2002:str> 12",
  "!!set x",
  "!!str",
  "!!int",
];
const KEYS = [
  "a",
  "b",
  "c",
  "hostPID",
  "privileged",
  "port",
  "name",
  "spec",
  "<<",
  "<<",
  "1",
  "'1'",
  "y",
  "yes",
  "on",
  "~",
  "1.5",
  '"k"',
  "!!merge <<",
  "'<<'",
  "!!str 1",
  "0x1",
  "01",
  "true",
  "null",
  "__proto__",
  "! <<",
];
const ANCHORS = ["a1", "a2"];

export type Node =
  | { t: "scalar"; text: string }
  | { t: "alias"; name: string }
  | { t: "map"; entries: [string, Node][]; props: string; flow: boolean }
  | { t: "seq"; items: Node[]; props: string; flow: boolean }
  | { t: "block"; style: string; lines: string[] };

const props = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.constantFrom(...ANCHORS).map((a) => `&${a}`) },
  { weight: 1, arbitrary: fc.constantFrom("!!map", "!custom", "!!seq", "!!str") },
);

const scalar: fc.Arbitrary<Node> = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PLAIN) },
    { weight: 2, arbitrary: fc.constantFrom(...QUOTED) },
    { weight: 2, arbitrary: fc.constantFrom(...TAGGED) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...ANCHORS), fc.constantFrom(...PLAIN)).map(([a, p]) => `&${a} ${p}`),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9 .:_-]{0,8}$/) },
  )
  .map((text) => ({ t: "scalar", text }));

const alias: fc.Arbitrary<Node> = fc.constantFrom(...ANCHORS).map((name) => ({ t: "alias", name }));

const block: fc.Arbitrary<Node> = fc
  .record({
    style: fc.constantFrom("|", "|-", "|+", ">", ">-", "|2"),
    lines: fc.array(fc.constantFrom("x", "y z", "", "  indented", "# not a comment", "---"), {
      minLength: 0,
      maxLength: 3,
    }),
  })
  .map(({ style, lines }) => ({ t: "block", style, lines }));

const tree = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: alias },
    { weight: 1, arbitrary: block },
    { weight: 2, arbitrary: tie("map") },
    { weight: 1, arbitrary: tie("seq") },
  ),
  map: fc
    .record({
      entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("node")), { maxLength: 4 }),
      props,
      flow: fc.boolean(),
    })
    .map(({ entries, props: p, flow }) => ({ t: "map", entries, props: p, flow })),
  seq: fc
    .record({ items: fc.array(tie("node"), { maxLength: 3 }), props, flow: fc.boolean() })
    .map(({ items, props: p, flow }) => ({ t: "seq", items, props: p, flow })),
}));

function flowText(n: Node): string {
  switch (n.t) {
    case "scalar":
      return n.text === "" ? "''" : n.text;
    case "alias":
      return `*${n.name}`;
    case "block":
      return `"${n.lines.join(" ").replace(/["\\]/g, "")}"`;
    case "map":
      return `${n.props ? `${n.props} ` : ""}{${n.entries.map(([k, v]) => `${k}: ${flowText(v)}`).join(", ")}}`;
    case "seq":
      return `${n.props ? `${n.props} ` : ""}[${n.items.map(flowText).join(", ")}]`;
  }
}

/** `node` as the value after `key:` or `- ` at indentation `indent` (the key's column). */
function valueText(n: Node, indent: number): string {
  const pad = " ".repeat(indent + 2);
  switch (n.t) {
    case "scalar":
      return ` ${n.text}\n`.replace(/^ \n$/, "\n");
    case "alias":
      return ` *${n.name}\n`;
    case "block":
      return ` ${n.style}\n${n.lines.map((l) => (l === "" ? "\n" : `${pad}${l}\n`)).join("")}`;
    case "map":
    case "seq":
      if (n.flow || (n.t === "map" ? n.entries.length === 0 : n.items.length === 0)) return ` ${flowText(n)}\n`;
      return `${n.props ? ` ${n.props}` : ""}\n${blockText(n, indent + 2)}`;
  }
}

function blockText(n: Node, indent: number): string {
  const pad = " ".repeat(indent);
  if (n.t === "map" && !n.flow && n.entries.length > 0)
    return n.entries.map(([k, v]) => `${pad}${k}:${valueText(v, indent)}`).join("");
  if (n.t === "seq" && !n.flow && n.items.length > 0)
    return n.items.map((v) => `${pad}-${valueText(v, indent)}`).join("");
  return `${pad}${flowText(n)}\n`;
}

/** A Kubernetes-shaped document around generated parts, so merges land in pod fields. */
const podDoc = fc
  .record({
    base: fc.constantFrom("false", "true", "no", "yes", "off"),
    merged: fc.constantFrom("true", "yes", "on", "false"),
    order: fc.constantFrom(0, 1, 2, 3, 4),
    port: fc.constantFrom("53", "0o65", "0O65", "065", "0x35", "'53'", "!!float '53'", "53.0", "1:20", "5_3"),
  })
  .map(({ base, merged, order, port }) => {
    const head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
    const anchor = `x-defaults: &d {hostPID: ${merged}}\n`;
    const specs = [
      `spec:\n  hostPID: ${base}\n  <<: {hostPID: ${merged}}\n`,
      `spec:\n  <<: {hostPID: ${merged}}\n  hostPID: ${base}\n`,
      `spec:\n  hostPID: ${base}\n  <<: *d\n`,
      `spec:\n  <<: [*d, {hostPID: ${base}}]\n  <<: {hostNetwork: ${merged}}\n`,
      `spec:\n  hostPID: ${base}\n  !!merge <<: {hostPID: ${merged}}\n  <<: {hostPID: ${base}}\n`,
    ];
    return `${order >= 2 ? anchor : ""}${head}${specs[order]}  containers:\n  - name: c\n    image: i\n    ports:\n    - containerPort: ${port}\n`;
  });

/** Plain block style with tricky scalars: what the fast path takes, held to the same oracle. */
const plainScalar: fc.Arbitrary<Node> = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PLAIN.filter((p) => p !== "<<" && p !== "-")) },
    { weight: 2, arbitrary: fc.constantFrom(...QUOTED) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9 .:#_-]{0,8}$/) },
  )
  .map((text) => ({ t: "scalar", text }));
const plainTree = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: plainScalar },
    { weight: 1, arbitrary: block },
    { weight: 2, arbitrary: tie("map") },
    { weight: 1, arbitrary: tie("seq") },
  ),
  map: fc
    .array(fc.tuple(fc.constantFrom("a", "b", "c", "name", "port", "image", "x y", "k-1", "1", "yes"), tie("node")), {
      maxLength: 4,
    })
    .map((entries) => ({ t: "map", entries, props: "", flow: false })),
  seq: fc.array(tie("node"), { maxLength: 3 }).map((items) => ({ t: "seq", items, props: "", flow: false })),
}));

const yamlDoc = fc.oneof(
  { weight: 4, arbitrary: plainTree.map.map((m) => blockText(m, 0)) },
  { weight: 5, arbitrary: tree.map.map((m) => blockText(m, 0)) },
  { weight: 2, arbitrary: podDoc },
  { weight: 1, arbitrary: tree.map.map((m) => `${flowText(m)}\n`) },
  { weight: 1, arbitrary: fc.constantFrom("", "# only a comment\n", "\n\n", "~\n", "null\n", "--- # c\n") },
  { weight: 1, arbitrary: tree.node.map((n) => blockText(n, 0)) },
);

const separator = fc.constantFrom("---\n", "--- # c\n", "---\n---\n", "...\n---\n", "---  \n", "\n---\n");

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const jsonStream = fc
  .record({
    objects: fc.array(
      fc.dictionary(fc.constantFrom("apiVersion", "kind", "a", "b", "__proto__"), jsonValue, { maxKeys: 4 }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    join: fc.constantFrom("\n", " ", "", "\n\n"),
    tail: fc.constantFrom("", "---\nb: 2\n", "\n---\napiVersion: v1\n", "c: 3\n", "null\n", "{bad\n"),
  })
  .map(({ objects, join, tail }) => objects.map((o) => JSON.stringify(o)).join(join) + (tail ? `\n${tail}` : ""));

const yamlStream = fc
  .record({
    docs: fc.array(yamlDoc, { minLength: 1, maxLength: 3 }),
    seps: fc.array(separator, { minLength: 3, maxLength: 3 }),
    lead: fc.constantFrom("", "", "", "---\n", "---\n", "# head\n", "%YAML 1.1\n---\n"),
    trail: fc.constantFrom("", "---\n", "---\n---\n", "# tail\n", "...\n"),
  })
  .map(
    ({ docs, seps, lead, trail }) =>
      lead + docs.map((d, i) => (i === 0 ? d : (seps[i % 3] as string) + d)).join("") + trail,
  );

/** A whole input file: YAML or JSON streams, sometimes with a BOM or CRLF line ends. */
export const manifestText: fc.Arbitrary<string> = fc
  .record({
    body: fc.oneof({ weight: 5, arbitrary: yamlStream }, { weight: 1, arbitrary: jsonStream }),
    bom: fc.constantFrom(false, false, false, true),
    crlf: fc.constantFrom(false, false, false, true),
  })
  .map(({ body, bom, crlf }) => {
    const t = crlf ? body.replace(/\n/g, "\r\n") : body;
    return bom ? `\ufeff${t}` : t;
  });
