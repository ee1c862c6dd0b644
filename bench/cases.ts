// What `npm run bench` measures: a list of cases, each of a kind with its own runner. Today's
// kind evaluates the program under mocks beside its floors; engine cases (preview/up in render
// mode, the flip) become further kinds with their own runner and result type.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NODE_FLAGS } from "../runner/nodeFlags";
import { loadStackConfig, ROOT, StackConfig, withConfig } from "../testing/harness";
import type { EvaluationMode, Sample } from "./evaluate";

export type CaseKind = "mock-evaluation";

export interface BenchCase {
  name: string;
  kind: CaseKind;
  stack: string;
  config: StackConfig;
  /** Fresh processes per measured side; the figures are medians. */
  repeats: number;
  /** Also run the generic floor (the full run does; `--quick` leaves it out to stay under a minute). */
  genericFloor: boolean;
  /** Further program/floor pairs measured warm (after an in-process warm-up, bench/evaluate.ts); 0: none. */
  warmRepeats: number;
}

/** Medians of one side of a mock-evaluation case. */
export interface Side {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
}

export interface MockEvaluationResult {
  kind: "mock-evaluation";
  name: string;
  resources: number;
  program: Side;
  /** Same resources through the same SDK classes, flat (bench/floor.ts): the target's reference. */
  floor: Side;
  /** Same resources as plain CustomResources: the floor before issue 17. */
  genericFloor?: Side;
  /** Medians of the per-repeat ratios (program and floors run back to back in each repeat). */
  ratio: { cpu: number; wall: number };
  /** The lowest and highest per-repeat CPU ratio: how far one pair can be from the median. */
  ratioRange: { min: number; max: number };
  genericRatio?: { cpu: number; wall: number };
  /** The same pairs measured warm: each process first evaluates WARM_UP_TEAMS teams WARM_UP_TIMES times, untimed. */
  warm?: WarmResult;
}

export interface WarmResult {
  pairs: number;
  program: Side;
  floor: Side;
  ratio: { cpu: number; wall: number };
  ratioRange: { min: number; max: number };
}

/** The warm-up before a warm measurement: long enough for V8 to optimise the per-resource code paths (10 teams: the first pass ~1.5 s, the fourth ~0.8 s, later ones little less). */
export const WARM_UP_TEAMS = 10;
export const WARM_UP_TIMES = 4;

export type CaseResult = MockEvaluationResult;

export interface RunContext {
  /** Scratch folder for configs and recordings (outside the repository). */
  work: string;
  /** The compiled bench/evaluate.js. */
  evaluateJs: string;
}

/** A dev-shaped config with `n` generated teams, each running a copy of every dev app (blue-green, autoscaled, stateful). */
export function generatedConfig(n: number): StackConfig {
  return withConfig(loadStackConfig("dev"), (c) => {
    const template = c.teams[0];
    const apps = c.apps as Array<Record<string, unknown>>;
    c.teams = Array.from({ length: n }, (_, i) => ({ ...template, name: `team-${String(i).padStart(4, "0")}`, allowIngressFrom: ["ingress"] }));
    c.apps = c.teams.flatMap((t: { name: string }) => apps.map((a) => ({ ...a, team: t.name })));
    // Dev's admin processes run beside its apps: each team gets a copy, pointed at its own app.
    const jobs = (c.jobs ?? []) as Array<{ app: string }>;
    c.jobs = c.teams.flatMap((t: { name: string }) => jobs.map((j) => ({ ...j, app: `${t.name}/${j.app.split("/")[1]}` })));
  });
}

/** `--quick`: dev, prod and 10 teams, without the generic floor. The full run adds 100 and 1000 teams, 5 cold repeats each and 15 and 7 warm ones: a single pair's ratio swings by ±25% on this shared machine, and the flatness verdict divides one warm median by the other. */
export function benchCases(quick: boolean): BenchCase[] {
  const mock = (name: string, stack: string, config: StackConfig, repeats: number, warmRepeats = 0): BenchCase => ({
    name,
    kind: "mock-evaluation",
    stack,
    config,
    repeats,
    genericFloor: !quick,
    warmRepeats,
  });
  const cases = [
    mock("dev", "dev", loadStackConfig("dev"), quick ? 3 : 5),
    mock("prod", "prod", loadStackConfig("prod"), quick ? 3 : 5),
    mock("10 teams", "dev", generatedConfig(10), quick ? 3 : 5),
  ];
  // The flatness target compares 100 and 1000 teams warm; a 100-team pair is short, so it gets more of them.
  if (!quick) cases.push(mock("100 teams", "dev", generatedConfig(100), 5, 15), mock("1000 teams", "dev", generatedConfig(1000), 5, 7));
  return cases;
}

