//go:build tools

// Keeps the commands' packages in this module's graph so `go mod tidy` keeps their dependencies
// (main packages cannot be imported, their app packages can).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
	_ "k8s.io/kubectl/pkg/cmd"
)
