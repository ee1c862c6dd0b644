// Command pulumi-tfgen-random writes the random provider's Pulumi schema
// (`pulumi-tfgen-random schema --out DIR`); the provider binary embeds it.
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"platform.local/toolchain/random/info"
)

func main() { pftfgen.Main("random", info.Provider()) }
