// docs/PERFORMANCE.md and its plot, from the results of a full `npm run bench`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../testing/harness";
import { MockEvaluationResult, Side, WARM_UP_TEAMS, WARM_UP_TIMES } from "./cases";
import { lineChartSvg } from "./plot";

export interface StartupRow {
  label: string;
  ms: number;
}
export interface RunFacts {
  started: Date;
  loadBefore: number[];
  loadAfter: number[];
}

const RATIO_TARGET = 1.3;
const FLAT_TOLERANCE = 0.1;
const MEMORY_TARGET_MB = 2048;

/** CPU ms per resource of one side of a case (the program's when no side is named). */
const perResource = (r: MockEvaluationResult, side: Side = r.program) => side.cpuMs / r.resources;
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");

/** The rows as a markdown table (also printed by `--quick`). */
export function resultTable(rows: MockEvaluationResult[]): string[] {
  return [
    "| config | resources | program wall (ms) | program CPU (ms) | floor CPU (ms) | program / floor (CPU) | (lowest-highest pair) | (wall) | generic floor CPU (ms) | program / generic (CPU) | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.resources} | ${fmt(r.program.ms)} | ${fmt(r.program.cpuMs)} | ${fmt(r.floor.cpuMs)} | ${fmt(r.ratio.cpu, 2)} | ${fmt(r.ratioRange.min, 2)}-${fmt(r.ratioRange.max, 2)} | ${fmt(r.ratio.wall, 2)} | ` +
        `${r.genericFloor ? fmt(r.genericFloor.cpuMs) : "-"} | ${r.genericRatio ? fmt(r.genericRatio.cpu, 2) : "-"} | ${fmt(r.program.maxRssMb)} |`,
    ),
  ];
}

const change = (a: number, b: number) => b / a - 1;
const pct = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x * 100)}%`;

/**
 * Time per resource flat from 100 to 1000 teams, judged warm: a cold run also pays a fixed
 * warm-up (compiling the SDK's and our per-resource code, loading the classes' modules), which
 * 100 teams spread over a tenth of the resources, so cold figures fall with size on both sides and
 * their ratio climbs towards the marginal one without anything growing. Warm figures measure the
 * per-resource cost itself. Both checks must hold: the program's ratio to the floor run beside it
 * stays within the tolerance either way, and the program's own figure does not grow by more. The
 * own figure may fall: cases run minutes apart, and the machine's speed drifts between them (the
 * floor's figure moves alike), while a program that scales worse than linearly grows.
 */
export function flatnessVerdict(hundred: MockEvaluationResult, thousand: MockEvaluationResult): string {
  const cold =
    `cold: ${fmt(perResource(hundred), 2)} → ${fmt(perResource(thousand), 2)} ms (${pct(change(perResource(hundred), perResource(thousand)))}), ` +
    `the floor's ${pct(change(perResource(hundred, hundred.floor), perResource(thousand, thousand.floor)))}, ` +
    `ratio ${fmt(hundred.ratio.cpu, 2)} → ${fmt(thousand.ratio.cpu, 2)}`;
  const label = `Time per resource flat (±${FLAT_TOLERANCE * 100}%) from 100 to 1000 teams (program CPU time per resource, warm, and relative to the floor run beside it)`;
  if (!hundred.warm || !thousand.warm) return `${label}: **not measured** (no warm runs; ${cold}).`;
  const [h, t] = [hundred.warm, thousand.warm];
  const [program100, program1000] = [perResource(hundred, h.program), perResource(thousand, t.program)];
  const absolute = change(program100, program1000);
  const relative = change(h.ratio.cpu, t.ratio.cpu);
  const flat = absolute <= FLAT_TOLERANCE && Math.abs(relative) <= FLAT_TOLERANCE;
  return (
    `${label}: ${flat ? "met" : "**not met**"} (warm: ${fmt(program100, 2)} → ${fmt(program1000, 2)} ms, ${pct(absolute)}; ` +
    `the floor's ${fmt(perResource(hundred, h.floor), 2)} → ${fmt(perResource(thousand, t.floor), 2)} ms; ` +
    `ratio ${fmt(h.ratio.cpu, 2)} → ${fmt(t.ratio.cpu, 2)}, ${pct(relative)}. For reference, ${cold}).`
  );
}

