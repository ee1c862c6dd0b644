// `npm run toolchain`: builds (or finds) the Pulumi CLI and provider plugins, and says where they are.
import { ensureToolchain, ToolchainError } from "./index";

async function main(): Promise<number> {
  const started = Date.now();
  try {
    const tc = await ensureToolchain();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`toolchain ready in ${seconds}s\n  cli: ${tc.pulumi}\n  plugins: ${tc.env.PULUMI_HOME}/plugins\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof ToolchainError ? err.message : (err as Error).stack}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
