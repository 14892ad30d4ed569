/**
 * The props discipline of cdk8s-plus, checked on the source: every property of every public
 * interface (re-exported by the components' index files) is readonly and documented, and every
 * optional one says what happens when it is left out (`@default`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const DIRS = ["components/manifests", "components/pulumi", "components/cdk8s"].map((d) =>
  path.resolve(__dirname, "../..", d),
);

interface Problem {
  readonly where: string;
  readonly problem: string;
}

/** Names a public index re-exports: named exports, and every declaration of an `export *` module. */
function publicNames(dir: string): Set<string> {
  const index = path.join(dir, "index.ts");
  const source = ts.createSourceFile(index, fs.readFileSync(index, "utf8"), ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    if (statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) names.add(e.name.text);
    } else if (statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = ts.createSourceFile(
        "m.ts",
        fs.readFileSync(path.join(dir, `${statement.moduleSpecifier.text}.ts`), "utf8"),
        ts.ScriptTarget.ES2022,
        true,
      );
      for (const s of module.statements) if (ts.isInterfaceDeclaration(s)) names.add(s.name.text);
    }
  }
  return names;
}

function problemsOf(file: string, names: ReadonlySet<string>): Problem[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: Problem[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && names.has(node.name.text)) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member)) continue;
        const where = `${path.basename(file)} ${node.name.text}.${member.name.getText(source)}`;
        if (!member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword))
          out.push({ where, problem: "not readonly" });
        const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        const text = docs
          .map((d) => (typeof d.comment === "string" ? d.comment : ""))
          .join(" ")
          .trim();
        if (text === "") out.push({ where, problem: "no JSDoc sentence" });
        const hasDefault = docs.some((d) => d.tags?.some((t) => t.tagName.text === "default"));
        if (member.questionToken !== undefined && !hasDefault)
          out.push({ where, problem: "optional without @default" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("argument interfaces", () => {
  const files = DIRS.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(d, f)),
  );
  const names = new Set(DIRS.flatMap((d) => [...publicNames(d)]));

  it("cover the builders' and adapters' sources", () => {
    expect(files.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining([
        "secure-namespace.ts",
        "hardened-workload.ts",
        "types.ts",
        "rbac.ts",
        "network.ts",
        "validation-plugin.ts",
      ]),
    );
  });

  it("are readonly, documented, and state their defaults", () => {
    expect([...names]).toEqual(
      expect.arrayContaining(["SecureNamespaceArgs", "HardenedWorkloadArgs", "HardenedWorkloadProps", "NetworkPeer"]),
    );
    expect(files.flatMap((f) => problemsOf(f, names))).toEqual([]);
  });
});
