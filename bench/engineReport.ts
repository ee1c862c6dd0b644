// docs/ENGINE-PERFORMANCE.md is made of sections, one per part of `npm run bench:engine`
// (render, flip, live, split, floor, startup). A run rewrites only the sections of the parts it ran,
// between `<!-- part:NAME -->` markers, so the parts can be measured at different times.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../test/e2e/support/project";
import type { DeployRow } from "./engineDeploy";
import type { FlipResult } from "./engineFlip";
import type { FloorRow } from "./engineFloor";
import type { SplitRow } from "./engineSplit";

const DOC = path.join(ROOT, "docs", "ENGINE-PERFORMANCE.md");
export const PARTS = ["render", "scale", "flip", "live", "split", "floor", "startup"] as const;
/** Parts a run without part flags leaves out: `--scale` renders 1000 teams (about half an hour on 2 cores). */
export const OPT_IN_PARTS: readonly Part[] = ["scale"];
export type Part = (typeof PARTS)[number];

const HEADER = `# Engine performance

Measured by \`npm run bench:engine\` (see README "Benchmarks"), through the runner (\`npm run
platform\`, precompiled), the file backend, and the toolchain's engine and plugins. Each part
states when it was measured; each ratio comes from runs interleaved in the same session, because
the machine is shared (the load average is given). Wall times include the runner's start-up
(toolchain check, stack selection) and the Automation API's calls around the engine. CPU is the
whole process tree's (runner, Pulumi CLI, provider plugins).
`;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** When and under which load a part was measured. */
export function stamp(): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(", ");
  return `_Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${os.cpus().length} cores, load average ${load}._`;
}

/** Replaces (or appends) the section of `part` in docs/ENGINE-PERFORMANCE.md. */
export function writeSection(part: Part, body: string): void {
  let text = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "";
  if (!text.includes("<!-- part:")) text = HEADER; // the file before sections: start over
  const block = `<!-- part:${part} -->\n${body.trim()}\n<!-- /part:${part} -->`;
  const re = new RegExp(`<!-- part:${part} -->[\\s\\S]*?<!-- /part:${part} -->`);
  if (re.test(text)) {
    text = text.replace(re, block);
  } else {
    // Keep the parts in their fixed order.
    const later = PARTS.slice(PARTS.indexOf(part) + 1)
      .map((p) => text.indexOf(`<!-- part:${p} -->`))
      .filter((i) => i >= 0);
    const at = later.length > 0 ? Math.min(...later) : text.length;
    text = `${text.slice(0, at).trimEnd()}\n\n${block}\n\n${text.slice(at).trimStart()}`;
  }
  fs.writeFileSync(DOC, `${text.trimEnd()}\n`);
}

const verdict = (met: boolean) => (met ? "**met**" : "**not met**");

export function flipSection(results: FlipResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.mode} | ${r.rounds} | ${s(r.noChangeUp.ms)} (CPU ${s(r.noChangeUp.cpuMs)}) | ${s(r.flipPreview.ms)} | ` +
      `${s(r.flipUp.ms)} (CPU ${s(r.flipUp.cpuMs)}) | ${r.ratio.toFixed(2)} (CPU ${r.cpuRatio.toFixed(2)}, engine ${r.engineRatio.toFixed(2)}) | ${r.written.join(", ")} | ${r.writtenRatio.toFixed(2)} | ${r.guardUpdated ? "updated" : "unchanged"} |`,
  );
  const verdicts = results.map(
    (r) =>
      `- ${r.mode}: flip \`up\` within 1.5× of a no-change \`up\`: ${verdict(r.ratio <= 1.5)} (${r.ratio.toFixed(2)}); ` +
      `objects written / Services that must change = 1.0: ${verdict(r.writtenRatio === 1)} (${r.writtenRatio.toFixed(2)}).`,
  );
  const slow = results.flatMap((r) => [
    `- ${r.mode}, slowest steps of the last flip \`up\` (engine time from the step's start to its outputs):`,
    ...r.slowest
      .filter((x) => !x.type.startsWith("platform:") && x.type !== "pulumi:pulumi:Stack")
      .slice(0, 4)
      .map((x) => `  ${x.op} ${x.name} (${x.type.split(":").pop()}): ${s(x.ms)}`),
    `  phases (flip / no-change): before the engine's prelude ${s(r.flipPhases.startMs)} / ${s(r.noChangePhases.startMs)}, ` +
      `engine ${s(r.flipPhases.engineMs)} / ${s(r.noChangePhases.engineMs)}, after its summary ${s(r.flipPhases.endMs)} / ${s(r.noChangePhases.endMs)}`,
  ]);
  return [
    `## The blue-green flip (dev, \`apps[0].activeColor\`), ${results.map((r) => (r.mode === "deploy" ? "deployed to a loopback API server" : "render mode")).join(" and ")}`,
    "",
    stamp(),
    "",
    "Each round: a no-change `up`, then `config set` of the other color, the flip's `preview` and its `up`; medians over the rounds,",
    "the ratio the median of the per-round ratios (wall; CPU of the process tree; the engine's own time, prelude to summary, which",
    "leaves out the start-up and the Automation API's calls around the engine, the same for both and the noisiest). Objects written come from the engine's events (steps other than `same`) of the",
    "last flip `up`; the live-color guard's state update is reported apart (it writes no Kubernetes object).",
    "",
    "| mode | rounds | no-change `up` | flip `preview` | flip `up` | flip / no-change | objects written | written / must change | guard |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ...rows,
    "",
    "Per round, no-change / flip `up`: " +
      results
        .map(
          (r) =>
            `${r.mode}: ` +
            r.perRound
              .map((x) => `wall ${s(x.wall[0])} / ${s(x.wall[1])}, CPU ${s(x.cpu[0])} / ${s(x.cpu[1])}, engine ${s(x.engine[0])} / ${s(x.engine[1])}`)
              .join("; "),
        )
        .join(". ") +
      ".",
    "",
    ...verdicts,
    "",
    ...slow,
  ].join("\n");
}

