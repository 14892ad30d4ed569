/**
 * `pulumi package get-schema <repository>`: the real CLI runs the package's plugin (the Node.js
 * component provider of components/pulumi/provider.ts) and prints the inferred schema. Its
 * argument names, required-ness, types, descriptions and defaults are checked here against the
 * TypeScript API, read from components/manifests with the TypeScript compiler, by these rules:
 *
 * - string, number, boolean → the same type; `true`/`false` and unions of string literals → string
 *   or boolean (the schema has no literal types);
 * - arrays (readonly or not) → array; `Readonly<Record<string, X>>` → object of X;
 * - a named interface → `#/types/palisade:index:<its name>`, checked the same way; an inline object
 *   type → a named type with the same properties;
 * - any other union (Quantity, X | Disabled, boolean | DnsTarget, …) → pulumi.json#/Any;
 * - description = the JSDoc text; `@default` → `default` when it is a literal of the property's
 *   type, else a last paragraph "Default: …" of the description.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { timed } from "./pulumi-package";
import { PulumiWorkspace, ROOT, SETUP_TIMEOUT, toolchainEnv } from "./pulumi";

interface Prop {
  type?: string;
  $ref?: string;
  items?: Prop;
  additionalProperties?: Prop;
  description?: string;
  default?: unknown;
}
interface Schema {
  name: string;
  version: string;
  resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, Prop>;
      requiredInputs: string[];
      properties: Record<string, Prop>;
      required: string[];
    }
  >;
  types: Record<string, { properties: Record<string, Prop>; required?: string[] }>;
}

let schema: Schema;
let seconds = 0;

const MANIFESTS = path.join(ROOT, "components", "manifests");
const program = ts.createProgram(
  ["secure-namespace.ts", "hardened-workload.ts"].map((f) => path.join(MANIFESTS, f)),
  { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true },
);
// Binds every file (which also gives each node its parent, which getText needs).
const checker = program.getTypeChecker();

function findInterface(name: string): ts.InterfaceDeclaration {
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(MANIFESTS)) continue;
    for (const s of file.statements) if (ts.isInterfaceDeclaration(s) && s.name.text === name) return s;
  }
  throw new Error(`interface ${name} not found in components/manifests`);
}

/** An interface's own and inherited property signatures. */
function members(decl: ts.InterfaceDeclaration): ts.PropertySignature[] {
  const inherited = (decl.heritageClauses ?? []).flatMap((h) =>
    h.types.map((t) => members(findInterface(t.expression.getText()))).flat(),
  );
  return [...inherited, ...decl.members.filter(ts.isPropertySignature)];
}

function doc(member: ts.PropertySignature): { text: string; defaultText?: string } {
  const jsDoc = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
  const text = jsDoc.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n");
  const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === "default");
  const defaultText = tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim();
  return defaultText === undefined ? { text } : { text, defaultText };
}

const checked = new Set<string>();

/** Checks one schema property against a TypeScript type node; `where` names it in failures. */
function checkType(where: string, node: ts.TypeNode, prop: Prop): void {
  const fail = (): never => {
    throw new Error(`${where}: TypeScript ${node.getText()} vs schema ${JSON.stringify(prop)}`);
  };
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword)
    return checkType(where, node.type, prop);
  if (ts.isParenthesizedTypeNode(node)) return checkType(where, node.type, prop);
  if (node.kind === ts.SyntaxKind.StringKeyword) return void (prop.type === "string" || fail());
  if (node.kind === ts.SyntaxKind.NumberKeyword) return void (prop.type === "number" || fail());
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return void (prop.type === "boolean" || fail());
  if (ts.isLiteralTypeNode(node)) {
    const boolean = node.literal.kind === ts.SyntaxKind.TrueKeyword || node.literal.kind === ts.SyntaxKind.FalseKeyword;
    return void (prop.type === (boolean ? "boolean" : "string") || fail());
  }
  if (ts.isArrayTypeNode(node)) {
    if (prop.type !== "array" || prop.items === undefined) fail();
    return checkType(`${where}[]`, node.elementType, prop.items!);
  }
  if (ts.isUnionTypeNode(node)) {
    if (node.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)))
      return void (prop.type === "string" || fail());
    return void (prop.$ref === "pulumi.json#/Any" || fail());
  }
  if (ts.isTypeLiteralNode(node)) {
    const ref = prop.$ref ?? fail();
    return checkProperties(where, node.members.filter(ts.isPropertySignature), ref.replace("#/types/", ""));
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === "Readonly") return checkType(where, node.typeArguments![0]!, prop);
    if (name === "Record") {
      if (prop.type !== "object" || prop.additionalProperties === undefined) fail();
      return checkType(`${where}{}`, node.typeArguments![1]!, prop.additionalProperties!);
    }
    const alias = checker.getSymbolAtLocation(node.typeName);
    const target = alias && alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
    const declaration = target?.declarations?.[0];
    if (declaration !== undefined && ts.isTypeAliasDeclaration(declaration))
      return checkType(where, declaration.type, prop);
    if (prop.$ref !== `#/types/palisade:index:${name}`) fail();
    return checkProperties(where, members(findInterface(name)), `palisade:index:${name}`);
  }
  fail();
}

