// Command pulumi-resource-kubernetes serves the Kubernetes provider to the Pulumi engine.
// The schema and mapping are embedded from the files the provider module ships; the
// toolchain script writes them here (minified, schema version set) before building.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