/** Writes the config to the scratch folder the first time it is asked for; returns its path. */
function configFile(ctx: RunContext, id: string, config: () => StackConfig): string {
  const file = path.join(ctx.work, `${id}.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(config()));
  return file;
}

/** The arguments that make bench/evaluate.ts warm up first (the program side writes the warm-up recording its floors read). */
function warmUpArgs(ctx: RunContext, c: BenchCase): string[] {
  const id = `warm-up-${c.stack}`;
  const file = configFile(ctx, id, () => generatedConfig(WARM_UP_TEAMS));
  return ["--warm-up", file, path.join(ctx.work, `${id}-recording.json`), String(WARM_UP_TIMES)];
}

function measure(ctx: RunContext, mode: EvaluationMode, id: string, c: BenchCase, warm = false): Sample {
  const args = [mode, configFile(ctx, id, () => c.config), c.stack, path.join(ctx.work, `${id}-recording.json`), ...(warm ? warmUpArgs(ctx, c) : [])];
  // Program and floors run with the product's V8 flags: the same GC settings on both sides.
  const out = execFileSync(process.execPath, [...NODE_FLAGS, ctx.evaluateJs, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const side = (s: Sample[]): Side => ({ ms: median(s.map((x) => x.ms)), cpuMs: median(s.map((x) => x.cpuMs)), maxRssMb: Math.max(...s.map((x) => x.maxRssMb)) });
const cpuRatios = (a: Sample[], b: Sample[]) => a.map((x, i) => x.cpuMs / b[i].cpuMs);
const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });
const pairedRatio = (a: Sample[], b: Sample[]) => ({
  cpu: median(cpuRatios(a, b)),
  wall: median(a.map((x, i) => x.ms / b[i].ms)),
});

/**
 * Runs `repeats` pairs, each side in fresh processes back to back, so load from other jobs hits both
 * alike. The program goes first in the first pair (it records what the floors register, its warm-up
 * what their warm-ups replay); after it the order alternates, so a drift in load favours neither side.
 */
function alternatingPairs(repeats: number, program: () => void, floors: () => void): void {
  for (let i = 0; i < repeats; i++) {
    if (i % 2 === 1) floors();
    program();
    if (i % 2 === 0) floors();
  }
}

function runMockEvaluation(c: BenchCase, ctx: RunContext): MockEvaluationResult {
  const id = c.name.replace(/\W+/g, "-");
  const program: Sample[] = [];
  const floor: Sample[] = [];
  const genericFloor: Sample[] = [];
  alternatingPairs(
    c.repeats,
    () => program.push(measure(ctx, "program", id, c)),
    () => {
      floor.push(measure(ctx, "floor", id, c));
      if (c.genericFloor) genericFloor.push(measure(ctx, "generic-floor", id, c));
    },
  );
  const warmProgram: Sample[] = [];
  const warmFloor: Sample[] = [];
  alternatingPairs(
    c.warmRepeats,
    () => warmProgram.push(measure(ctx, "program", id, c, true)),
    () => warmFloor.push(measure(ctx, "floor", id, c, true)),
  );
  for (const s of [...floor, ...genericFloor, ...warmProgram, ...warmFloor]) {
    if (s.resources !== program[0].resources)
      throw new Error(`${c.name}: a run registered ${s.resources} resources, the program's first ${program[0].resources}`);
  }
  return {
    kind: "mock-evaluation",
    name: c.name,
    resources: program[0].resources,
    program: side(program),
    floor: side(floor),
    genericFloor: c.genericFloor ? side(genericFloor) : undefined,
    ratio: pairedRatio(program, floor),
    ratioRange: range(cpuRatios(program, floor)),
    genericRatio: c.genericFloor ? pairedRatio(program, genericFloor) : undefined,
    warm:
      c.warmRepeats > 0
        ? {
            pairs: c.warmRepeats,
            program: side(warmProgram),
            floor: side(warmFloor),
            ratio: pairedRatio(warmProgram, warmFloor),
            ratioRange: range(cpuRatios(warmProgram, warmFloor)),
          }
        : undefined,
  };
}

export const RUNNERS: { [K in CaseKind]: (c: BenchCase, ctx: RunContext) => Extract<CaseResult, { kind: K }> } = {
  "mock-evaluation": runMockEvaluation,
};

/** The progress line printed when a case is done. */
export function describeResult(r: CaseResult): string {
  const perResource = (r.program.cpuMs / r.resources).toFixed(2);
  return (
    `${r.name}: ${r.resources} resources; program ${r.program.ms.toFixed(0)} ms (CPU ${r.program.cpuMs.toFixed(0)} ms, ${perResource} ms/resource); ` +
    `floor CPU ${r.floor.cpuMs.toFixed(0)} ms, ratio ${r.ratio.cpu.toFixed(2)} (wall ${r.ratio.wall.toFixed(2)}); ` +
    (r.warm ? `warm: program CPU ${r.warm.program.cpuMs.toFixed(0)} ms, ratio ${r.warm.ratio.cpu.toFixed(2)}; ` : "") +
    (r.genericFloor && r.genericRatio ? `generic floor CPU ${r.genericFloor.cpuMs.toFixed(0)} ms, ratio ${r.genericRatio.cpu.toFixed(2)}; ` : "") +
    `peak ${r.program.maxRssMb.toFixed(0)} MiB`
  );
}
