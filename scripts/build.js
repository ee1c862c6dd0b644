// Compiles the program, runner and toolchain to bin/ and the policy pack to policy/bin/, file by
// file and only what changed. No type checking here: `npm test` type-checks everything, and
// tsconfig's isolatedModules guarantees each file compiles on its own.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const UNITS = [
  { src: ".", out: "bin", entries: ["index.ts", "stacks", "components", "runner", "toolchain", "cluster"] },
  { src: "policy", out: "policy/bin", entries: ["index.ts", "pack.ts", "lib", "rules"] },
];
let ts; // loaded only when a file changed: it takes longer to load than a warm build takes
function compilerOptions() {
  return {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    sourceMap: true,
    resolveJsonModule: true,
  };
}

function sources(dir) {
  const stat = fs.statSync(dir);
  if (stat.isFile()) return dir.endsWith(".ts") && !dir.endsWith(".d.ts") ? [dir] : [];
  return fs.readdirSync(dir).flatMap((name) => (name === "node_modules" ? [] : sources(path.join(dir, name))));
}

function build() {
  let compiled = 0;
  for (const unit of UNITS) {
    const srcRoot = path.join(ROOT, unit.src);
    const outRoot = path.join(ROOT, unit.out);
    const wanted = new Set();
    for (const file of unit.entries.flatMap((e) => sources(path.join(srcRoot, e)))) {
      const out = path.join(outRoot, path.relative(srcRoot, file)).replace(/\.ts$/, ".js");
      wanted.add(out).add(`${out}.map`);
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(file).mtimeMs) continue;
      ts = ts || require("typescript");
      const result = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        compilerOptions: compilerOptions(),
        fileName: path.relative(path.dirname(out), file),
        reportDiagnostics: true,
      });
      const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")}`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, result.outputText);
      fs.writeFileSync(`${out}.map`, result.sourceMapText);
      compiled++;
    }
    removeOrphans(outRoot, wanted);
  }
  return compiled;
}

/** Output of a source that no longer exists would still load: remove it. */
function removeOrphans(dir, wanted) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removeOrphans(full, wanted);
    else if (/\.js(\.map)?$/.test(entry.name) && !wanted.has(full)) fs.rmSync(full);
  }
}

if (require.main === module) {
  try {
    const n = build();
    if (process.argv.includes("--verbose")) process.stdout.write(`build: ${n} files compiled\n`);
  } catch (err) {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exit(1);
  }
}
module.exports = { build };
