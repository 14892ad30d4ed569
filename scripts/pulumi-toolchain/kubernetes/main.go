// Command pulumi-resource-kubernetes serves the Pulumi Kubernetes provider.
//
// Upstream's cmd/pulumi-resource-kubernetes embeds schema-embed.json and
// terraform-mapping-embed.json, which are generated and not in the module zip,
// so that package does not build from the module proxy. This wrapper embeds the
// schema.json and terraform-mapping.json files that the module does ship; they
// are copied next to this file at build time by scripts/setup-pulumi and are
// never committed.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var pulumiSchema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
