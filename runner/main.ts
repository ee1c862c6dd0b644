// `npm run platform -- <up|preview|destroy|refresh> --stack NAME [...]`: runs the real Pulumi
// engine on this project's program through the Automation API, with the toolchain built here.
import * as path from "path";
import * as readline from "readline";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { ensureToolchain, ToolchainError } from "../toolchain";
import { PROJECT_ROOT } from "../toolchain/paths";
import { parseArgs, RunnerArgs, UsageError, USAGE } from "./args";
import { humanSummary, kindsInState, OperationLog } from "./report";
import { ClusterAccessError, checkClusterAccess } from "./clusterAccess";
import { clusterTarget, InlineProgram, openStack } from "./stack";
import { policyOptions } from "./policy";
import { prStack, PR_STACK_COMMAND } from "./prStack";

/** The project folder the engine works in (Pulumi.yaml, stack files, state); tests point it at a copy. */
export function workDirectory(): string {
  return path.resolve(process.env.PLATFORM_WORK_DIR || PROJECT_ROOT);
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === PR_STACK_COMMAND) return prStack(argv.slice(1), workDirectory(), { execute, fail: (err) => fail(err, undefined) });
  let args: RunnerArgs;
  try {
    args = parseArgs(argv);
    if (!args.yes && args.command !== "preview" && !process.stdin.isTTY) {
      throw new UsageError(`${args.command} changes the stack: add --yes (there is no terminal to confirm in)`);
    }
  } catch (err) {
    return fail(err, undefined);
  }
  return execute(args);
}

/** Runs one command on one stack, with validated arguments. */
async function execute(args: RunnerArgs): Promise<number> {
  const workDir = workDirectory();
  process.chdir(workDir); // the program's relative paths (rendered/<stack>) are the engine's too
  const program = new InlineProgram();
  const log = new OperationLog();
  try {
    const toolchain = await ensureToolchain();
    const mustExistFor = args.command === "destroy" || args.command === "refresh" ? args.command : undefined;
    const stack = await openStack({ stack: args.stack, workDir, toolchain, program, mustExistFor });
    return await runCommand(stack, args, log);
  } catch (err) {
    return fail(err, program, args, log);
  }
}

async function runCommand(stack: Stack, args: RunnerArgs, log: OperationLog): Promise<number> {
  const policy = args.policy ? policyOptions(args.stack) : {};
  const opts = {
    onEvent: (e: EngineEvent) => log.onEvent(e),
    onOutput: args.json ? undefined : (text: string) => process.stdout.write(text),
    diff: args.diff,
    color: (process.stdout.isTTY ? "always" : "never") as "always" | "never",
    ...policy,
  };
  const target = await clusterTarget(stack);
  if (args.command === "refresh" && !target) {
    throw new UsageError(
      `refresh reads live objects, and stack "${args.stack}" renders manifests (no cluster.kubeconfig or cluster.context in its config): there is nothing to read`,
    );
  }
  if (target) await checkClusterAccess(target, process.cwd());
  // The file backend rewrites the whole state after every step (quadratic in the stack's size).
  // Render mode skips those intermediate checkpoints: a crash there loses nothing a re-run does
  // not rebuild. Deploy mode keeps them, so a crash never loses track of a live object.
  if (!target && process.env.PLATFORM_RENDER_CHECKPOINTS !== "all") stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
  // A preview changes nothing: only changes ask.
  if (!args.yes && args.command !== "preview" && !(await confirm(stack, args, opts))) return 1;
  // The Automation API's up skips the preview the CLI runs first, and only that preview refuses a
  // protected deletion before anything is deleted: run it whenever the state protects something.
  if (args.command === "up" && args.yes && (await protectsResources(stack))) {
    await stack.preview({ ...opts, onOutput: undefined, onEvent: undefined });
  }

  const result =
    args.command === "preview"
      ? await stack.preview(opts)
      : args.command === "up"
        ? await stack.up(opts)
        : args.command === "destroy"
          ? await stack.destroy(opts)
          : await stack.refresh(opts);
  const changes = "changeSummary" in result ? result.changeSummary : (result.summary.resourceChanges ?? {});

  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ stack: args.stack, command: args.command, ok: true, changes, operations: log.operations, policyViolations: log.policyViolations }, null, 2)}\n`,
    );
  } else if (args.command === "up") {
    const outputs = await stack.outputs();
    process.stdout.write(
      `${humanSummary({
        stack: args.stack,
        command: args.command,
        changes,
        kinds: await kindsInState(stack),
        renderedTo: outputs.renderedTo?.value,
        outputs,
        config: await stack.getAllConfig(),
      })}\n`,
    );
  }
  return 0;
}

async function protectsResources(stack: Stack): Promise<boolean> {
  const state = await stack.exportStack();
  return (state.deployment.resources ?? []).some((r: { protect?: boolean }) => r.protect);
}

/** Asks a person at a terminal before a change; shows what `up` would do first. */
async function confirm(stack: Stack, args: RunnerArgs, opts: object): Promise<boolean> {
  if (args.command === "up") await stack.preview(opts);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(`Do you want to ${args.command} stack "${args.stack}"? (yes/no) `, resolve));
  rl.close();
  return answer.trim().toLowerCase() === "yes";
}

/** One clear message and an exit code: 2 for usage, 1 for everything else. */
function fail(err: unknown, program: InlineProgram | undefined, args?: RunnerArgs, log?: OperationLog): number {
  const write = (text: string) => process.stderr.write(`${text}\n`);
  if (err instanceof UsageError) {
    write(`platform: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const mandatory = (log?.policyViolations ?? []).filter((v) => v.level === "mandatory");
  const message =
    err instanceof ToolchainError || err instanceof ClusterAccessError
      ? err.message
      : program?.configError
        ? program.configError.message
        : mandatory.length > 0
          ? `platform: ${args?.command} failed: ${mandatory.length} mandatory policy violation(s)\n` +
            mandatory.map((v) => `  [mandatory] ${v.policy} (${v.urn?.split("::").pop() ?? "stack"}): ${v.message}`).join("\n")
          : `platform: ${args?.command ?? "command"} failed\n${engineMessage(err)}`;
  write(message);
  if (args?.json) process.stdout.write(`${JSON.stringify({ stack: args.stack, command: args.command, ok: false, error: message })}\n`);
  return 1;
}

/** The engine's own errors, whole, without the Automation API's wrapping of the command output. */
export function engineMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split("\n").map((l) => l.trimEnd());
  // Each error is an "error:" line and the lines indented under it; the engine prints each twice
  // (as it happens and in its diagnostics): keep one of each.
  const blocks: string[] = [];
  const indent = (l: string) => l.length - l.trimStart().length;
  lines.forEach((line, i) => {
    // Diagnostics' errors, and the mandatory entries of the policy violations section.
    const m = /^(\s*)(error: |\[mandatory\])/.exec(line);
    if (!m) return;
    const block = [line.trim()];
    for (let j = i + 1; j < lines.length && lines[j].trim() && indent(lines[j]) >= m[1].length && !/^\s*(error:|warning:|\[\w+\])/.test(lines[j]); j++) {
      if (!/^\s*at .+:\d+:\d+\)?$/.test(lines[j])) block.push(`  ${lines[j].trim()}`); // no JS stack frames
    }
    blocks.push(block.join("\n"));
  });
  const unique = [...new Set(blocks)].filter((b) => !/^error: update failed$|^error: preview failed$/.test(b) || blocks.length === 1);
  return (unique.length > 0 ? unique : lines.slice(-15)).map((b) => `  ${b.replace(/\n/g, "\n  ")}`).join("\n");
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`platform: unexpected error: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
