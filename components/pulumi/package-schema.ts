/**
 * The provider behind the Pulumi package `palisade` (started by ./provider.ts): @pulumi/pulumi's
 * Node.js component provider (ComponentProvider, the class behind componentProviderHost) over
 * ./package.ts's SecureNamespace and HardenedWorkload.
 *
 * The schema is inferred from the TypeScript source of ./package.ts and ./package-args.ts, which
 * ./package.yaml and ./tsconfig.json point the inference at. Because the inference reads source,
 * the npm package ships those four files beside the compiled ones, and a checkout runs once built
 * (docs/pulumi-package.md). To the inferred schema this adds what the inference
 * leaves out: each `@default` of package-args.ts, as the property's `default` when it is a literal
 * of the property's own type and as a "Default: …" sentence of its description otherwise.
 * docs/pulumi-package.md describes the package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import type * as TypeScript from "typescript";
import type { HardenedWorkloadArgs } from "../manifests/hardened-workload";
import type { SecureNamespaceArgs } from "../manifests/secure-namespace";
import { hardenedWorkloadChildren } from "./hardened-workload";
import { HardenedWorkload, SecureNamespace, useChildBuilders } from "./package";
import { secureNamespaceChildren } from "./secure-namespace";

/** The package name: its tokens are `palisade:index:<Component>`. */
export const PACKAGE_NAME = "palisade";

/** The folder with this file's TypeScript source (from dist/, the package's components/pulumi). */
export function sourceDir(from: string = __dirname): string {
  if (fs.existsSync(path.join(from, "package-args.ts"))) return from;
  const fromDist = path.resolve(from, "..", "..", "..", "components", "pulumi");
  if (fs.existsSync(path.join(fromDist, "package-args.ts"))) return fromDist;
  throw new Error(
    `palisade: the component sources (package-args.ts) are neither in ${from} nor in ${fromDist}: ` +
      "the Pulumi package needs them: use the npm package palisade-k8s or a built checkout (docs/pulumi-package.md)",
  );
}

interface PropertySpec {
  type?: string;
  description?: string;
  default?: unknown;
}
interface SchemaSpec {
  resources: Record<string, { inputProperties?: Record<string, PropertySpec> }>;
  types: Record<string, { properties?: Record<string, PropertySpec> }>;
}

/** `@default` texts of each interface's properties in package-args.ts. */
export function defaultTags(file: string): Map<string, Map<string, string>> {
  // The same TypeScript the schema inference uses (the project's, or @pulumi/pulumi's vendored one).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("@pulumi/pulumi/typescript-shim") as typeof TypeScript;
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Map<string, string>>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const props = new Map<string, string>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member)) continue;
      for (const tag of ts.getJSDocTags(member)) {
        if (tag.tagName.text !== "default") continue;
        const text = typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment);
        if (text !== undefined) props.set(member.name.getText(source), text.trim());
      }
    }
    out.set(statement.name.text, props);
  }
  return out;
}

/** A `@default` as a schema default: a JSON literal of the property's own primitive type. */
export function literalDefault(text: string, type: string | undefined): string | number | boolean | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (type === "string" && typeof value === "string") return value;
  if ((type === "number" || type === "integer") && typeof value === "number") return value;
  if (type === "boolean" && typeof value === "boolean") return value;
  return undefined;
}

/** Adds the `@default`s of package-args.ts to an inferred schema. */
export function withDefaults(schemaJson: string, argsFile: string): string {
  const schema = JSON.parse(schemaJson) as SchemaSpec;
  const tags = defaultTags(argsFile);
  const apply = (props: Record<string, PropertySpec> | undefined, defaults: Map<string, string> | undefined): void => {
    if (props === undefined || defaults === undefined) return;
    for (const [name, text] of defaults) {
      const prop = props[name];
      if (prop === undefined) continue;
      const literal = literalDefault(text, prop.type);
      if (literal !== undefined) prop.default = literal;
      else prop.description = `${prop.description ?? ""}\n\nDefault: ${text.replace(/^- /, "")}`.trim();
    }
  };
  for (const [token, resource] of Object.entries(schema.resources)) {
    apply(resource.inputProperties, tags.get(`${token.split(":")[2]}Args`));
  }
  for (const [token, type] of Object.entries(schema.types)) apply(type.properties, tags.get(token.split(":")[2] ?? ""));
  return JSON.stringify(schema);
}

/** The provider the package's plugin serves. */
export function palisadeProvider(dir: string = sourceDir()): ComponentProvider {
  const rootPackage = JSON.parse(fs.readFileSync(path.join(dir, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  // The package's arguments are the builders' (the builders validate every field).
  useChildBuilders({
    secureNamespace: (parent, name, args, opts) =>
      secureNamespaceChildren(parent, name, args as SecureNamespaceArgs, opts),
    hardenedWorkload: (parent, name, args, opts) =>
      hardenedWorkloadChildren(parent, name, args as HardenedWorkloadArgs, [], opts),
  });
  const provider = new ComponentProvider({
    name: PACKAGE_NAME,
    version: rootPackage.version,
    dirname: dir,
    components: [SecureNamespace, HardenedWorkload],
  });
  const inferred = provider.getSchema.bind(provider);
  let schema: string | undefined;
  provider.getSchema = async (): Promise<string> => {
    schema ??= withDefaults(await inferred(), path.join(dir, "package-args.ts"));
    return schema;
  };
  return provider;
}
