// Runs one `npm run platform` command (the compiled runner, bin/runner/main.js) in this process
// and records each engine event with the time it arrived, so the bench can say where an `up`
// spends its time per resource. Usage (compiled to bin/bench/engineDriver.js by bench/engine.ts):
//   PLATFORM_WORK_DIR=DIR node bin/bench/engineDriver.js EVENTS.json up --stack dev --yes --json
import * as fs from "fs";
import Module from "module";
import * as path from "path";

const BIN = path.resolve(__dirname, "..");

/** One engine event, reduced to what the timing needs. */
export interface TimedEvent {
  /** ms since this process started. */
  t: number;
  kind: "prelude" | "pre" | "outputs" | "failed" | "diag" | "summary" | "other";
  urn?: string;
  type?: string;
  op?: string;
  /** Changed property paths (a step's detailed diff or its keys). */
  paths?: string[];
  message?: string;
}

export interface DriverRecord {
  /** When the runner's main was entered and returned, ms since process start. */
  mainStart: number;
  mainEnd: number;
  exitCode: number;
  events: TimedEvent[];
}

function reduce(e: any, t: number): TimedEvent {
  const step = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
  const base = step ? { urn: step.urn, type: step.type, op: step.op } : {};
  if (e.preludeEvent) return { t, kind: "prelude" };
  if (e.resourcePreEvent) {
    const paths = step.detailedDiff ? Object.keys(step.detailedDiff) : (step.diffs ?? []);
    return { t, kind: "pre", ...base, paths };
  }
  if (e.resOutputsEvent) return { t, kind: "outputs", ...base };
  if (e.resOpFailedEvent) return { t, kind: "failed", ...base };
  if (e.diagnosticEvent) return { t, kind: "diag", urn: e.diagnosticEvent.urn, message: String(e.diagnosticEvent.message).slice(0, 300) };
  if (e.summaryEvent) return { t, kind: "summary" };
  return { t, kind: "other" };
}

/** Puts `exports` in the module cache as bin/<file>, so the runner loads it instead of our program. */
function stub(file: string, exports: object): void {
  const full = path.join(BIN, file);
  const m = new Module(full);
  Object.assign(m, { filename: full, loaded: true, exports });
  require.cache[full] = m;
}

/**
 * The engine-level floor: the runner, unchanged, runs a program that registers the objects our
 * program registered under mocks (bench/evaluate.ts's recording), flat (bench/floor.ts: typed
 * SDK classes; no config, components, parents or dependsOn), instead of ours, whose modules it
 * never loads. BENCH_FLOOR_RECORDING=empty: a program that registers nothing.
 */
function useFloorProgram(recordingFile: string): void {
  const recording = recordingFile === "empty" ? undefined : JSON.parse(fs.readFileSync(recordingFile, "utf8"));
  stub("stacks/index.js", {
    run: async () => {
      // As our run() does, so both programs pay the SDK alike.
      require(path.join(BIN, "stacks/sdkPromiseStacks.js")).dropSdkPromiseStacks();
      if (recording) await require(path.join(BIN, "bench/floor.js")).registerFloor(recording.resources, recording.turns, "typed");
    },
  });
  stub("stacks/outputs.js", { stackOutputs: () => ({}) });
}

async function drive(): Promise<void> {
  const [eventsOut, ...argv] = process.argv.slice(2);
  const events: TimedEvent[] = [];
  const now = () => performance.now();
  // The runner builds its OperationLog per command: wrap its event handler to time each event.
  const report = require(path.join(BIN, "runner/report.js"));
  const Original = report.OperationLog;
  report.OperationLog = class TimedOperationLog extends Original {
    constructor() {
      super();
      const inner = (this as any).onEvent;
      (this as any).onEvent = (e: unknown) => {
        events.push(reduce(e, now()));
        inner(e);
      };
    }
  };
  const floor = process.env.BENCH_FLOOR_RECORDING;
  if (floor) useFloorProgram(floor);
  const { main } = require(path.join(BIN, "runner/main.js"));
  const mainStart = now();
  const exitCode: number = await main(argv);
  const record: DriverRecord = { mainStart, mainEnd: now(), exitCode, events };
  fs.writeFileSync(eventsOut, JSON.stringify(record));
  process.exit(exitCode);
}

drive().catch((err) => {
  process.stderr.write(`engine driver: ${err?.stack ?? err}\n`);
  process.exit(1);
});
