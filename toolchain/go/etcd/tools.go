//go:build tools

// Keeps etcd's entry package in this module's graph so `go mod tidy` keeps its dependencies.
package tools

import _ "go.etcd.io/etcd/server/v3/etcdmain"
