//go:build tools

// Keeps the CLI's main package in this module's graph so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
