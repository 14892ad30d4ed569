/**
 * The fast path for plain block YAML must give exactly what the full reader gives (both are held
 * to kubectl's own decoder in test/yaml/differential.test.ts), or step aside — and it must not
 * step aside so often that this checks nothing: most generated block manifests must take it.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { join } from "../../policypack/engine/access";
import { fastParse } from "../../policypack/engine/fast-yaml";
import { parseDocuments, parseManifests } from "../../policypack/engine/parse";

const text = fc.stringMatching(/^[a-zA-Z0-9 .:#'"_-]{0,10}$/);
const scalar = fc.oneof(
  text,
  { arbitrary: fc.string(), weight: 1 },
  fc.constantFrom(
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0755",
    "0o65",
    "0O65",
    "09",
    "1:20",
    ".inf",
    "~",
    "null",
    "2001-12-14",
    "0x1F",
    "-0",
    "+12",
    "1e3",
    "1e400",
    "1_000",
    ".5_0",
    "18446744073709551615",
    "true",
    "",
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom("apiVersion", "kind", "metadata", "spec", "name", "image", "ports", "a b", "k-1"),
  },
  { weight: 1, arbitrary: fc.constantFrom("x:y", "#c", "- d", "1", "y", "<<") },
  { weight: 1, arbitrary: text },
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(key, tie("v"), { maxKeys: 4 }),
  ),
})).v;
/** Every field path of a value, written as findings write them (`spec.containers[0].image`). */
function paths(value: unknown, base = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i): [number, unknown] => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([k, v]) => {
    const p = join(base, k);
    return [p, ...paths(v, p)];
  });
}

const manifest = fc.record({
  apiVersion: fc.constant("v1"),
  kind: fc.constant("ConfigMap"),
  metadata: fc.record({ name: fc.string() }),
  data: fc.dictionary(key, value, { maxKeys: 5 }),
});

describe("fast-yaml", () => {
  it("agrees with the full reader on generated block manifests, and takes most of them", () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (objects) => {
        const texts = objects.map((o) => stringify(o, { version: "1.1" }));
        const text = texts.join("---\n");
        const fast = parseDocuments(text, "f.yaml");
        const slow = parseDocuments(text, "f.yaml", { fast: false });
        expect(fast.errors.map((e) => e.message)).toEqual(slow.errors.map((e) => e.message));
        expect(fast.documents.map((d) => [d.value, d.line])).toEqual(slow.documents.map((d) => [d.value, d.line]));
        // A finding's line: the fast path locates fields itself, and must point where the full reader does.
        fast.documents.forEach((d, i) => {
          const other = slow.documents[i];
          for (const p of paths(d.value)) expect([p, d.fieldLine(p)]).toEqual([p, other?.fieldLine(p)]);
        });
        for (const t of texts) {
          runs++;
          if (fastParse(t) !== undefined) taken++;
        }
      }),
      { numRuns: 500 },
    );
    // The block style `yaml` writes is the fast path's subset, bar exotic strings it declines.
    console.log(`fast path took ${taken} of ${runs} generated documents`);
    expect(taken / runs).toBeGreaterThan(0.2);
  });

  it("parseManifests gives the same objects and lines with and without the fast path", () => {
    const text =
      "# c\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {}\nspec:\n  hostNetwork: yes\n  containers:\n    - name: c\n      image: nginx\n      args:\n        - x\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: b\n";
    expect(fastParse(text)).toBeDefined(); // plain block YAML takes the fast path
    const plain = (r: ReturnType<typeof parseManifests>): unknown => ({
      errors: r.errors,
      objects: r.objects.map((o) => ({
        object: o.object,
        line: o.line,
        image: o.fieldLine?.("spec.containers[0].image"),
      })),
    });
    const fast = parseManifests(text, "f.yaml");
    const slow = parseManifests(text, "f.yaml", { fast: false });
    expect(plain(fast)).toEqual(plain(slow));
    expect(fast.objects[0]?.fieldLine?.("spec.containers[0].image")).toBe(11);
    expect(fast.objects.map((o) => o.line)).toEqual([2, 18]);
  });
});
