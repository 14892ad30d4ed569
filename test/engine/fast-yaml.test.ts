/**
 * The fast path for plain block YAML must give exactly what the `yaml` package gives (YAML 1.1,
 * as kubectl reads it), or step aside: a differential property over generated manifests.
 */
import fc from "fast-check";
import { parseAllDocuments, stringify } from "yaml";
import { fastParse } from "../../policypack/engine/fast-yaml";
import { parseManifests } from "../../policypack/engine/parse";

const reference = (text: string): unknown[] =>
  parseAllDocuments(text, { version: "1.1", merge: true, uniqueKeys: true })
    .map((d) => d.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((v) => v !== null);

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "yes",
    "no",
    "on",
    "off",
    "0755",
    "1:20",
    ".inf",
    "~",
    "null",
    "2001-12-14",
    "0x1F",
    "-0",
    "+12",
    "1e3",
    "true",
    "",
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.constantFrom("apiVersion", "kind", "metadata", "spec", "name", "image", "ports", "a b", "x:y", "#c", "- d"),
  fc.string({ maxLength: 8 }),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(key, tie("v"), { maxKeys: 4 }),
  ),
})).v;
const manifest = fc.record({
  apiVersion: fc.constant("v1"),
  kind: fc.constant("ConfigMap"),
  metadata: fc.record({ name: fc.string() }),
  data: fc.dictionary(key, value, { maxKeys: 5 }),
});

describe("fast-yaml", () => {
  it("agrees with the yaml package on generated manifests (or steps aside)", () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), fc.boolean(), (objects, blockStyle) => {
        const text = objects
          .map((o) => stringify(o, { version: "1.1", ...(blockStyle ? {} : { collectionStyle: "flow" as const }) }))
          .join("---\n");
        const fast = fastParse(text);
        if (fast === undefined) return; // unsupported: the yaml package parses it
        expect(fast.map((d) => d.value)).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it("parseManifests gives the same objects and lines with and without the fast path", () => {
    const text =
      "# c\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {}\nspec:\n  hostNetwork: yes\n  containers:\n    - name: c\n      image: nginx\n      args:\n        - x\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: b\n";
    expect(fastParse(text)).toBeDefined(); // plain block YAML takes the fast path
    const fast = parseManifests(text, "f.yaml");
    const slow = parseManifests(text, "f.yaml", { fast: false });
    expect(fast).toEqual(slow);
    expect(fast.objects.map((o) => o.line)).toEqual([2, 18]);
  });
});
