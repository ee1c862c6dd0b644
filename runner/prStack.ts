// `npm run platform -- pr-stack <up|destroy> --pr N`: an ephemeral stack pr-<n> per pull request,
// made from dev's config with every namespace prefixed (runner/prConfig.ts), and removed with its
// state, stack file and rendered manifests when the PR closes. Never asks: the stack is throwaway.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { parsePlatformConfig, PlatformConfigError } from "../stacks/config";
import { renderDirectory } from "../stacks/platform";
import { ensureToolchain } from "../toolchain";
import { RunnerArgs, UsageError } from "./args";
import { GENERATED_HEADER, prConfig, prStackName } from "./prConfig";

export const PR_STACK_COMMAND = "pr-stack";
const ACTIONS = ["up", "destroy"] as const;
/** Config keys holding a map whose keys name teams: they are renamed, so they are parsed even when encrypted. */
const MAP_SECRETS = new Set(["registryRobots", "appPasswords"]);

export interface PrStackArgs {
  action: (typeof ACTIONS)[number];
  pr: number;
  withClusterComponents: boolean;
  policy: boolean;
  json: boolean;
}

/** What the runner lends this command: its own up/destroy of a stack, and its error report. */
export interface RunnerHooks {
  execute(args: RunnerArgs): Promise<number>;
  fail(err: unknown): number;
}

export function parsePrStackArgs(argv: readonly string[]): PrStackArgs {
  const [action, ...rest] = argv;
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`pr-stack needs an action: ${ACTIONS.join(" or ")}${action ? ` (got "${action}")` : ""}`);
  }
  const args: PrStackArgs = { action: action as PrStackArgs["action"], pr: 0, withClusterComponents: false, policy: false, json: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--pr" || arg.startsWith("--pr=")) {
      const value = arg === "--pr" ? rest[++i] : arg.slice("--pr=".length);
      if (args.pr) throw new UsageError("--pr is given twice");
      if (value === undefined || !/^[1-9]\d{0,8}$/.test(value)) {
        throw new UsageError(`--pr needs a pull request number, a positive whole number like 123${value === undefined ? "" : ` (got "${value}")`}`);
      }
      args.pr = Number(value);
    } else if (arg === "--stack" || arg.startsWith("--stack=")) {
      throw new UsageError("pr-stack works only on its own pr-<n> stacks: give --pr N, not --stack");
    } else if (arg === "--with-cluster-components") {
      args.withClusterComponents = true;
    } else if (arg === "--policy" || arg === "--json") {
      args[arg === "--policy" ? "policy" : "json"] = true;
    } else if (arg !== "--yes") {
      throw new UsageError(`unknown argument "${arg}" for pr-stack`);
    }
  }
  if (!args.pr) throw new UsageError("--pr N is required (the pull request number)");
  if (args.action === "destroy" && (args.policy || args.withClusterComponents)) {
    throw new UsageError(`${args.policy ? "--policy" : "--with-cluster-components"} applies to pr-stack up, not destroy`);
  }
  return args;
}

export async function prStack(argv: readonly string[], workDir: string, hooks: RunnerHooks): Promise<number> {
  let args: PrStackArgs;
  try {
    args = parsePrStackArgs(argv);
    refuseHandWritten(workDir, prStackName(args.pr));
  } catch (err) {
    return hooks.fail(err);
  }
  const log = (line: string) => process.stderr.write(`${line}\n`); // stdout stays the engine's (and --json's)
  try {
    process.chdir(workDir); // config paths (pluginsFile) resolve as the program will resolve them
    const toolchain = await ensureToolchain();
    const ws = await LocalWorkspace.create({ workDir, pulumiCommand: await PulumiCommand.get({ root: toolchain.root }), envVars: toolchain.env });
    return args.action === "up" ? await up(args, workDir, ws, hooks, log) : await destroy(args, workDir, ws, hooks, log);
  } catch (err) {
    if (err instanceof PlatformConfigError) {
      log(err.message);
      return 1;
    }
    return hooks.fail(err);
  }
}

/** A stack file named like a PR stack that pr-stack did not write is someone's own: never touched. */
function refuseHandWritten(workDir: string, stack: string): void {
  const file = stackFile(workDir, stack);
  if (fs.existsSync(file) && !fs.readFileSync(file, "utf8").startsWith(GENERATED_HEADER)) {
    throw new UsageError(
      `${path.basename(file)} was not written by pr-stack (it lacks the generated header): it is not a PR stack, so pr-stack leaves it alone. Nothing was changed.`,
    );
  }
}

async function up(args: PrStackArgs, workDir: string, ws: LocalWorkspace, hooks: RunnerHooks, log: (l: string) => void): Promise<number> {
  const stack = prStackName(args.pr);
  const dev = await devValues(workDir, ws);
  const pr = prConfig(dev.values, { pr: args.pr, withClusterComponents: args.withClusterComponents });
  if (pr.problems.length > 0) throw new PlatformConfigError(pr.problems, stack);
  const secretKeys = new Set([...dev.secretKeys].filter((k) => pr.values[k] !== undefined));
  // The whole config is checked before anything is written: bad config changes nothing.
  parsePlatformConfig(rawConfig(pr.values), new Set([...secretKeys].map((k) => `platform:${k}`)), stack);

  const plain = Object.fromEntries(Object.entries(pr.values).filter(([k]) => !secretKeys.has(k)));
  await writeStackFile(workDir, stack, plain, ws);
  if (secretKeys.size > 0) {
    if (!(await hasState(ws, stack))) await ws.createStack(stack); // gives the file its encryption salt
    const secrets = Object.fromEntries([...secretKeys].map((k) => [`platform:${k}`, { value: asText(pr.values[k]), secret: true }]));
    await ws.setAllConfig(stack, secrets);
  }
  const renamed = [...pr.namespaces].map(([from, to]) => `${from} -> ${to}`).join(", ");
  log(`pr-stack: ${stack} from dev's config (namespaces ${renamed}; ${args.withClusterComponents ? "with" : "without"} the CNI and log collector)`);
  return hooks.execute({ command: "up", stack, policy: args.policy, diff: false, json: args.json, yes: true });
}

