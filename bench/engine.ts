// `npm run bench:engine`: the real engine, render mode, file backend. For each case: `up` that
// creates everything, a no-change `preview`, and the cost per object; render mode with and
// without intermediate checkpoints. Prints a table and writes docs/ENGINE-PERFORMANCE.md.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { loadStackConfig, ROOT, StackConfig } from "../testing/harness";
import { newProject, useFixtureCharts } from "../test/e2e/support/project";
import { generatedConfig } from "./cases";

interface Case { name: string; config: () => StackConfig; checkpoints: "skip" | "all" }
interface Row { name: string; checkpoints: string; objects: number; upMs: number; previewMs: number }

const QUICK = process.argv.includes("--quick");
const CASES: Case[] = [
  { name: "dev", config: () => loadStackConfig("dev"), checkpoints: "skip" },
  { name: "prod", config: () => loadStackConfig("prod"), checkpoints: "skip" },
  { name: "10 teams", config: () => generatedConfig(10), checkpoints: "skip" },
  { name: "10 teams", config: () => generatedConfig(10), checkpoints: "all" },
  ...(QUICK ? [] : [
    { name: "100 teams", config: () => generatedConfig(100), checkpoints: "skip" as const },
    { name: "30 teams", config: () => generatedConfig(30), checkpoints: "all" as const },
  ]),
];

/** Writes a generated config as a stack file of the project copy, in the form `pulumi config` keeps. */
function writeStack(dir: string, stack: string, cfg: StackConfig, base: string): void {
  const config: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(cfg.config)) {
    try {
      config[key] = JSON.parse(text);
    } catch {
      config[key] = text;
    }
  }
  useFixtureCharts(config); // no chart repository is reachable here
  const baseDoc = YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${base}.yaml`), "utf8"));
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify({ ...baseDoc, config }));
}

function timed(dir: string, env: NodeJS.ProcessEnv, ...args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/runner/main.js"), ...args], {
    cwd: ROOT, env: { ...process.env, PLATFORM_WORK_DIR: dir, PLATFORM_TOOLCHAIN_NO_BUILD: "1", ...env }, encoding: "utf8", maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function objectsIn(dir: string, stack: string): number {
  const walk = (d: string): number => fs.readdirSync(d, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".yaml") ? 1 : 0), 0);
  return walk(path.join(dir, "rendered", stack));
}

function run(c: Case, i: number): Row {
  const dir = newProject(`bench-${i}`);
  const stack = `bench${i}`;
  writeStack(dir, stack, c.config(), c.name === "prod" ? "prod" : "dev");
  const env = { PLATFORM_RENDER_CHECKPOINTS: c.checkpoints };
  process.stdout.write(`engine bench: ${c.name} (checkpoints: ${c.checkpoints}) ...`);
  const upMs = timed(dir, env, "up", "--stack", stack, "--yes", "--json");
  const previewMs = timed(dir, env, "preview", "--stack", stack, "--json");
  const row = { name: c.name, checkpoints: c.checkpoints, objects: objectsIn(dir, stack), upMs, previewMs };
  process.stdout.write(` ${row.objects} objects, up ${(upMs / 1000).toFixed(1)} s, preview ${(previewMs / 1000).toFixed(1)} s\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  return row;
}

interface Extra { what: string; ms: number }

/** Warm toolchain check, warm `npm start` with nothing to change, and a blue-green flip (preview, then up). */
function extras(): Extra[] {
  const wall = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const out: Extra[] = [];
  out.push({ what: "toolchain check, warm (`node bin/toolchain/main.js`)", ms: wall(process.execPath, ["bin/toolchain/main.js"]) });
  const dir = newProject("bench-flip");
  const env = { PLATFORM_WORK_DIR: dir };
  wall(process.execPath, ["bin/runner/main.js", "up", "--stack", "dev", "--yes", "--json"], env);
  out.push({ what: "no-change `up` of dev", ms: wall(process.execPath, ["bin/runner/main.js", "up", "--stack", "dev", "--yes", "--json"], env) });
  wall(process.execPath, ["bin/runner/pulumi.js", "config", "set", "--path", "platform:apps[0].activeColor", "green", "--stack", "dev"], env);
  out.push({ what: "flip `preview` of dev (blue to green)", ms: wall(process.execPath, ["bin/runner/main.js", "preview", "--stack", "dev", "--json"], env) });
  out.push({ what: "flip `up` of dev (blue to green)", ms: wall(process.execPath, ["bin/runner/main.js", "up", "--stack", "dev", "--yes", "--json"], env) });
  fs.rmSync(dir, { recursive: true, force: true });
  // npm start on the repo's own dev stack: a second run has nothing to change.
  wall("npm", ["start", "--silent"]);
  out.push({ what: "`npm start`, warm, nothing to change", ms: wall("npm", ["start", "--silent"]) });
  for (const e of out) process.stdout.write(`engine bench: ${e.what}: ${(e.ms / 1000).toFixed(1)} s\n`);
  return out;
}

function report(rows: Row[], more: Extra[]): string {
  const lines = rows.map((r) => `| ${r.name} | ${r.checkpoints} | ${r.objects} | ${(r.upMs / 1000).toFixed(1)} s | ${(r.upMs / r.objects).toFixed(0)} ms | ${(r.previewMs / 1000).toFixed(1)} s | ${(r.upMs / r.previewMs).toFixed(2)} |`);
  return [
    "# Engine performance (render mode, file backend)",
    "",
    `Measured by \`npm run bench:engine\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, through \`npm run platform\`.`,
    "Each time includes the runner's start-up (toolchain check, stack selection).",
    "",
    "| case | intermediate checkpoints | rendered objects | `up` (create all) | per object | no-change `preview` | up / preview |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...lines,
    "",
    "| flow | wall time |",
    "| --- | ---: |",
    ...more.map((e) => `| ${e.what} | ${(e.ms / 1000).toFixed(1)} s |`),
    "",
  ].join("\n");
}

function main(): void {
  const more = extras();
  const rows = CASES.map(run);
  const text = report(rows, more);
  process.stdout.write(`\n${text}`);
  if (!QUICK) fs.writeFileSync(path.join(ROOT, "docs", "ENGINE-PERFORMANCE.md"), text);
}

main();
