// One measurement in a fresh process, printed as one JSON line (a Sample):
//   program       <config.json> <stack> <recording-out.json>  evaluate the real program under mocks
//   floor         <config.json> <stack> <recording-in.json>   register the very same resources flat (bench/floor.ts)
//   generic-floor <config.json> <stack> <recording-in.json>   the same, as plain CustomResources
// All three go through the test harness's recording mocks, timed from mock setup to the last answer.
//
// With `--warm-up <config.json> <recording.json> <times>` the process first evaluates that smaller
// config `times` times the same way (untimed), so the measured run starts with its code compiled
// and the SDK's modules loaded: the steady per-resource cost, without the fixed warm-up that a
// cold run spreads over its resources (see issue 17's flatness target in bench/report.ts).
import * as fs from "fs";
import "../stacks"; // loaded before timing, like the floors' imports
import { installRecordingMocks, Registered, runStack, StackConfig, underRootStack } from "../testing/harness";
import { dropSdkPromiseStacks } from "../stacks/sdkPromiseStacks";
import { FloorKind, registerFloor } from "./floor";

export type EvaluationMode = "program" | "floor" | "generic-floor";

export interface Sample {
  /** Wall time and CPU time (user + system, all threads) of the evaluation. */
  ms: number;
  cpuMs: number;
  resources: number;
  /** Peak resident set size of the whole process. */
  maxRssMb: number;
}

/** What a program run leaves for its floors: the resources, and the event-loop turn each registered in. */
interface Recording {
  resources: Registered[];
  turns: number[];
}

/** Where one evaluation reads its config from and reads (floors) or writes (program) its recording. */
interface Input {
  configFile: string;
  recordingFile: string;
}

/** Counts event-loop turns while `work` runs; `now()` is the current one. */
async function countingTurns<T>(work: (now: () => number) => Promise<T>): Promise<T> {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await work(() => turn);
  } finally {
    running = false;
  }
}

async function evaluateProgram(cfg: StackConfig, stack: string): Promise<Recording> {
  const turns: number[] = [];
  const resources = await countingTurns((now) => runStack(stack, cfg, [], { onRegister: () => turns.push(now()) }).then((r) => r.resources));
  return { resources, turns };
}

/** One timed evaluation of `mode`; the program also writes its recording for the floors. */
async function evaluate(mode: EvaluationMode, stack: string, input: Input): Promise<Sample> {
  const cfg: StackConfig = JSON.parse(fs.readFileSync(input.configFile, "utf8"));
  let recording: Recording | undefined;
  if (mode !== "program") recording = JSON.parse(fs.readFileSync(input.recordingFile, "utf8")) as Recording;

  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let count: number;
  if (recording) {
    const registered: Registered[] = [];
    const kind: FloorKind = mode === "floor" ? "typed" : "generic";
    await installRecordingMocks(stack, cfg, registered);
    const { resources, turns } = recording;
    await underRootStack(() => registerFloor(resources, turns, kind));
    count = registered.length;
  } else {
    recording = await evaluateProgram(cfg, stack);
    count = recording.resources.length;
  }
  const cpu = process.cpuUsage(cpuStart);
  const sample: Sample = {
    ms: Number(process.hrtime.bigint() - start) / 1e6,
    cpuMs: (cpu.user + cpu.system) / 1000,
    resources: count,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  if (mode === "program") fs.writeFileSync(input.recordingFile, JSON.stringify(recording));
  return sample;
}

async function main(): Promise<void> {
  const [mode, configFile, stack, recordingFile, ...rest] = process.argv.slice(2) as [EvaluationMode, string, string, string, ...string[]];
  // The program's run() does this itself; the floors get it too, so both sides pay the SDK alike.
  dropSdkPromiseStacks();
  if (rest[0] === "--warm-up") {
    const [, warmConfig, warmRecording, times] = rest;
    for (let i = 0; i < Number(times); i++) await evaluate(mode, stack, { configFile: warmConfig, recordingFile: warmRecording });
  }
  const sample = await evaluate(mode, stack, { configFile, recordingFile });
  process.stdout.write(JSON.stringify(sample) + "\n");
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + "\n");
    process.exit(1);
  });
}