/** The warm pairs as a markdown table. */
export function warmTable(rows: MockEvaluationResult[]): string[] {
  const warm = rows.filter((r) => r.warm);
  if (warm.length === 0) return [];
  return [
    "| config | pairs | program CPU (ms) | per resource (ms) | floor CPU (ms) | per resource (ms) | program / floor (CPU) | (lowest-highest pair) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...warm.map((r) => {
      const w = r.warm!;
      return (
        `| ${r.name} | ${w.pairs} | ${fmt(w.program.cpuMs)} | ${fmt(perResource(r, w.program), 2)} | ${fmt(w.floor.cpuMs)} | ${fmt(perResource(r, w.floor), 2)} | ` +
        `${fmt(w.ratio.cpu, 2)} | ${fmt(w.ratioRange.min, 2)}-${fmt(w.ratioRange.max, 2)} |`
      );
    }),
  ];
}

/** Each Part 1 target of issue 17 (and the earlier ones), met or not, with the figure and, if missed, why. */
export function targetVerdicts(rows: MockEvaluationResult[]): string[] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const met = (ok: boolean) => (ok ? "met" : "**not met**");
  const out: string[] = [];
  const ratioRows = ["dev", "prod", "100 teams", "1000 teams"].map(row).filter((r): r is MockEvaluationResult => !!r);
  const worst = ratioRows.reduce((a, b) => (b.ratio.cpu > a.ratio.cpu ? b : a));
  out.push(
    `program / floor ≤ ${RATIO_TARGET} at ${ratioRows.map((r) => r.name).join(", ")} (CPU time): ${met(worst.ratio.cpu <= RATIO_TARGET)} ` +
      `(${ratioRows.map((r) => `${r.name} ${fmt(r.ratio.cpu, 2)}`).join(", ")}; wall ${ratioRows.map((r) => fmt(r.ratio.wall, 2)).join(", ")}).`,
  );
  const generic = ratioRows.filter((r) => r.genericRatio && r.genericFloor);
  if (generic.length > 0) {
    const w = generic.reduce((a, b) => (b.genericRatio!.cpu > a.genericRatio!.cpu ? b : a));
    out.push(
      `Against the generic floor (plain CustomResources, the floor before issue 17): ${met(w.genericRatio!.cpu <= RATIO_TARGET)} ` +
        `(${generic.map((r) => `${r.name} ${fmt(r.genericRatio!.cpu, 2)}`).join(", ")}). The typed floor itself costs ` +
        `${generic.map((r) => fmt(r.floor.cpuMs / r.genericFloor!.cpuMs, 2)).join(", ")}× the generic one: the @pulumi/kubernetes classes' own work ` +
        "(each alias a Deployment, HPA, PDB or NetworkPolicy carries is resolved to a URN through four Outputs in its constructor; every class adds a `status` placeholder input), " +
        "which any program using those classes pays.",
    );
  }
  const [hundred, thousand] = [row("100 teams"), row("1000 teams")];
  if (hundred && thousand) {
    out.push(flatnessVerdict(hundred, thousand));
    out.push(`Peak memory at 1000 teams ≤ 2 GiB: ${met(thousand.program.maxRssMb <= MEMORY_TARGET_MB)} (${fmt(thousand.program.maxRssMb)} MiB peak RSS).`);
    out.push(
      `1000 teams under 30 s (earlier target): ${met(thousand.program.ms < 30000)} (${fmt(thousand.program.ms / 1000)} s wall, ${fmt(thousand.program.cpuMs / 1000)} s CPU ` +
        `for ${thousand.resources} resources; the floor alone needs ${fmt(thousand.floor.cpuMs / 1000)} s CPU: the SDK's per-resource cost under mocks bounds any program ` +
        "of this size, protobuf encoding and promise bookkeeping).",
    );
  }
  const dev = row("dev");
  if (dev) out.push(`dev program evaluation under 2 s (earlier target): ${met(dev.program.ms < 2000)} (${fmt(dev.program.ms)} ms).`);
  out.push("A flip changes exactly the Service objects (plus the live-color guard's record): asserted path by path in test/blueGreen.test.ts, not timed.");
  out.push(
    "Engine figures (preview/up wall time in render mode, the flip against an API server) need the real Pulumi engine: further bench cases (issue 17, parts 2-4).",
  );
  return out;
}

