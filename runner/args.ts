// Parses `platform <command> --stack NAME [flags]`; every problem is a UsageError with one clear line.
export const COMMANDS = ["up", "preview", "destroy", "refresh"] as const;
export type Command = (typeof COMMANDS)[number];

export interface RunnerArgs {
  command: Command;
  stack: string;
  /** Run the policy pack with policy/config/<stack>.json. */
  policy: boolean;
  /** Show the engine's property-level diff. */
  diff: boolean;
  /** Print the change summary and the resource operations as JSON, instead of progress lines. */
  json: boolean;
  /** Change without asking (the only way to change from a script). */
  yes: boolean;
}

export const USAGE = `usage: npm run platform -- <${COMMANDS.join("|")}> --stack NAME [--policy] [--diff] [--json] [--yes]

  up        create or update the stack's objects (render mode without a kubeconfig)
  preview   show what up would change; changes nothing
  destroy   delete every object of the stack
  refresh   read the live objects back into the state (deploy mode only)

  --stack NAME  the stack: its settings are Pulumi.NAME.yaml
  --policy      run the policy pack with policy/config/NAME.json
  --diff        show property-level changes
  --json        print the change summary and each resource operation as JSON
  --yes         up/destroy/refresh without asking

usage: npm run platform -- pr-stack <up|destroy> --pr N [--with-cluster-components] [--policy] [--json]

  pr-stack up       create or update stack pr-N from dev's config, every namespace prefixed pr-N-
  pr-stack destroy  destroy stack pr-N and remove its state, Pulumi.pr-N.yaml and rendered/pr-N

  --pr N                     the pull request number (a positive whole number)
  --with-cluster-components  also install the CNI and the log collector (a cluster of the PR's own)`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const FLAGS = new Set(["--policy", "--diff", "--json", "--yes"]);

/** Stack names the engine accepts for a local backend: letters, digits, `-`, `_`, `.`. */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseArgs(argv: readonly string[]): RunnerArgs {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") throw new UsageError("a command is required");
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command "${command}" (commands: ${COMMANDS.join(", ")})`);
  }
  const args: RunnerArgs = { command: command as Command, stack: "", policy: false, diff: false, json: false, yes: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--stack" || arg.startsWith("--stack=")) {
      const value = arg === "--stack" ? rest[++i] : arg.slice("--stack=".length);
      if (!value || value.startsWith("--")) throw new UsageError("--stack needs a stack name");
      if (args.stack) throw new UsageError("--stack is given twice");
      args.stack = value;
    } else if (FLAGS.has(arg)) {
      const key = arg.slice(2) as "policy" | "diff" | "json" | "yes";
      args[key] = true;
    } else {
      throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  if (!args.stack) throw new UsageError("--stack NAME is required");
  if (!STACK_NAME.test(args.stack)) throw new UsageError(`"${args.stack}" is not a valid stack name (letters, digits, -, _, .)`);
  if (args.policy && args.command !== "up" && args.command !== "preview") {
    throw new UsageError(`--policy applies to up and preview, not ${args.command}`);
  }
  return args;
}
