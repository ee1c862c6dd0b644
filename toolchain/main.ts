// `npm run toolchain`: builds (or finds) the Pulumi CLI, the provider plugins and actionlint, and says where they are.
import { ensureToolchain, ensureTools, ToolchainError } from "./index";

async function main(): Promise<number> {
  const started = Date.now();
  try {
    // --tools-only: a CI job that runs unit tests (the workflow lint) but never the engine.
    const toolsOnly = process.argv.includes("--tools-only");
    const [tc, tools] = await Promise.all([toolsOnly ? undefined : ensureToolchain(), ensureTools()]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const engineLines = tc ? `  cli: ${tc.pulumi}\n  plugins: ${tc.env.PULUMI_HOME}/plugins\n` : "";
    const toolLines = Object.entries(tools)
      .map(([name, binary]) => `  ${name}: ${binary}\n`)
      .join("");
    process.stdout.write(`toolchain ready in ${seconds}s\n${engineLines}${toolLines}`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof ToolchainError ? err.message : (err as Error).stack}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
