// `npm run bench:engine [-- --quick] [-- --render --flip --live --floor --startup] [-- --rounds N]`: the real
// engine through the runner. Without part flags every part but the opt-in ones runs; each part rewrites its own
// section of docs/ENGINE-PERFORMANCE.md (a --quick run writes nothing unless --write). Parts:
//   --render   up (create all) and no-change preview per object, render mode, with and without
//              intermediate checkpoints; warm toolchain check and warm `npm start`
//   --flip     the blue-green flip in render mode (bench/engineFlip.ts)
//   --live     a loopback API server (npm run cluster): the flip deployed, and `up` per object
//              at 10 and 30 teams with and without intermediate checkpoints (bench/engineDeploy.ts)
//   --scale    render mode at 10, 100 and 1000 teams: cost per object as the platform grows (opt-in)
//   --split    deploy mode: one N-team stack against the same teams split into team-group stacks (bench/engineSplit.ts)
//   --floor    ours / floor through the engine, and an empty program's preview (bench/engineFloor.ts)
//   --startup  fresh start-up, precompiled against type-checking ts-node (bench/engineStartup.ts)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig, ROOT, StackConfig } from "../testing/harness";
import { newProject } from "../test/e2e/support/project";
import { generatedConfig } from "./cases";
import { deployCase, DeployRow, withCluster } from "./engineDeploy";
import { splitCase, SplitRow } from "./engineSplit";
import { describeFlip, flipBench } from "./engineFlip";
import { describeFloor, emptyPreview, floorCase, FloorRow } from "./engineFloor";
import { deploySection, flipSection, floorSection, OPT_IN_PARTS, Part, PARTS, splitSection, stamp, startupSection, writeSection } from "./engineReport";
import { compileDriver, runPlatform, writeStack } from "./engineRun";
import { startupBench } from "./engineStartup";

interface Case {
  name: string;
  config: () => StackConfig;
  checkpoints: "skip" | "all";
}
interface Row {
  name: string;
  checkpoints: string;
  objects: number;
  upMs: number;
  previewMs: number;
}

const QUICK = process.argv.includes("--quick");
const chosen = PARTS.filter((p) => process.argv.includes(`--${p}`));
const RUN: Part[] = chosen.length > 0 ? chosen : PARTS.filter((p) => !OPT_IN_PARTS.includes(p));
const roundsArg = process.argv.indexOf("--rounds");
/** Repeats of the flip and floor parts (`--rounds N`; default 3, 1 with --quick). */
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : QUICK ? 1 : 3;
const log = (line: string) => process.stdout.write(`engine bench: ${line}\n`);

const RENDER_CASES: Case[] = [
  { name: "dev", config: () => loadStackConfig("dev"), checkpoints: "skip" },
  { name: "prod", config: () => loadStackConfig("prod"), checkpoints: "skip" },
  { name: "10 teams", config: () => generatedConfig(10), checkpoints: "skip" },
  { name: "10 teams", config: () => generatedConfig(10), checkpoints: "all" },
  ...(QUICK
    ? []
    : [
        { name: "100 teams", config: () => generatedConfig(100), checkpoints: "skip" as const },
        { name: "30 teams", config: () => generatedConfig(30), checkpoints: "all" as const },
      ]),
];

function objectsIn(dir: string, stack: string): number {
  const walk = (d: string): number =>
    fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".yaml") ? 1 : 0), 0);
  return walk(path.join(dir, "rendered", stack));
}