/** Checks a schema type's (or a resource's inputs') properties against TypeScript's. */
function checkProperties(
  where: string,
  tsMembers: readonly ts.PropertySignature[],
  token: string,
  given?: { properties: Record<string, Prop>; required?: string[] },
): void {
  if (given === undefined && checked.has(token)) return;
  checked.add(token);
  const spec = given ?? schema.types[token];
  if (spec === undefined) throw new Error(`${where}: no schema type ${token}`);
  const names = tsMembers.map((m) => m.name.getText()).sort();
  expect([where, Object.keys(spec.properties).sort()]).toEqual([where, names]);
  expect([where, [...(spec.required ?? [])].sort()]).toEqual([
    where,
    tsMembers
      .filter((m) => m.questionToken === undefined)
      .map((m) => m.name.getText())
      .sort(),
  ]);
  for (const member of tsMembers) {
    const name = member.name.getText();
    const prop = spec.properties[name]!;
    checkType(`${where}.${name}`, member.type!, prop);
    const { text, defaultText } = doc(member);
    let literal: unknown;
    try {
      literal = defaultText === undefined ? undefined : JSON.parse(defaultText);
    } catch {
      literal = undefined;
    }
    const isLiteral =
      literal !== undefined && ["string", "number", "boolean"].includes(typeof literal) && typeof literal === prop.type;
    const description =
      defaultText === undefined || isLiteral ? text : `${text}\n\nDefault: ${defaultText.replace(/^- /, "")}`.trim();
    expect([`${where}.${name}`, prop.description ?? ""]).toEqual([`${where}.${name}`, description]);
    expect([`${where}.${name}`, prop.default]).toEqual([`${where}.${name}`, isLiteral ? literal : undefined]);
  }
}

beforeAll(() => {
  toolchainEnv();
  const ws = new PulumiWorkspace("yaml-schema");
  // From a folder outside the repository: inside it (below its root, with no project of its own) the
  // CLI finds both the root's Pulumi.yaml and PulumiPlugin.yaml, and refuses to choose.
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-get-schema-"));
  const r = timed(() => ws.pulumi(["package", "get-schema", ROOT], {}, outside));
  fs.rmSync(outside, { recursive: true, force: true });
  seconds = r.seconds;
  if (r.result.code !== 0) throw new Error(`pulumi package get-schema failed:\n${r.result.output}`);
  schema = JSON.parse(r.result.stdout) as Schema;
}, SETUP_TIMEOUT);

afterAll(() => process.stdout.write(`yaml-schema: pulumi package get-schema: ${seconds.toFixed(1)} s\n`));

it("is the package palisade, at the npm package's version, with the two components", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  expect(schema.name).toBe("palisade");
  expect(schema.version).toBe(pkg.version);
  expect(Object.keys(schema.resources).sort()).toEqual([
    "palisade:index:HardenedWorkload",
    "palisade:index:SecureNamespace",
  ]);
  for (const r of Object.values(schema.resources)) expect(r.isComponent).toBe(true);
});

it.each(["SecureNamespace", "HardenedWorkload"])(
  "%s: inputs match the TypeScript arguments (names, required, types, descriptions, defaults)",
  (component) => {
    const resource = schema.resources[`palisade:index:${component}`]!;
    checkProperties(`${component}Args`, members(findInterface(`${component}Args`)), `palisade:index:${component}`, {
      properties: resource.inputProperties,
      required: resource.requiredInputs,
    });
  },
);

it("every schema type was reached from the arguments (no stale type)", () => {
  expect(Object.keys(schema.types).filter((t) => !checked.has(t))).toEqual([]);
});

it("outputs are the components' names, as in TypeScript", () => {
  const outputs = (c: string): Record<string, string | undefined> =>
    Object.fromEntries(
      Object.entries(schema.resources[`palisade:index:${c}`]!.properties).map(([k, v]) => [
        k,
        v.type === "array" ? `${v.items?.type}[]` : v.type,
      ]),
    );
  expect(outputs("SecureNamespace")).toEqual({
    namespaceName: "string",
    serviceAccountNames: "string[]",
    tenant: "string",
  });
  expect(outputs("HardenedWorkload")).toEqual({
    serviceAccountName: "string",
    serviceName: "string",
    namespace: "string",
  });
  expect(schema.resources["palisade:index:HardenedWorkload"]!.required.sort()).toEqual([
    "namespace",
    "serviceAccountName",
  ]);
});
