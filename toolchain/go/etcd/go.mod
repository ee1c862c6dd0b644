// Wrapper module: builds etcd from go.etcd.io/etcd/server/v3. `go install` refuses that module
// because of its replace directives into the etcd repository; as a dependency they do not apply.
module platform.local/toolchain/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v3.6.16
