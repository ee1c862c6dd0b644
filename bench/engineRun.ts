// Runs runner commands through bench/engineDriver.ts and measures them: wall time, CPU time of the
// whole process tree (the runner, the Pulumi CLI, the provider plugins), and the engine's events
// with their arrival times.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import YAML from "yaml";
import { ROOT, useFixtureCharts } from "../test/e2e/support/project";
import type { StackConfig } from "../testing/harness";
import type { DriverRecord, TimedEvent } from "./engineDriver";

export const DRIVER_JS = path.join(ROOT, "bin", "bench", "engineDriver.js");

/** What the driver and the start-up part load from bin/ beyond what scripts/build.js compiles there. */
const DRIVER_SOURCES = ["bench/engineDriver.ts", "bench/evaluate.ts", "bench/floor.ts", "testing/harness.ts", "testing/query.ts"];

const outputOf = (file: string) => path.join(ROOT, "bin", file.replace(/\.ts$/, ".js"));

/**
 * Compiles the driver and the floor next to the runner they load (bin/), so measured runs load no
 * TypeScript. scripts/build.js removes them as orphans (any `npm run cluster`, `npm run platform`
 * does), so each run checks they are still there.
 */
export function compileDriver(onlyIfMissing = false): void {
  if (onlyIfMissing && DRIVER_SOURCES.every((f) => fs.existsSync(outputOf(f)))) return;
  for (const file of DRIVER_SOURCES) {
    const out = ts.transpileModule(fs.readFileSync(path.join(ROOT, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = outputOf(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
}

/** Writes a generated config as a stack file of the project copy, in the form `pulumi config` keeps. */
export function writeStack(dir: string, stack: string, cfg: StackConfig, base: string, edit?: (config: Record<string, unknown>) => void): void {
  const config: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(cfg.config)) {
    try {
      config[key] = JSON.parse(text);
    } catch {
      config[key] = text;
    }
  }
  useFixtureCharts(config); // no chart repository is reachable here
  edit?.(config);
  const baseDoc = YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${base}.yaml`), "utf8"));
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify({ ...baseDoc, config }));
}

/** CPU time of this process's waited-for descendants, in ms (/proc: cutime + cstime, in clock ticks). */
export function childrenCpuMs(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  // Fields after the command: state is index 0, so cutime (field 16) is index 13, cstime index 14.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export interface Measured {
  wallMs: number;
  /** CPU of the whole process tree (runner, CLI, plugins). */
  cpuMs: number;
  record: DriverRecord;
  stdout: string;
}

/** `npm run platform -- <args>` on the project copy in `dir`, through the timing driver. */
export function runPlatform(dir: string, args: string[], env: NodeJS.ProcessEnv = {}, allowFailure = false): Measured {
  const eventsFile = path.join(os.tmpdir(), `engine-events-${process.pid}.json`);
  compileDriver(true);
  const cpu0 = childrenCpuMs();
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [DRIVER_JS, eventsFile, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    timeout: 60 * 60 * 1000,
    env: { ...process.env, PLATFORM_WORK_DIR: dir, PLATFORM_TOOLCHAIN_NO_BUILD: "1", ...env },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuMs = childrenCpuMs() - cpu0;
  if (r.status !== 0 && !allowFailure) throw new Error(`platform ${args.join(" ")} failed (${r.status}):\n${r.stderr}\n${(r.stdout ?? "").slice(-2000)}`);
  const record: DriverRecord = fs.existsSync(eventsFile)
    ? JSON.parse(fs.readFileSync(eventsFile, "utf8"))
    : { mainStart: 0, mainEnd: 0, exitCode: r.status ?? -1, events: [] };
  fs.rmSync(eventsFile, { force: true });
  return { wallMs, cpuMs, record, stdout: r.stdout };
}

/** A `pulumi` CLI command (config set, stack export) on the project copy; not measured. */
export function pulumiCli(dir: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/runner/pulumi.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, PLATFORM_WORK_DIR: dir, PLATFORM_TOOLCHAIN_NO_BUILD: "1" },
  });
  if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

/** One resource's step in an update: its operation and how long the engine spent on it. */
export interface StepTiming {
  urn: string;
  name: string;
  type: string;
  op: string;
  paths: string[];
  /** From the step's start event to its outputs event, ms. */
  ms: number;
  /** Start and end, ms since the engine's prelude. */
  start: number;
  end: number;
}

export function stepTimings(record: DriverRecord): StepTiming[] {
  const prelude = record.events.find((e) => e.kind === "prelude")?.t ?? record.mainStart;
  const pre = new Map<string, TimedEvent>();
  const steps: StepTiming[] = [];
  for (const e of record.events) {
    if (!e.urn) continue;
    if (e.kind === "pre") pre.set(`${e.urn} ${e.op}`, e);
    if (e.kind === "outputs" || e.kind === "failed") {
      const p = pre.get(`${e.urn} ${e.op}`);
      if (!p) continue;
      steps.push({
        urn: e.urn,
        name: e.urn.split("::").pop()!,
        type: e.type ?? "",
        op: e.op ?? "",
        paths: p.paths ?? [],
        ms: e.t - p.t,
        start: p.t - prelude,
        end: e.t - prelude,
      });
    }
  }
  return steps;
}

/** Where the wall time of one command went: before the engine's prelude, the engine, after its summary. */
export function phases(m: Measured): { startMs: number; engineMs: number; endMs: number } {
  const ev = m.record.events;
  const prelude = ev.find((e) => e.kind === "prelude")?.t ?? m.record.mainStart;
  const summary = [...ev].reverse().find((e) => e.kind === "summary")?.t ?? m.record.mainEnd;
  return { startMs: prelude, engineMs: summary - prelude, endMs: m.wallMs - summary };
}

/** A step that created a Kubernetes object (a chart's own resource is not one: its objects are counted apart). */
export function createsKubernetesObject(s: { op?: string; type?: string }): boolean {
  return s.op === "create" && !!s.type?.startsWith("kubernetes:") && !s.type.includes("helm.sh");
}

/** The steps that wrote something (operations other than same/read), by kind of object. */
export function writtenSteps(steps: StepTiming[]): StepTiming[] {
  return steps.filter((s) => !["same", "read", "refresh"].includes(s.op));
}

/** The median; with an even count, the mean of the middle two. */
export function medianOf(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall and CPU time of one run. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** The median wall and CPU time of repeated runs. */
export function medianTiming(runs: Timing[]): { ms: number; cpuMs: number } {
  return { ms: medianOf(runs.map((r) => r.wallMs)), cpuMs: medianOf(runs.map((r) => r.cpuMs)) };
}

/** Runs made in pairs (`a[i]` beside `b[i]`, so both saw the same machine load): the median of the ratios a/b. */
export function pairedRatios(a: Timing[], b: Timing[]): { ratio: number; cpuRatio: number } {
  return { ratio: medianOf(a.map((r, i) => r.wallMs / b[i].wallMs)), cpuRatio: medianOf(a.map((r, i) => r.cpuMs / b[i].cpuMs)) };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