function renderCase(c: Case, i: number): Row {
  const dir = newProject(`bench-${i}`);
  const stack = `bench${i}`;
  writeStack(dir, stack, c.config(), c.name === "prod" ? "prod" : "dev");
  const env = { PLATFORM_RENDER_CHECKPOINTS: c.checkpoints };
  const up = runPlatform(dir, ["up", "--stack", stack, "--yes", "--json"], env);
  const preview = runPlatform(dir, ["preview", "--stack", stack, "--json"], env);
  const row = { name: c.name, checkpoints: c.checkpoints, objects: objectsIn(dir, stack), upMs: up.wallMs, previewMs: preview.wallMs };
  log(
    `${c.name} (checkpoints: ${c.checkpoints}): ${row.objects} objects, up ${(row.upMs / 1000).toFixed(1)} s, preview ${(row.previewMs / 1000).toFixed(1)} s`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return row;
}

/** Warm toolchain check and warm `npm start` with nothing to change (on the repo's own dev stack). */
function warmStarts(): { what: string; ms: number }[] {
  const wall = (cmd: string, args: string[]) => {
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const out = [{ what: "toolchain check, warm (`node bin/toolchain/main.js`)", ms: wall(process.execPath, ["bin/toolchain/main.js"]) }];
  wall("npm", ["start", "--silent"]);
  out.push({ what: "`npm start`, warm, nothing to change", ms: wall("npm", ["start", "--silent"]) });
  for (const e of out) log(`${e.what}: ${(e.ms / 1000).toFixed(1)} s`);
  return out;
}

function renderSection(rows: Row[], more: { what: string; ms: number }[]): string {
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.checkpoints} | ${r.objects} | ${(r.upMs / 1000).toFixed(1)} s | ${(r.upMs / r.objects).toFixed(0)} ms | ${(r.previewMs / 1000).toFixed(1)} s | ${(r.upMs / r.previewMs).toFixed(2)} |`,
  );
  return [
    "## Render mode: `up` and no-change `preview` per object",
    "",
    stamp(),
    "",
    "| case | intermediate checkpoints | rendered objects | `up` (create all) | per object | no-change `preview` | up / preview |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...lines,
    "",
    "| flow | wall time |",
    "| --- | ---: |",
    ...more.map((e) => `| ${e.what} | ${(e.ms / 1000).toFixed(1)} s |`),
  ].join("\n");
}

/** Render mode as the platform grows: per-object `up` and preview at 10, 100 and 1000 teams, in one run. */
function scaleSection(rows: Row[]): string {
  const perObject = (r: Row) => r.upMs / r.objects;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return [
    "## Render mode as the platform grows",
    "",
    stamp(),
    "",
    "| case | rendered objects | `up` (create all) | per object | no-change `preview` | per object | up / preview |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.objects} | ${(r.upMs / 1000).toFixed(1)} s | ${perObject(r).toFixed(1)} ms | ${(r.previewMs / 1000).toFixed(1)} s | ` +
        `${(r.previewMs / r.objects).toFixed(1)} ms | ${(r.upMs / r.previewMs).toFixed(2)} |`,
    ),
    "",
    `\`up\` per object, ${last.name} / ${first.name}: ${(perObject(last) / perObject(first)).toFixed(2)} (target: flat within ±20%, or falling).`,
  ].join("\n");
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [path.join(ROOT, "scripts/build.js")], { cwd: ROOT, stdio: "inherit" });
  compileDriver();
  const write = (part: Part, text: string) => {
    if (QUICK && !process.argv.includes("--write")) process.stdout.write(`\n${text}\n`);
    else writeSection(part, text);
  };
  if (RUN.includes("startup")) write("startup", startupSection(startupBench(ROUNDS, log)));
  if (RUN.includes("render")) {
    const more = warmStarts();
    write("render", renderSection(RENDER_CASES.map(renderCase), more));
  }
  if (RUN.includes("scale")) {
    const sizes = QUICK ? [10, 30] : [10, 100, 1000];
    // Project folders numbered past the render part's, so both parts can run in one invocation.
    const rows = sizes.map((n, i) => renderCase({ name: `${n} teams`, config: () => generatedConfig(n), checkpoints: "skip" }, 100 + i));
    write("scale", scaleSection(rows));
  }
  if (RUN.includes("flip")) {
    const flip = flipBench("render", ROUNDS, undefined, log);
    describeFlip(flip).forEach(log);
    write("flip", flipSection([flip]));
  }
  if (RUN.includes("live")) {
    const flip = withCluster((kubeconfig) => flipBench("deploy", ROUNDS, kubeconfig, log));
    describeFlip(flip).forEach(log);
    const rows: DeployRow[] = [];
    // Written after each case: a long run that fails late keeps what it measured.
    for (const teams of QUICK ? [10] : [10, 30]) {
      for (const cp of ["all", "skip"] as const) {
        rows.push(deployCase(teams, cp, log));
        write("live", `${flipSection([flip])}\n\n${deploySection(rows)}`);
      }
    }
  }
  if (RUN.includes("split")) {
    // Quick: 10 teams as 2 stacks; full: 30 teams as 3 stacks, 2 at a time (2 cores here).
    const [teams, stacks] = QUICK ? [10, 2] : [30, 3];
    const single = [deployCase(teams, "all", log)];
    const split: SplitRow[] = [await splitCase(teams, stacks, 2, log)];
    write("split", splitSection(single, split));
  }
  if (RUN.includes("floor")) {
    const rows: FloorRow[] = [];
    const cases = [
      { name: "dev", base: "dev" as const, config: () => loadStackConfig("dev"), repeats: ROUNDS },
      { name: "prod", base: "prod" as const, config: () => loadStackConfig("prod"), repeats: ROUNDS },
      ...(QUICK ? [] : [{ name: "100 teams", base: "dev" as const, config: () => generatedConfig(100), repeats: 1 }]),
    ];
    for (const c of cases) rows.push(floorCase(c, log));
    rows.forEach((r) => log(describeFloor(r)));
    write("floor", floorSection(rows, emptyPreview(ROUNDS)));
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
