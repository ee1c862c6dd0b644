// Wrapper module: builds the kwok controller (fake nodes and pod lifecycles), not kwokctl,
// which downloads prebuilt binaries at run time.
module platform.local/toolchain/kwok

go 1.26.0

require sigs.k8s.io/kwok v0.8.0
