//go:build tools

// Keeps actionlint's main package in this module's graph so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