export function deploySection(rows: DeployRow[]): string {
  const lines = rows.map(
    (r) => `| ${r.teams} | ${r.checkpoints} | ${r.objects} | ${s(r.upMs)} | ${s(r.upCpuMs)} | ${(r.upMs / r.objects).toFixed(0)} ms | ${s(r.previewMs)} |`,
  );
  return [
    "## Deploy mode at scale (loopback API server)",
    "",
    stamp(),
    "",
    "`up` creating every object of generated N-team configs (each team: a blue-green app and an autoscaled API; the stateful",
    "app left out: the loopback cluster seeds 20 volumes and its node takes 10,000 pods), each on a fresh cluster, with the file",
    "backend's intermediate checkpoints (deploy mode's setting) and without, then a no-change `preview`.",
    "",
    "| teams | intermediate checkpoints | objects created | `up` | `up` CPU | per object | no-change `preview` |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ...lines,
  ].join("\n");
}

export function floorSection(rows: FloorRow[], empty: { ms: number; cpuMs: number }): string {
  const p = (x: FloorRow["up"]) => `${s(x.ours)} / ${s(x.floor)} | ${x.ratio.toFixed(2)} (CPU ${x.cpuRatio.toFixed(2)})`;
  const lines = rows.map((r) => `| ${r.name} | ${r.objects.ours} / ${r.objects.floor} | ${p(r.preview)} | ${p(r.up)} |`);
  const worst = Math.max(...rows.flatMap((r) => [r.preview.ratio, r.up.ratio]));
  return [
    "## Ours against the floor, through the engine (render mode)",
    "",
    stamp(),
    "",
    "The floor is the same runner, engine and provider plugins running a program that registers the objects our program",
    "registers (recorded under mocks, bench/evaluate.ts) flat: the typed SDK classes of bench/floor.ts, without config",
    "validation, components, parents or `dependsOn`, and without loading our modules. So ours / floor is what our program",
    "adds on top of the engine's own work on the same objects. Each repeat runs both on fresh stacks, back to back in",
    "alternating order: `preview` (everything to create), then `up` (creates it). Ratios: medians of per-repeat ratios.",
    "",
    "| case | custom resources (ours / floor) | `preview` ours / floor | ratio | `up` ours / floor | ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...lines,
    "",
    `Engine fixed cost: \`preview\` of a fresh stack whose program registers nothing, through the same runner: ${s(empty.ms)} (CPU ${s(empty.cpuMs)}).`,
    "",
    `- ours / floor ≤ 1.2 for \`preview\` and \`up\` of every case: ${verdict(worst <= 1.2)} (worst ${worst.toFixed(2)}).`,
  ].join("\n");
}

export interface StartupResult {
  tsNodeMs: number;
  tsNodeCpuMs: number;
  jsMs: number;
  jsCpuMs: number;
  ratio: number;
  cpuRatio: number;
  repeats: number;
}

export function startupSection(r: StartupResult): string {
  return [
    "## Fresh start-up: precompiled JavaScript against type-checking ts-node",
    "",
    stamp(),
    "",
    "The dev program evaluated in a fresh process (bench/evaluate.ts under the test harness's mocks: load, config validation,",
    `every resource registered), ${r.repeats} interleaved pairs; medians, ratio the median of per-pair ratios.`,
    "",
    "| mode | wall | CPU |",
    "| --- | ---: | ---: |",
    `| ts-node (type-check) | ${s(r.tsNodeMs)} | ${s(r.tsNodeCpuMs)} |`,
    `| precompiled JavaScript (bin/) | ${s(r.jsMs)} | ${s(r.jsCpuMs)} |`,
    "",
    `- type-checking ts-node / precompiled ≥ 5×: ${verdict(r.ratio >= 5)} (${r.ratio.toFixed(2)} wall, ${r.cpuRatio.toFixed(2)} CPU).`,
  ].join("\n");
}

/** One stack of N teams (deploy mode's checkpoints) against the same teams split into stacks, on a loopback API server. */
export function splitSection(single: DeployRow[], split: SplitRow[]): string {
  const perObject = (ms: number, n: number) => `${(ms / n).toFixed(0)} ms`;
  const one = single.map((r) => `| ${r.teams} | 1 | 1 | ${r.objects} | ${s(r.upMs)} | ${s(r.upCpuMs)} | ${perObject(r.upMs, r.objects)} | ${s(r.upMs)} |`);
  const many = split.map(
    (r) =>
      `| ${r.teams} | ${r.stacks} | ${r.parallel} | ${r.objects} | ${s(r.upMs)} | ${s(r.upCpuMs)} | ${perObject(r.upMs, r.objects)} | ${s(Math.max(...r.stackUpMs))} |`,
  );
  return [
    "## Deploy mode: one stack against team-group stacks (loopback API server)",
    "",
    stamp(),
    "",
    "`up` creating every object of a generated N-team config (as in the part above), all with intermediate checkpoints (deploy",
    "mode's crash safety): as one stack, and split into stacks of equal team groups, the first also holding the cluster-wide",
    'parts, the others only their teams (README "Large platforms"). The first group goes up alone, then the rest `parallel` at',
    "a time, as one CI job per stack would. Each case on a fresh cluster.",
    "",
    "| teams | stacks | parallel | objects created | `up` (all stacks) | CPU | per object | longest single `up` |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...one,
    ...many,
  ].join("\n");
}
