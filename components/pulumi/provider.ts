/**
 * The plugin of the Pulumi package `palisade`: SecureNamespace and HardenedWorkload for programs
 * in any Pulumi language. PulumiPlugin.yaml at the package root has the Node.js language host run
 * this module, compiled (dist/components/pulumi/provider.js), as
 * `@pulumi/pulumi/cmd/run-plugin <this file> <engine address>`; it serves the provider of
 * ./package-schema.ts until the engine stops it. See docs/pulumi-package.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { palisadeProvider } from "./package-schema";

void pulumi.provider.main(palisadeProvider(), process.argv.slice(2));
