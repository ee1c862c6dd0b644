// `npm run bench`: program evaluation under mocks (CPU and wall time, peak memory, growth with
// size) beside its floors, and TypeScript start-up modes; writes docs/PERFORMANCE.md.
// `npm run bench -- --quick`: dev, prod and 10 teams only, prints the table, writes nothing tracked.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "../testing/harness";
import { benchCases, CaseResult, describeResult, RunContext, RUNNERS } from "./cases";
import { resultTable, StartupRow, targetVerdicts, writeReport } from "./report";

// Cases run precompiled JavaScript: the fastest start-up mode (see the start-up table), and
// without ts-node's source-map support remapping every stack trace the SDK captures per resource.
const EVALUATE_JS = path.join(ROOT, "bin", "bench", "evaluate.js");
const SOURCES = ["index.ts", "stacks", "components", "bench", "testing"];

/** Transpiles what the bench runs into bin/ (git-ignored). Type checking is `npm test`'s job, and takes longer than a quick run. */
function transpile(): void {
  const { config } = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const files = SOURCES.flatMap((s) =>
    s.endsWith(".ts") ? [s] : ts.sys.readDirectory(path.join(ROOT, s), [".ts"], ["**/*.d.ts"]).map((f) => path.relative(ROOT, f)),
  );
  for (const file of files) {
    const out = ts.transpileModule(fs.readFileSync(path.join(ROOT, file), "utf8"), { compilerOptions: { ...options, sourceMap: false }, fileName: file });
    const target = path.join(ROOT, "bin", file.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
}

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The same dev evaluation with type-checking ts-node, transpile-only ts-node and precompiled JavaScript. */
function startupModes(ctx: RunContext): StartupRow[] {
  const evaluateTs = path.join(__dirname, "evaluate.ts");
  const modes: Array<[string, string[]]> = [
    ["ts-node (type-check)", ["-r", "ts-node/register", evaluateTs]],
    ["ts-node transpile-only", ["-r", "ts-node/register/transpile-only", evaluateTs]],
    ["precompiled JavaScript", [ctx.evaluateJs]],
  ];
  const args = ["program", path.join(ctx.work, "dev.json"), "dev", path.join(ctx.work, "startup-recording.json")];
  return modes.map(([label, modeArgs]) => {
    const runs = [0, 1, 2].map(() => wallMs([...modeArgs, ...args])).sort((a, b) => a - b);
    process.stdout.write(`start-up, ${label}: ${runs[1].toFixed(0)} ms (whole process, dev)\n`);
    return { label, ms: runs[1] };
  });
}

function main(): void {
  const quick = process.argv.includes("--quick");
  const started = new Date();
  const loadBefore = os.loadavg();
  transpile();
  const ctx: RunContext = { work: fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-")), evaluateJs: EVALUATE_JS };
  try {
    const cases = benchCases(quick);
    const results: CaseResult[] = [];
    cases.forEach((c, i) => {
      const caseStart = Date.now();
      process.stdout.write(
        `[${i + 1}/${cases.length}] ${c.name} (${c.kind}, ${c.repeats}x program + floor${c.genericFloor ? " + generic floor" : ""}${c.warmRepeats ? `, ${c.warmRepeats}x warm` : ""}) ...\n`,
      );
      const result = RUNNERS[c.kind](c, ctx);
      results.push(result);
      process.stdout.write(`[${i + 1}/${cases.length}] ${describeResult(result)} (${((Date.now() - caseStart) / 1000).toFixed(0)} s)\n`);
    });
    process.stdout.write(["", ...resultTable(results), ""].join("\n") + "\n");
    if (quick) {
      process.stdout.write(`- ${targetVerdicts(results)[0]}\n(quick run: nothing written)\n`);
      return;
    }
    const startup = startupModes(ctx);
    writeReport(results, startup, { started, loadBefore, loadAfter: os.loadavg() });
    process.stdout.write("wrote docs/PERFORMANCE.md and docs/performance.svg\n");
  } finally {
    fs.rmSync(ctx.work, { recursive: true, force: true });
  }
}

if (require.main === module) main();
