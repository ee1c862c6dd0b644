// V8 flags for every process that runs the program: `npm start` and `npm run platform` (the
// runner runs it inline), the language host (Pulumi.yaml's `nodeargs`) and the bench, which gives
// them to the program and its floors alike. test/runner.test.ts checks the places agree.
//
// A larger young generation: at 1000 teams the default 16 MiB semi-space was scavenged ~1600
// times, promoting each resource's still-pending registration state (debug stack traces of the
// SDK's promises) to the old generation, where it died later. With 64 MiB: ~430 scavenges, and
// program CPU at 1000 teams fell from a median of 1.19x the floor to about 1.0x (docs/PERFORMANCE.md).
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];
