// Runs the real program under Pulumi mocks and records every registered resource with its
// inputs and the options the mocks API does not expose (parent, protect, retainOnDelete).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { parsePlatformConfig, PlatformConfigError } from "../stacks/config";

export const ROOT = path.resolve(__dirname, "..");

// Reading what a run recorded (secrets, kinds, names) lives in ./query; re-exported for one import.
export { find, isSecret, kubernetesObjects, ofKind, plainStrings, reveal } from "./query";

export interface Registered {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, any>;
  custom: boolean;
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  dependsOn: string[];
}

export interface StackConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

/**
 * Reads Pulumi.<stack>.yaml the way the engine hands config to a program: scalars as text,
 * structured values as JSON. Encrypted values cannot be decrypted here: they become
 * `test-secret:<key>` and stay marked secret, which is what the program sees at run time.
 */
export function loadStackConfig(stack: string, dir = ROOT): StackConfig {
  const doc = YAML.parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"));
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries<any>(doc.config ?? {})) {
    if (value && typeof value === "object" && "secure" in value) {
      config[key] = `test-secret:${key}`;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/** A copy of a stack's config with structured changes applied to parsed values. */
export function withConfig(base: StackConfig, edit: (values: Record<string, any>) => void, secrets: Record<string, string> = {}): StackConfig {
  const values: Record<string, any> = {};
  for (const [k, v] of Object.entries(base.config)) values[k.replace(/^platform:/, "")] = parse(v);
  edit(values);
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) config[`platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  }
  for (const [k, v] of Object.entries(secrets)) config[`platform:${k}`] = v;
  return { config, secretKeys: [...base.secretKeys, ...Object.keys(secrets).map((k) => `platform:${k}`)] };
}

/** The problems config validation reports for `cfg` (empty when it is valid). */
export function problemsOf(cfg: StackConfig): string[] {
  try {
    parsePlatformConfig(cfg.config, new Set(cfg.secretKeys), "test");
    return [];
  } catch (e) {
    if (e instanceof PlatformConfigError) return e.problems;
    throw e;
  }
}

/** What the provider would compute: a RandomPassword's `result` (deterministic, `length` characters); undefined for everything else. */
function computedOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> | undefined {
  if (type !== "random:index/randomPassword:RandomPassword") return undefined;
  const length = Number(inputs.length ?? 16);
  const seed = crypto.createHash("sha256").update(JSON.stringify(inputs)).digest("hex");
  return { result: seed.repeat(Math.ceil(length / seed.length)).slice(0, length) };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Runs the program for `stack` with the given config and returns what it registered.
 * `registered` collects resources as they arrive, so a caller can see what a failing run left.
 */
export async function runProgram(
  stack: string,
  cfg: StackConfig = loadStackConfig(stack),
  registered?: Registered[],
  opts: RunOptions = {},
): Promise<Registered[]> {
  return (await runStack(stack, cfg, registered, opts)).resources;
}

export interface RunOptions {
  /** Run as `pulumi preview` of a new stack: what providers compute (a RandomPassword's result) stays unknown. */
  preview?: boolean;
  /** Called as each resource is recorded (the benchmark notes when, to register its floor alike). */
  onRegister?: (r: Registered) => void;
}

type RecordedOptions = Pick<Registered, "parent" | "protect" | "retainOnDelete" | "dependsOn">;

/**
 * Pulumi mocks that record every registration into `registered`, with the options the mocks API
 * does not expose. The program and the benchmark's floor both register through these.
 */
export async function installRecordingMocks(stack: string, cfg: StackConfig, registered: Registered[], opts: RunOptions = {}): Promise<void> {
  // The registration being mocked: MockMonitor calls newResource synchronously from
  // registerResource (wrapped below), so no lookup table is needed to pair the two.
  let current: { options: RecordedOptions; record?: Registered } | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const registration = current;
        if (args.type === pulumi.runtime.rootPulumiStackTypeName) return { id: undefined, state: {} }; // the engine's root, not the program's
        if (!registration) throw new Error(`${args.type} ${args.name}: only registrations are recorded (no reads of existing resources)`);
        const r: Registered = { type: args.type, name: args.name, urn: "", inputs: args.inputs, custom: !!args.custom, ...registration.options };
        registration.record = r;
        registered.push(r);
        opts.onRegister?.(r);
        const computed = opts.preview ? undefined : computedOutputs(args.type, args.inputs);
        return { id: args.custom ? `${args.name}-id` : undefined, state: computed ? { ...args.inputs, ...computed } : args.inputs };
      },
      call: (args) => args.inputs,
    },
    "platform",
    stack,
    !!opts.preview,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const registration: NonNullable<typeof current> = {
      options: { parent: req.getParent(), protect: req.getProtect(), retainOnDelete: req.getRetainondelete(), dependsOn: req.getDependenciesList() },
    };
    current = registration;
    try {
      return register(req, (err: any, res: any) => {
        if (res && registration.record) registration.record.urn = res.getUrn();
        callback(err, res);
      });
    } finally {
      current = undefined;
    }
  };
  pulumi.runtime.setAllConfig(cfg.config, cfg.secretKeys);
}

/**
 * Runs `body` under a root Stack resource, as the engine runs every program: top-level resources
 * get it as their parent, so, as in a real run, every resource stays reachable from the root until
 * the program ends. Without it, resources registered flat (the benchmark's floor) were garbage as
 * soon as they were answered, while the program's stayed reachable through their components, and
 * the two were not measured alike (docs/PERFORMANCE.md). The root is not recorded.
 */
export async function underRootStack<T>(body: () => Promise<T>): Promise<T> {
  // The body's failure is kept out of the root's initialisation, where the SDK would report it
  // as an unhandled rejection instead of to the caller.
  let outcome = { ok: false, error: new Error("the root stack never ran the program") } as { ok: true; value: T } | { ok: false; error: unknown };
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      outcome = { ok: true, value: await body() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    return undefined;
  });
  await waitForRegistrations();
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

type StackRun = Awaited<ReturnType<typeof runProgramOnce>>;

/**
 * Runs of one test file, by stack, config and mode. The program is a function of these, so a file
 * that asserts on dev ten times runs it once. The recorded resources are frozen: no test can change
 * what another one reads.
 */
const runs = new Map<string, Promise<StackRun>>();

/** Like runProgram, also returning the program's outputs (what index.ts exports). */
export async function runStack(stack: string, cfg: StackConfig = loadStackConfig(stack), registered?: Registered[], opts: RunOptions = {}): Promise<StackRun> {
  // A caller that watches registrations as they come (a failing run's leftovers, the bench) gets its own run.
  if (registered || opts.onRegister) return runProgramOnce(stack, cfg, registered ?? [], opts);
  const key = JSON.stringify([stack, cfg, !!opts.preview]);
  let run = runs.get(key);
  if (!run) {
    run = runProgramOnce(stack, cfg, [], opts).then((result) => ({ ...result, resources: deepFreeze(result.resources) }));
    runs.set(key, run);
    // A failed run is not remembered: its error is the caller's to see, once.
    run.catch(() => runs.delete(key));
  }
  return run;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

async function runProgramOnce(stack: string, cfg: StackConfig, registered: Registered[], opts: RunOptions) {
  await installRecordingMocks(stack, cfg, registered, opts);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require("../stacks") as typeof import("../stacks");
  const warnings = await capturingWarnings(() => underRootStack(run));
  const program = warnings.result;
  const outputs = {
    ...program,
    teamNamespaces: await Promise.all(program.teamNamespaces.map(outputValue)),
  };
  return { resources: registered, outputs, warnings: warnings.messages };
}

/**
 * The warnings the program gives: a CNI without NetworkPolicy (test/network.test.ts asserts when),
 * HPAs without metrics-server (test/monitoring.test.ts), an acknowledged in-cluster log store in prod (test/logStore.test.ts).
 */
export const EXPECTED_WARNING = new RegExp(
  [
    /^[a-z]+ does not enforce NetworkPolicy: team namespaces are not isolated from each other$/,
    /^HorizontalPodAutoscalers need the resource metrics API: /,
    /^logging\.store: the in-cluster Elasticsearch is a single node /,
  ]
    .map((r) => r.source)
    .join("|"),
);

/**
 * Runs the program with its pulumi.log warnings (console.warn without an engine) collected instead
 * of printed, so a passing run stays quiet. A warning nobody expects fails the run rather than
 * scrolling past.
 */
async function capturingWarnings<T>(body: () => Promise<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    messages.push(
      args
        .map(String)
        .join(" ")
        .replace(/^warning: \[runtime\] /, ""),
    );
  };
  try {
    const result = await body();
    const unexpected = messages.filter((m) => !EXPECTED_WARNING.test(m));
    if (unexpected.length) throw new Error(`the program warned unexpectedly:\n${unexpected.join("\n")}`);
    return { result, messages };
  } finally {
    console.warn = original;
  }
}

export function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Resolves once every registration started so far has been answered. */
export async function waitForRegistrations(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}
