// `npm run bench`: program evaluation under mocks (time, peak memory, growth with size), the
// floor ratio, and TypeScript start-up modes. Prints a table and writes docs/PERFORMANCE.md.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStackConfig, ROOT, StackConfig } from "../test/support/harness";
import { generatedConfig } from "./generated";
import { lineChartSvg } from "./plot";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-"));
const TS_NODE = ["-r", "ts-node/register/transpile-only"];

interface Sample { ms: number; resources: number; maxRssMb: number }

// Size series run precompiled JavaScript: the fastest start-up mode (see the start-up table), and
// without ts-node's source-map support remapping every stack trace the SDK captures per resource.
const EVALUATE_JS = path.join(ROOT, "bin", "bench", "evaluate.js");

function compile(): void {
  // Compiled inside the repo (bin/ is git-ignored) so node_modules resolve as for `pulumi up`.
  spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: ROOT, stdio: "ignore" });
  if (!fs.existsSync(EVALUATE_JS)) throw new Error(`tsc did not produce ${EVALUATE_JS}`);
}

function measure(mode: "program" | "floor", name: string, cfg: StackConfig, stack: string): Sample {
  const configFile = path.join(work, `${name}.json`);
  fs.writeFileSync(configFile, JSON.stringify(cfg));
  const out = execFileSync(process.execPath, [EVALUATE_JS, mode, configFile, stack, path.join(work, `${name}-resources.json`)], {
    cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  compile();
  const cases: Array<[string, string, StackConfig, number]> = [
    ["dev", "dev", loadStackConfig("dev"), 5],
    ["prod", "prod", loadStackConfig("prod"), 5],
    ["10 teams", "dev", generatedConfig(10), 5],
    ["100 teams", "dev", generatedConfig(100), 3],
    ["1000 teams", "dev", generatedConfig(1000), 1],
  ];
  const rows: Array<{ name: string; resources: number; programMs: number; floorMs: number; maxRssMb: number }> = [];
  for (const [name, stack, cfg, repeats] of cases) {
    const program: Sample[] = [];
    const floor: Sample[] = [];
    const id = name.replace(/\W+/g, "-");
    // Program and floor alternate, each in a fresh process, so drift hits both alike.
    for (let i = 0; i < repeats; i++) {
      program.push(measure("program", id, cfg, stack));
      floor.push(measure("floor", id, cfg, stack));
    }
    const row = {
      name,
      resources: program[0].resources,
      programMs: median(program.map((s) => s.ms)),
      floorMs: median(floor.map((s) => s.ms)),
      maxRssMb: Math.max(...program.map((s) => s.maxRssMb)),
    };
    rows.push(row);
    process.stdout.write(`${name.padEnd(11)} ${String(row.resources).padStart(6)} resources  program ${row.programMs.toFixed(0).padStart(6)} ms  floor ${row.floorMs.toFixed(0).padStart(6)} ms  ratio ${(row.programMs / row.floorMs).toFixed(2)}  peak ${row.maxRssMb.toFixed(0)} MiB\n`);
  }

  // TypeScript start-up: the same evaluation with type-checking ts-node, transpile-only, and tsc output.
  const devConfig = path.join(work, "dev.json");
  const startup: Array<[string, string[]]> = [
    ["ts-node (type-check)", ["-r", "ts-node/register", path.join(__dirname, "evaluate.ts")]],
    ["ts-node transpile-only", [...TS_NODE, path.join(__dirname, "evaluate.ts")]],
    ["precompiled JavaScript", [EVALUATE_JS]],
  ];
  const startupRows = startup.map(([label, args]) => {
    const ms = median([0, 1, 2].map(() => wallMs([...args, "program", devConfig, "dev", path.join(work, "startup.json")])));
    process.stdout.write(`${label.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms (whole process, dev)\n`);
    return { label, ms };
  });

  writeReport(rows, startupRows);
  fs.rmSync(work, { recursive: true, force: true });
}

function writeReport(
  rows: Array<{ name: string; resources: number; programMs: number; floorMs: number; maxRssMb: number }>,
  startup: Array<{ label: string; ms: number }>,
): void {
  const docs = path.join(ROOT, "docs");
  fs.mkdirSync(docs, { recursive: true });
  const generated = rows.filter((r) => r.name.endsWith("teams"));
  fs.writeFileSync(path.join(docs, "performance.svg"), lineChartSvg("Program evaluation under mocks", "resources", "ms", [
    { label: "program", points: generated.map((r) => [r.resources, r.programMs]) },
    { label: "floor (flat registration)", points: generated.map((r) => [r.resources, r.floorMs]) },
  ]));
  const perResource = generated.map((r) => `${r.name}: ${(r.programMs / r.resources).toFixed(2)} ms (floor ${(r.floorMs / r.resources).toFixed(2)} ms)`).join(", ");
  const verdicts = targetVerdicts(rows);
  const fastest = [...startup].sort((a, b) => a.ms - b.ms)[0];
  const md = [
    "# Performance",
    "",
    `Measured by \`npm run bench\` on ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Numbers, not timed tests.`,
    "",
    "## Program evaluation under mocks",
    "",
    "Generated configs have N teams shaped like dev's first team, each running a copy of every dev app: a blue-green web app, an autoscaled API and a PostgreSQL StatefulSet.",
    "Each figure is the median over fresh processes running precompiled JavaScript; program and floor alternate. The floor registers the very same resources (same count, types, names and inputs) flat, with no config parsing or components.",
    "",
    "| config | resources | program (ms) | floor (ms) | program / floor | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.name} | ${r.resources} | ${r.programMs.toFixed(0)} | ${r.floorMs.toFixed(0)} | ${(r.programMs / r.floorMs).toFixed(2)} | ${r.maxRssMb.toFixed(0)} |`),
    "",
    `Time per resource (linear growth keeps this flat): ${perResource}.`,
    "",
    "![time versus size](performance.svg)",
    "",
    "## Targets",
    "",
    ...verdicts.map((v) => `- ${v}`),
    "",
    "## TypeScript start-up (whole process, dev config)",
    "",
    "| mode | ms |",
    "| --- | ---: |",
    ...startup.map((s) => `| ${s.label} | ${s.ms.toFixed(0)} |`),
    "",
    `Fastest: ${fastest.label}; type-checking ts-node / fastest = ${(startup[0].ms / fastest.ms).toFixed(2)}. Full type checking stays in \`npm test\` (\`tsc --noEmit\`).`,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(docs, "PERFORMANCE.md"), md);
  process.stdout.write(`wrote docs/PERFORMANCE.md and docs/performance.svg\n`);
}

type Row = { name: string; resources: number; programMs: number; floorMs: number; maxRssMb: number };

/** Each target from the performance issue, met or not, with the measured figure and, if missed, why. */
function targetVerdicts(rows: Row[]): string[] {
  const row = (name: string) => rows.find((r) => r.name === name)!;
  const met = (ok: boolean) => (ok ? "met" : "**not met**");
  const dev = row("dev");
  const big = row("1000 teams");
  const worst = Math.max(...rows.map((r) => r.programMs / r.floorMs));
  return [
    `dev program evaluation under 2 s: ${met(dev.programMs < 2000)} (${dev.programMs.toFixed(0)} ms).`,
    `1000 teams under 30 s and 2 GiB: ${met(big.programMs < 30000 && big.maxRssMb < 2048)} (${(big.programMs / 1000).toFixed(0)} s, ${big.maxRssMb.toFixed(0)} MiB). ` +
      `Each generated team runs three apps, so 1000 teams are ${big.resources} resources; the floor alone, registering them flat under the same mocks, ` +
      `takes ${(big.floorMs / 1000).toFixed(0)} s: the SDK's own per-resource cost under mocks (a stack trace captured per promise, protobuf serialization) bounds what any program of this size can do.`,
    `program / floor under 1.3: ${met(worst < 1.3)} (worst ${worst.toFixed(2)}). What remains above the floor is Outputs passed between resources ` +
      `(namespaces, Secret names, dependsOn edges), which the floor receives as resolved values, and the test harness's bookkeeping of every registration.`,
    "A flip changes exactly the Service objects (plus the live-color guard's record): asserted path by path in test/blueGreen.test.ts, not timed.",
    "Engine figures (preview/up wall time in render mode, the flip against an API server) need the real Pulumi engine, which cannot be built on these machines (see README, Status).",
  ];
}

if (require.main === module) main();
