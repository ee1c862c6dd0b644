// The blue-green flip through the real engine: a flip `up` (and its preview) against a no-change
// `up` of the same stack, interleaved so load from other jobs hits both alike, in render mode or
// deployed to a loopback API server. From the engine's events: the objects the flip wrote against
// the Services that must change (the live and preview Service), the guard reported apart, and the
// slowest steps of the flip.
import * as fs from "fs";
import { editStack, newProject } from "../test/e2e/support/project";
import { Measured, medianOf, medianTiming, pairedRatios, phases, pulumiCli, runPlatform, seconds, StepTiming, stepTimings, writtenSteps } from "./engineRun";

export interface FlipResult {
  mode: "render" | "deploy";
  rounds: number;
  /** Medians over the rounds. */
  noChangeUp: { ms: number; cpuMs: number };
  flipPreview: { ms: number; cpuMs: number };
  flipUp: { ms: number; cpuMs: number };
  /** Median of flip up / no-change up, paired per round: wall time, CPU of the process tree, the engine's own time (prelude to summary). */
  ratio: number;
  cpuRatio: number;
  engineRatio: number;
  /** Kubernetes objects the flip's `up` wrote, the guard's state update apart. */
  written: string[];
  guardUpdated: boolean;
  /** Objects written / Services that must change (2). */
  writtenRatio: number;
  /** Per round: [no-change, flip] wall, CPU and engine time, ms. */
  perRound: { wall: [number, number]; cpu: [number, number]; engine: [number, number] }[];
  /** The flip's slowest steps (last round), for finding where the time goes. */
  slowest: StepTiming[];
  /** Engine phases of the last flip and no-change up: start-up, engine, after. */
  flipPhases: ReturnType<typeof phases>;
  noChangePhases: ReturnType<typeof phases>;
}

const MUST_CHANGE = ["web", "web-preview"];

/** Runs `rounds` rounds of: no-change up, flip preview, flip up (blue and green alternating). */
export function flipBench(mode: "render" | "deploy", rounds: number, kubeconfig?: string, log = (l: string) => process.stdout.write(`${l}\n`)): FlipResult {
  const dir = newProject(`bench-flip-${mode}`);
  if (kubeconfig) editStack(dir, "dev", (c) => (c["platform:cluster"].kubeconfig = kubeconfig));
  const up = () => runPlatform(dir, ["up", "--stack", "dev", "--yes", "--json"]);
  log(`flip (${mode}): first up of dev ...`);
  up();
  const noChange: Measured[] = [];
  const previews: Measured[] = [];
  const flips: Measured[] = [];
  let color = "blue";
  for (let i = 0; i < rounds; i++) {
    noChange.push(up());
    color = color === "blue" ? "green" : "blue";
    pulumiCli(dir, "config", "set", "--path", "platform:apps[0].activeColor", color, "--stack", "dev");
    previews.push(runPlatform(dir, ["preview", "--stack", "dev", "--json"]));
    flips.push(up());
    log(
      `flip (${mode}) round ${i + 1}/${rounds}: no-change up ${seconds(noChange[i].wallMs)} (CPU ${seconds(noChange[i].cpuMs)}), ` +
        `flip preview ${seconds(previews[i].wallMs)}, flip up ${seconds(flips[i].wallMs)} (CPU ${seconds(flips[i].cpuMs)}); ` +
        `engine ${seconds(phases(noChange[i]).engineMs)} / ${seconds(phases(flips[i]).engineMs)}`,
    );
  }
  // Deployed objects go, so the next case starts from an empty cluster.
  if (kubeconfig) runPlatform(dir, ["destroy", "--stack", "dev", "--yes", "--json"]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.BENCH_DUMP)
    fs.writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ flip: flips.map((f) => f.record), noChange: noChange.map((f) => f.record) }));
  const last = stepTimings(flips[flips.length - 1].record);
  const writes = writtenSteps(last).filter((s) => s.type.startsWith("kubernetes:"));
  const guardUpdated = writtenSteps(last).some((s) => s.type.includes("LiveReleaseGuard"));
  const written = writes.map((s) => `${s.op} ${s.type.split(":").pop()} ${s.name}`);
  return {
    mode,
    rounds,
    noChangeUp: medianTiming(noChange),
    flipPreview: medianTiming(previews),
    flipUp: medianTiming(flips),
    ...pairedRatios(flips, noChange),
    engineRatio: medianOf(flips.map((f, i) => phases(f).engineMs / phases(noChange[i]).engineMs)),
    written,
    guardUpdated,
    writtenRatio: writes.length / MUST_CHANGE.length,
    perRound: flips.map((f, i) => ({
      wall: [noChange[i].wallMs, f.wallMs],
      cpu: [noChange[i].cpuMs, f.cpuMs],
      engine: [phases(noChange[i]).engineMs, phases(f).engineMs],
    })),
    slowest: [...last].sort((a, b) => b.ms - a.ms).slice(0, 8),
    flipPhases: phases(flips[flips.length - 1]),
    noChangePhases: phases(noChange[noChange.length - 1]),
  };
}

export function describeFlip(r: FlipResult): string[] {
  return [
    `flip (${r.mode}): no-change up ${seconds(r.noChangeUp.ms)} (CPU ${seconds(r.noChangeUp.cpuMs)}), flip preview ${seconds(r.flipPreview.ms)}, ` +
      `flip up ${seconds(r.flipUp.ms)} (CPU ${seconds(r.flipUp.cpuMs)}); flip / no-change ${r.ratio.toFixed(2)} ` +
      `(CPU ${r.cpuRatio.toFixed(2)}, engine ${r.engineRatio.toFixed(2)}; median of ${r.rounds} paired rounds)`,
    `  written by the flip: ${r.written.join(", ")} (${r.writtenRatio.toFixed(2)} of the Services that must change); guard state updated: ${r.guardUpdated}`,
    `  phases, flip: start ${seconds(r.flipPhases.startMs)}, engine ${seconds(r.flipPhases.engineMs)}, after ${seconds(r.flipPhases.endMs)}; ` +
      `no-change: start ${seconds(r.noChangePhases.startMs)}, engine ${seconds(r.noChangePhases.engineMs)}, after ${seconds(r.noChangePhases.endMs)}`,
    ...r.slowest.map((s) => `  step ${s.op} ${s.name} (${s.type.split(":").pop()}): ${seconds(s.ms)} [${seconds(s.start)} to ${seconds(s.end)}]`),
  ];
}

if (require.main === module) {
  // Exploration: `node -r ts-node/register/transpile-only bench/engineFlip.ts [KUBECONFIG] [ROUNDS]`
  require("./engineRun").compileDriver();
  const [kubeconfig, rounds] = process.argv.slice(2);
  const r = flipBench(kubeconfig ? "deploy" : "render", Number(rounds ?? 1), kubeconfig || undefined);
  process.stdout.write(`${describeFlip(r).join("\n")}\n`);
}
