// Fresh start-up, whole process: the dev program evaluated under mocks (bench/evaluate.ts) with
// type-checking ts-node against the precompiled JavaScript in bin/ (what the runner runs), in
// interleaved pairs, wall and CPU time of the whole process.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStackConfig } from "../testing/harness";
import { ROOT } from "../test/e2e/support/project";
import { childrenCpuMs, compileDriver, medianTiming, pairedRatios, seconds, Timing } from "./engineRun";
import type { StartupResult } from "./engineReport";

function timedNode(args: string[]): Timing {
  const cpu0 = childrenCpuMs();
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${r.stderr}`);
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: childrenCpuMs() - cpu0 };
}

export function startupBench(repeats: number, log: (line: string) => void): StartupResult {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-startup-"));
  const configFile = path.join(work, "dev.json");
  fs.writeFileSync(configFile, JSON.stringify(loadStackConfig("dev")));
  const args = ["program", configFile, "dev", path.join(work, "recording.json")];
  const tsNode: Timing[] = [];
  const js: Timing[] = [];
  for (let i = 0; i < repeats; i++) {
    tsNode.push(timedNode(["-r", "ts-node/register", path.join(ROOT, "bench/evaluate.ts"), ...args]));
    compileDriver(true);
    js.push(timedNode([path.join(ROOT, "bin/bench/evaluate.js"), ...args]));
    log(
      `start-up ${i + 1}/${repeats}: ts-node (type-check) ${seconds(tsNode[i].wallMs)} (CPU ${seconds(tsNode[i].cpuMs)}), ` +
        `precompiled ${seconds(js[i].wallMs)} (CPU ${seconds(js[i].cpuMs)})`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
  const [t, j] = [medianTiming(tsNode), medianTiming(js)];
  return {
    repeats,
    tsNodeMs: t.ms,
    tsNodeCpuMs: t.cpuMs,
    jsMs: j.ms,
    jsCpuMs: j.cpuMs,
    ...pairedRatios(tsNode, js),
  };
}
