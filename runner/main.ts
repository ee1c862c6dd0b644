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

/** The project folder the engine works in (Pulumi.yaml, stack files, state); tests point it at a copy. */
export function workDirectory(): string {
  return path.resolve(process.env.PLATFORM_WORK_DIR || PROJECT_ROOT);
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: RunnerArgs;
  try {
    args = parseArgs(argv);
    if (!args.yes && args.command !== "preview" && !process.stdin.isTTY) {
      throw new UsageError(`${args.command} changes the stack: add --yes (there is no terminal to confirm in)`);
    }
  } catch (err) {
    return fail(err, undefined);
  }
  const workDir = workDirectory();
  process.chdir(workDir); // the program's relative paths (rendered/<stack>) are the engine's too
  const program = new InlineProgram();
  try {
    const toolchain = await ensureToolchain();
    const mustExistFor = args.command === "destroy" || args.command === "refresh" ? args.command : undefined;
    const stack = await openStack({ stack: args.stack, workDir, toolchain, program, mustExistFor });
    return await runCommand(stack, args);
  } catch (err) {
    return fail(err, program, args);
  }
}

async function runCommand(stack: Stack, args: RunnerArgs): Promise<number> {
  const log = new OperationLog();
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
    throw new UsageError(`refresh reads live objects, and stack "${args.stack}" renders manifests (no cluster.kubeconfig or cluster.context in its config): there is nothing to read`);
  }
  if (target) await checkClusterAccess(target, process.cwd());
  if (!args.yes && !(await confirm(stack, args, opts))) return 1;

  const result = args.command === "preview" ? await stack.preview(opts)
    : args.command === "up" ? await stack.up(opts)
    : args.command === "destroy" ? await stack.destroy(opts)
    : await stack.refresh(opts);
  const changes = "changeSummary" in result ? result.changeSummary : (result.summary.resourceChanges ?? {});

  if (args.json) {
    process.stdout.write(`${JSON.stringify({ stack: args.stack, command: args.command, ok: true, changes, operations: log.operations, policyViolations: log.policyViolations }, null, 2)}\n`);
  } else if (args.command === "up") {
    const outputs = await stack.outputs();
    process.stdout.write(`${humanSummary({
      stack: args.stack, command: args.command, changes, kinds: await kindsInState(stack),
      renderedTo: outputs.renderedTo?.value, outputs, config: await stack.getAllConfig(),
    })}\n`);
  }
  return 0;
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
function fail(err: unknown, program: InlineProgram | undefined, args?: RunnerArgs): number {
  const write = (text: string) => process.stderr.write(`${text}\n`);
  if (err instanceof UsageError) {
    write(`platform: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (err instanceof ToolchainError || err instanceof ClusterAccessError) write(err.message);
  else if (program?.configError) write(program.configError.message);
  else write(`platform: ${args?.command ?? "command"} failed\n${engineMessage(err)}`);
  if (args?.json) process.stdout.write(`${JSON.stringify({ stack: args.stack, command: args.command, ok: false, error: (err as Error).message })}\n`);
  return 1;
}

/**
 * The engine's own error lines, without the Automation API's wrapping of the whole command output:
 * each `error:` line with the lines that continue it (`* ...` details, "because it is protected"),
 * each distinct line once (the engine prints them in its progress and again in its diagnostics).
 */
export function engineMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split("\n").map((l) => l.trimEnd());
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*error:/.test(lines[i]) && !/mandatory policy violation|\[mandatory\]/i.test(lines[i])) continue;
    kept.push(lines[i]);
    const indent = lines[i].search(/\S/);
    while (i + 1 < lines.length && continues(lines[i + 1], indent)) kept.push(lines[++i]);
  }
  const distinct = [...new Set(kept)];
  return (distinct.length > 0 ? distinct : lines.slice(-15)).join("\n");
}

/** A line that continues an error message: as indented as the error, not blank, not the next message or resource. */
function continues(line: string, indent: number): boolean {
  if (!line.trim() || line.search(/\S/) < indent) return false;
  return !/^\s*(error|warning|info):/.test(line) && !/^\s*\S+ \(.*\):$/.test(line);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`platform: unexpected error: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
