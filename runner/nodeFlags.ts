// V8 flags for every process that runs the program: `npm start` and `npm run platform` (the
// runner runs it inline), the language host (Pulumi.yaml's `nodeargs`) and the bench, which gives
// them to the program and its floors alike. test/runner.test.ts checks the places agree.
//
// A larger young generation: at 1000 teams the default 16 MiB semi-space was scavenged ~1600
// times and the program promoted 1.56 GB of short-lived objects to the old generation (the floor
// 0.68 GB), where half of it died. With 64 MiB: ~430 scavenges; program / floor CPU at 1000 teams
// 1.02 (median of four pairs, was 1.19) and 1.28 in the full bench run (docs/PERFORMANCE.md).
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];