export function writeReport(rows: MockEvaluationResult[], startup: StartupRow[], facts: RunFacts): void {
  const docs = path.join(ROOT, "docs");
  fs.mkdirSync(docs, { recursive: true });
  const generated = rows.filter((r) => r.name.endsWith("teams"));
  fs.writeFileSync(
    path.join(docs, "performance.svg"),
    lineChartSvg("Program evaluation under mocks (CPU time)", "resources", "ms", [
      { label: "program", points: generated.map((r) => [r.resources, r.program.cpuMs]) },
      { label: "floor (same SDK classes, flat)", points: generated.map((r) => [r.resources, r.floor.cpuMs]) },
      { label: "generic floor (plain CustomResources)", points: generated.filter((r) => r.genericFloor).map((r) => [r.resources, r.genericFloor!.cpuMs]) },
    ]),
  );
  const fastest = [...startup].sort((a, b) => a.ms - b.ms)[0];
  const md = [
    "# Performance",
    "",
    `Measured by \`npm run bench\` on ${os.cpus().length} cores, Node ${process.version}, ${facts.started.toISOString().slice(0, 10)}; ` +
      `load average ${load(facts.loadBefore)} before and ${load(facts.loadAfter)} after (other jobs share the machine). Numbers, not timed tests.`,
    "",
    "## Program evaluation under mocks",
    "",
    "Generated configs have N teams shaped like dev's first team, each running a copy of every dev app: a blue-green web app, an autoscaled API and a PostgreSQL StatefulSet.",
    "Each figure is the median over fresh processes running precompiled JavaScript; each repeat runs the program and both floors back to back (the order alternating between repeats), " +
      "and ratios are medians of those paired ratios, shown with the lowest and highest pair.",
    "Ratios and verdicts use CPU time (user + system, all threads of the process): the machine is shared, and wall time also counts waiting for a core. Wall figures are shown beside them.",
    "",
    "The **floor** registers the very same resources (same count, types, names and inputs) through the same recording mocks and the same SDK classes, flat: no config parsing, " +
      "no components, no parents, no dependsOn, no Outputs between resources. It yields to the runtime where the program did (`stacks/yieldToRuntime.ts`). " +
      "Program and floors run under a root Stack resource, as the engine runs every program, so every resource stays reachable from the root until the run ends; " +
      "before, under mocks only the program's resources did (through their components), and the floor's heap at 1000 teams was half the program's for that reason alone. " +
      "The **generic floor** is the earlier floor: every custom resource as a plain `CustomResource`, without the classes' aliases and placeholders.",
    "",
    ...resultTable(rows),
    "",
    `**Warm** pairs (100 and 1000 teams): each process first evaluates ${WARM_UP_TEAMS} generated teams ${WARM_UP_TIMES} times the same way, untimed, then the case. ` +
      "A cold run also pays a fixed warm-up (V8 compiling the per-resource code of the SDK and ours, the classes' modules loading), which a smaller case spreads over fewer resources; " +
      "warm figures are the per-resource cost itself, and judge the flatness target.",
    "",
    ...warmTable(rows),
    "",
    `Program CPU time per resource (flat means linear growth): ${generated.map((r) => `${r.name}: ${fmt(perResource(r), 2)} ms (floor ${fmt(perResource(r, r.floor), 2)} ms)`).join(", ")}.`,
    "",
    "![CPU time versus size](performance.svg)",
    "",
    "## Targets",
    "",
    ...targetVerdicts(rows).map((v) => `- ${v}`),
    "",
    "## TypeScript start-up (whole process, dev config)",
    "",
    "| mode | ms |",
    "| --- | ---: |",
    ...startup.map((s) => `| ${s.label} | ${fmt(s.ms)} |`),
    "",
    `Fastest: ${fastest.label}; type-checking ts-node / fastest = ${fmt(startup[0].ms / fastest.ms, 2)}. Full type checking stays in \`npm test\` (\`tsc --noEmit\`).`,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(docs, "PERFORMANCE.md"), md);
}
