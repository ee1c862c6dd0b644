//go:build tools

// Keeps the kwok command's packages in this module's graph so `go mod tidy` keeps their dependencies.
package tools

import _ "sigs.k8s.io/kwok/pkg/kwok/cmd"
