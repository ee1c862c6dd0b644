// `npm run pulumi -- <args>`: the CLI this project provides, with the same environment the runner
// uses (this clone's plugins and state, offline settings), e.g. `config set`, `stack output`, `stack export`.
import { spawnSync } from "child_process";
import { ensureToolchain, ToolchainError } from "../toolchain";
import { workDirectory } from "./main";

async function main(args: string[]): Promise<number> {
  try {
    const tc = await ensureToolchain();
    const result = spawnSync(tc.pulumi, args, { cwd: workDirectory(), env: { ...process.env, ...tc.env }, stdio: "inherit" });
    return result.status ?? 1;
  } catch (err) {
    process.stderr.write(`${err instanceof ToolchainError ? err.message : (err as Error).stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
