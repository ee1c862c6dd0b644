// Ours against the floor through the real engine, render mode. The floor is the same runner (same
// start-up, toolchain check, stack selection, engine, provider plugins) running a program that
// registers the objects our program registers (recorded under mocks by bench/evaluate.ts) flat:
// the typed SDK classes of bench/floor.ts, no config reading, no components, parents or dependsOn.
// So ours / floor is what our config validation, components and resource graph cost on top of
// the engine's own work on the same objects. Each repeat runs ours and the floor back to back, in
// alternating order, on fresh stacks: `preview` (everything to create), then `up` (creates it).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig, StackConfig } from "../testing/harness";
import { newProject, ROOT } from "../test/e2e/support/project";
import { Measured, medianTiming, pairedRatios, runPlatform, seconds, writeStack } from "./engineRun";

export interface FloorCase {
  name: string;
  base: "dev" | "prod";
  config: () => StackConfig;
  repeats: number;
}

interface Pair {
  ours: number;
  floor: number;
  oursCpu: number;
  floorCpu: number;
  ratio: number;
  cpuRatio: number;
}

export interface FloorRow {
  name: string;
  /** Custom resources (objects, passwords, the guard, the provider) each side registered. */
  objects: { ours: number; floor: number };
  preview: Pair;
  up: Pair;
}

function pair(ours: Measured[], floor: Measured[]): Pair {
  const [o, f] = [medianTiming(ours), medianTiming(floor)];
  return { ours: o.ms, floor: f.ms, oursCpu: o.cpuMs, floorCpu: f.cpuMs, ...pairedRatios(ours, floor) };
}

/** Custom resources the engine stepped through (components and the stack left out). */
function customSteps(m: Measured): number {
  const urns = new Set(
    m.record.events.filter((e) => e.kind === "pre" && e.type && !e.type.startsWith("platform:") && e.type !== "pulumi:pulumi:Stack").map((e) => e.urn),
  );
  return urns.size;
}

/** Our program under mocks, recording what it registers (and in which event-loop turn) for the floor. */
function recordUnderMocks(dir: string, stack: string): string {
  const configFile = path.join(dir, `${stack}-config.json`);
  const recording = path.join(dir, `${stack}-recording.json`);
  fs.writeFileSync(configFile, JSON.stringify(loadStackConfig(stack, dir)));
  execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "bench/evaluate.ts"), "program", configFile, stack, recording], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    maxBuffer: 1 << 26,
  });
  return recording;
}

export function floorCase(c: FloorCase, log: (line: string) => void): FloorRow {
  const dir = newProject(`bench-floor-${c.name.replace(/\W+/g, "-")}`);
  const cfg = c.config();
  writeStack(dir, "recorded", cfg, c.base);
  const recording = recordUnderMocks(dir, "recorded");
  const sides = { ours: { preview: [] as Measured[], up: [] as Measured[] }, floor: { preview: [] as Measured[], up: [] as Measured[] } };
  for (let i = 0; i < c.repeats; i++) {
    const order: ("ours" | "floor")[] = i % 2 === 0 ? ["ours", "floor"] : ["floor", "ours"];
    for (const command of ["preview", "up"] as const) {
      for (const side of order) {
        const stack = `${side}${i}`;
        if (!fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) writeStack(dir, stack, cfg, c.base);
        const env = side === "floor" ? { BENCH_FLOOR_RECORDING: recording } : {};
        const args = command === "up" ? ["up", "--stack", stack, "--yes", "--json"] : ["preview", "--stack", stack, "--json"];
        sides[side][command].push(runPlatform(dir, args, env));
      }
    }
    const o = sides.ours;
    const f = sides.floor;
    log(
      `ours/floor ${c.name} ${i + 1}/${c.repeats}: preview ${seconds(o.preview[i].wallMs)} / ${seconds(f.preview[i].wallMs)}, ` +
        `up ${seconds(o.up[i].wallMs)} / ${seconds(f.up[i].wallMs)} (CPU ${seconds(o.up[i].cpuMs)} / ${seconds(f.up[i].cpuMs)})`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: c.name,
    objects: { ours: customSteps(sides.ours.up[0]), floor: customSteps(sides.floor.up[0]) },
    preview: pair(sides.ours.preview, sides.floor.preview),
    up: pair(sides.ours.up, sides.floor.up),
  };
}

/** The engine's fixed cost: `preview` of a fresh stack whose program registers nothing, through the same runner. */
export function emptyPreview(repeats: number): { ms: number; cpuMs: number } {
  const dir = newProject("bench-empty");
  const runs: Measured[] = [];
  for (let i = 0; i < repeats; i++) {
    writeStack(dir, `empty${i}`, loadStackConfig("dev"), "dev");
    runs.push(runPlatform(dir, ["preview", "--stack", `empty${i}`, "--json"], { BENCH_FLOOR_RECORDING: "empty" }));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return medianTiming(runs);
}

export function describeFloor(r: FloorRow): string {
  const p = (x: Pair) =>
    `${seconds(x.ours)} / ${seconds(x.floor)} = ${x.ratio.toFixed(2)} (CPU ${seconds(x.oursCpu)} / ${seconds(x.floorCpu)} = ${x.cpuRatio.toFixed(2)})`;
  return `ours/floor ${r.name}: ${r.objects.ours} objects (floor ${r.objects.floor}); preview ${p(r.preview)}; up ${p(r.up)}`;
}

if (require.main === module) {
  // Exploration: `node -r ts-node/register/transpile-only bench/engineFloor.ts [dev|prod] [REPEATS]`
  require("./engineRun").compileDriver();
  const [name = "dev", repeats = "1"] = process.argv.slice(2);
  const base = name === "prod" ? "prod" : "dev";
  const row = floorCase({ name, base, config: () => loadStackConfig(base), repeats: Number(repeats) }, (l) => process.stdout.write(`${l}\n`));
  process.stdout.write(`${describeFloor(row)}\n`);
}