async function destroy(args: PrStackArgs, workDir: string, ws: LocalWorkspace, hooks: RunnerHooks, log: (l: string) => void): Promise<number> {
  const stack = prStackName(args.pr);
  const exists = await hasState(ws, stack);
  if (exists) {
    // A fresh CI machine has no stack file: make it again (the program does not run on destroy).
    if (!fs.existsSync(stackFile(workDir, stack))) {
      const dev = await devValues(workDir, ws, { plainOnly: true });
      await writeStackFile(workDir, stack, prConfig(dev.values, { pr: args.pr, withClusterComponents: false }).values, ws);
    }
    const code = await hooks.execute({ command: "destroy", stack, policy: false, diff: false, json: args.json, yes: true });
    if (code !== 0) return code; // state and files stay, so the next destroy can finish the job
    await ws.removeStack(stack);
  }
  fs.rmSync(stackFile(workDir, stack), { force: true });
  fs.rmSync(path.join(workDir, renderDirectory(stack)), { recursive: true, force: true });
  log(
    exists
      ? `pr-stack: ${stack} destroyed and removed (state, ${path.basename(stackFile(workDir, stack))}, ${renderDirectory(stack)}/)`
      : `pr-stack: ${stack} has no state: nothing to destroy; its files are gone`,
  );
  return 0;
}

interface DevValues {
  values: Record<string, unknown>;
  /** Keys (without `platform:`) stored encrypted in dev. */
  secretKeys: Set<string>;
}

/** Dev's platform config; encrypted values are read through the engine (so the dev stack must exist). */
async function devValues(workDir: string, ws: LocalWorkspace, opts: { plainOnly?: boolean } = {}): Promise<DevValues> {
  const file = stackFile(workDir, "dev");
  if (!fs.existsSync(file)) throw new Error(`pr-stack: there is no Pulumi.dev.yaml in ${workDir}: PR stacks are made from dev's config`);
  const config: Record<string, unknown> = YAML.parse(fs.readFileSync(file, "utf8"))?.config ?? {};
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(config)) {
    if (!fullKey.startsWith("platform:")) continue;
    const key = fullKey.slice("platform:".length);
    if (value && typeof value === "object" && "secure" in value) secretKeys.add(key);
    else values[key] = value;
  }
  if (secretKeys.size === 0 || opts.plainOnly) return { values, secretKeys: opts.plainOnly ? new Set() : secretKeys };
  if (!(await hasState(ws, "dev"))) {
    throw new Error(
      `pr-stack: Pulumi.dev.yaml holds encrypted values (${[...secretKeys].join(", ")}), and only the dev stack can decrypt them, but it has no state in this backend: run \`npm run platform -- up --stack dev\` first`,
    );
  }
  const decrypted = await ws.getAllConfig("dev");
  for (const key of secretKeys) {
    const text = decrypted[`platform:${key}`]?.value ?? "";
    values[key] = MAP_SECRETS.has(key) ? parseJson(text) : text;
  }
  return { values, secretKeys };
}

/** Writes Pulumi.pr-<n>.yaml: the generated header, the plain config, and the stack's encryption salt. */
async function writeStackFile(workDir: string, stack: string, values: Record<string, unknown>, ws: LocalWorkspace): Promise<void> {
  const file = stackFile(workDir, stack);
  const previous = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) : {};
  // Secrets already in the state stay readable only with the same key: keep the file's secrets
  // settings, or take the salt from the state when the file is gone (a fresh CI machine).
  const kept = Object.fromEntries(["secretsprovider", "encryptedkey", "encryptionsalt"].filter((k) => previous[k]).map((k) => [k, previous[k]]));
  if (!kept.encryptionsalt && !kept.encryptedkey) {
    const salt = await stateSalt(ws, stack);
    if (salt) kept.encryptionsalt = salt;
  }
  const doc = { config: Object.fromEntries(Object.entries(values).map(([k, v]) => [`platform:${k}`, v])), ...kept };
  fs.writeFileSync(file, `${GENERATED_HEADER}\n${YAML.stringify(doc)}`);
}

async function hasState(ws: LocalWorkspace, stack: string): Promise<boolean> {
  return (await ws.listStacks()).some((s) => s.name === stack);
}

async function stateSalt(ws: LocalWorkspace, stack: string): Promise<string | undefined> {
  if (!(await hasState(ws, stack))) return undefined;
  const state = await ws.exportStack(stack);
  return (state.deployment as any)?.secrets_providers?.state?.salt;
}

function stackFile(workDir: string, stack: string): string {
  return path.join(workDir, `Pulumi.${stack}.yaml`);
}

/** Values as the engine hands them to the program: strings stay, structured values are JSON. */
function rawConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`platform:${k}`, asText(v)]));
}

function asText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
