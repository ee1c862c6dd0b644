// The engine's side of CrossGuard, for unit tests: it resolves levels and settings from a
// --policy-pack-config file, hands each policy resource props in the wire form the engine sends
// (secrets unwrapped, unknowns as the engine's sentinel), and decodes them with @pulumi/policy's
// own deserializer and unknown-checking proxy, so rules meet exactly what a real preview gives them.
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "../../policy/node_modules/@pulumi/policy";
import { PACK_NAME, policies } from "../../policy/pack";
import { ROOT, Registered } from "../../testing/harness";

const POLICY_LIB = path.join(ROOT, "policy/node_modules/@pulumi/policy");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy, UnknownValueError } = require(POLICY_LIB) as typeof import("../../policy/node_modules/@pulumi/policy");
// Internal module of the pinned @pulumi/policy version: the deserializer its gRPC server uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties } = require(path.join(POLICY_LIB, "deserialize")) as {
  deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, any>;
};

/** What the engine sends for a value it cannot know during preview (a computed output). */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Put this in fixture props where a real preview would have an unknown value. */
export const UNKNOWN = Symbol("unknown during preview");

type Level = "advisory" | "mandatory" | "remediate" | "disabled";
type Entry = Level | ({ enforcementLevel?: Level } & Record<string, unknown>);
export type PackConfig = Record<string, Entry>;

export interface Diagnostic {
  policyName: string;
  enforcementLevel: Level;
  message: string;
  urn: string;
}

export interface PackResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  urn?: string;
}

export function loadPolicyConfig(env: string): PackConfig {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "policy/config", `${env}.json`), "utf8"));
}

interface Resolved {
  level: Level;
  props: Record<string, unknown>;
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Each policy's settings schema, compiled once (the shape tests resolve configs hundreds of times). */
function validatorOf(p: (typeof policies)[number]) {
  let v = validators.get(p.name);
  if (!v) {
    v = ajv.compile({ type: "object", properties: p.configSchema?.properties ?? {}, required: p.configSchema?.required ?? [], additionalProperties: false });
    validators.set(p.name, v);
  }
  return v;
}

/**
 * Per policy: its level (its own entry, else "all", else the policy's default) and its settings,
 * defaults applied and checked against its configSchema. Unlike the engine, unknown settings and
 * entries naming no policy are errors here, so a typo in a config file fails the tests.
 */
export function resolveConfig(config: PackConfig): Map<string, Resolved> {
  const names = new Set(policies.map((p) => p.name));
  const stray = Object.keys(config).filter((k) => k !== "all" && !names.has(k));
  if (stray.length) throw new Error(`policy config names unknown policies: ${stray.join(", ")}`);
  const levelOf = (e: Entry | undefined) => (typeof e === "string" ? e : e?.enforcementLevel);
  const out = new Map<string, Resolved>();
  for (const p of policies) {
    const entry = config[p.name];
    const { enforcementLevel: _level, ...props } = typeof entry === "object" ? entry : {};
    const validate = validatorOf(p);
    if (!validate(props)) throw new Error(`policy config for ${p.name}: ${ajv.errorsText(validate.errors)}`);
    out.set(p.name, { level: levelOf(entry) ?? levelOf(config.all) ?? p.enforcementLevel ?? "advisory", props });
  }
  return out;
}

/** Resource props as the engine puts them on the wire: no undefined, unknowns as the sentinel. */
function toWire(v: unknown): unknown {
  if (v === UNKNOWN || pulumi.isUnknown(v)) return UNKNOWN_SENTINEL;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toWire(x)));
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, toWire(x)]),
    );
  }
  return v;
}

/** What a policy receives as `props`: decoded by @pulumi/policy (secrets revealed), behind its unknown-checking proxy. */
function decode(props: Record<string, unknown>): Record<string, any> {
  const wire = toWire(props);
  return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => wire }, false));
}

const urnOf = (r: PackResource) => r.urn ?? `urn:pulumi:test::platform::${r.type}::${r.name}`;

/** Runs every enabled policy like `pulumi preview --policy-pack`: each resource, then the stack. */
export async function analyze(resources: PackResource[], config: PackConfig): Promise<Diagnostic[]> {
  const resolved = resolveConfig(config);
  const out: Diagnostic[] = [];
  for (const p of policies) {
    const { level, props: settings } = resolved.get(p.name)!;
    if (level === "disabled") continue;
    const enforcementLevel = level === "remediate" ? "mandatory" : level;
    const common = { stackTags: new Map<string, string>(), getConfig: <T>() => settings as T, notApplicable: notApplicable };
    const guarded = async (urn: string, run: (report: (message: string, urn?: string) => void) => unknown) => {
      try {
        await run((message, at) => out.push({ policyName: p.name, enforcementLevel, message, urn: at ?? urn }));
      } catch (e) {
        // The analyzer's own handling: a rule that touches an unknown value is skipped, with a note.
        if (!(e instanceof UnknownValueError)) throw e;
        out.push({
          policyName: p.name,
          enforcementLevel: "advisory",
          message: `can't run policy '${p.name}' from policy pack '${PACK_NAME}' during preview: ${(e as Error).message}`,
          urn,
        });
      }
    };
    if ("validateResource" in p && p.validateResource) {
      const validations = ([] as unknown[]).concat(p.validateResource) as NonNullable<ResourceValidationPolicy["validateResource"]>[];
      for (const r of resources) {
        for (const validate of validations as any[]) {
          await guarded(urnOf(r), (report) => validate({ ...common, ...resourceArgs(r) }, report));
        }
      }
    }
    if ("validateStack" in p) {
      const stack = resources.map((r) => resourceArgs(r) as PolicyResource);
      await guarded("", (report) => (p as StackValidationPolicy).validateStack({ ...common, resources: stack }, report));
    }
  }
  return out;
}

function resourceArgs(r: PackResource) {
  const never = () => {
    throw new Error("rules must not use isType/asType: the pack's @pulumi/pulumi is not the program's");
  };
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    props: decode(r.props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    isType: never,
    asType: never,
  };
}

function notApplicable(reason?: string): never {
  throw new Error(`notApplicable is not used by this pack (${reason})`);
}

/** The program's registered resources, as the engine would hand them to the pack. */
export function fromProgram(registered: Registered[]): PackResource[] {
  return registered.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
}

/** One line per diagnostic, like the CLI prints them. */
export const format = (d: Diagnostic) => `[${d.enforcementLevel}] ${d.policyName} (${d.urn.split("::").slice(-2).join("::")}): ${d.message}`;
