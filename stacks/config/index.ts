// The only place that reads stack config: it reads the whole `platform:` namespace, validates it at
// once and either returns a typed config or throws one error listing every problem.
import { z } from "zod";
import * as pulumi from "@pulumi/pulumi";
import { appsSchema } from "./apps";
import { clusterSchema } from "./cluster";
import { checkPlatform } from "./crossChecks";
import { formatIssues, NAMESPACE, PlatformConfigError } from "./errors";
import { namespaceProblem } from "./namespaces";
import { loggingSchema } from "./logging";
import { checkLogStore } from "./logStore";
import { checkMonitoring, monitoringSchema } from "./monitoring";
import { harborSchema } from "./harbor";
import { jenkinsSchema } from "./jenkins";
import { credential, harborSecretKey, registryRobots } from "./credentials";
import { jobsSchema } from "./jobs";
import { meshSchema } from "./mesh";
import { ALWAYS, reporter } from "./salvage";
import { checkScope, scopeSchema } from "./scope";
import { teamsSchema } from "./teams";

/** Keys that hold credentials: they must be stored encrypted (`pulumi config set --secret`). */
export const SECRET_KEYS = [
  "loggingPassword",
  "appPasswords",
  "jenkinsAdminPassword",
  "harborAdminPassword",
  "harborSecretKey",
  "harborDatabasePassword",
  "harborRedisPassword",
  "registryRobots",
] as const;
/** Keys whose value is a plain string even when it looks like JSON (a password "12345" stays a string). */
const STRING_KEYS = new Set<string>([
  "environment",
  "scope",
  "loggingPassword",
  "jenkinsAdminPassword",
  "harborAdminPassword",
  "harborSecretKey",
  "harborDatabasePassword",
  "harborRedisPassword",
]);

const secret = z.string().min(1);

export const platformSchema = z
  .strictObject({
    environment: z.enum(["dev", "prod"]),
    /** "teams": only team namespaces, apps and admin processes; the cluster-wide services are another stack's (stacks/config/scope.ts). */
    scope: scopeSchema,
    cluster: clusterSchema,
    logging: loggingSchema,
    teams: teamsSchema,
    apps: appsSchema,
    /** Admin processes: one-off Jobs and CronJobs from an app's own release (stacks/config/jobs.ts). */
    jobs: jobsSchema,
    /** The Istio service mesh, opt-in (stacks/config/mesh.ts). */
    mesh: meshSchema.optional(),
    loggingPassword: secret.optional(),
    /** Supplied passwords for stateful apps, by "<team>/<app>"; others are generated. */
    appPasswords: z.record(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { error: 'keys are "<team>/<app>"' }), secret).default({}),
    jenkins: jenkinsSchema.optional(),
    harbor: harborSchema.optional(),
    /** Generated with @pulumi/random when not supplied. */
    jenkinsAdminPassword: credential.optional(),
    harborAdminPassword: credential.optional(),
    harborSecretKey: harborSecretKey.optional(),
    /** Required with an external Harbor database / Redis. */
    harborDatabasePassword: credential.optional(),
    harborRedisPassword: credential.optional(),
    registryRobots: registryRobots,
    monitoring: monitoringSchema.optional(),
  })
  .superRefine(checkPlatform, ALWAYS)
  .superRefine((c, ctx) => {
    checkMonitoring(c, reporter(ctx));
    checkLogStore(c, reporter(ctx));
    checkScope(c, reporter(ctx));
  }, ALWAYS);

export type PlatformConfig = z.infer<typeof platformSchema>;

/** The platform namespace's top-level keys, from the schema: one list. */
const PLATFORM_KEYS: ReadonlySet<string> = new Set(Object.keys(platformSchema.shape));

/** Raw stack config (`platform:key` -> string, as the engine passes it) to validated config. */
export function parsePlatformConfig(raw: Record<string, string>, secretKeys: ReadonlySet<string>, stack: string): PlatformConfig {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw)) {
    const [ns, key] = splitKey(fullKey);
    if (ns !== NAMESPACE) {
      const problem = namespaceProblem(fullKey, PLATFORM_KEYS);
      if (problem) problems.push(problem);
      continue;
    }
    values[key] = STRING_KEYS.has(key) ? text : parseValue(text);
    if ((SECRET_KEYS as readonly string[]).includes(key) && !secretKeys.has(fullKey)) {
      problems.push(`${fullKey}: holds a credential and must be stored encrypted: pulumi config set --secret ${fullKey} <value>`);
    }
  }
  // Parsed once per run: zod's JIT (a parser compiled per object schema on first use) costs more
  // than it saves here. First parse, JIT -> jitless: 44 -> 22 ms (dev), 56 -> 13 ms (prod).
  const result = platformSchema.safeParse(values, { reportInput: true, jitless: true });
  if (!result.success) problems.push(...formatIssues(result.error.issues));
  if (problems.length > 0) throw new PlatformConfigError(problems, stack);
  return result.data!;
}

function splitKey(fullKey: string): [string, string] {
  const i = fullKey.indexOf(":");
  return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

/** Structured config arrives as JSON text; a plain scalar (`dev`) does not parse and stays a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// The public Config API only hands secrets out as Outputs, which cannot be validated before
// registration; the runtime's own (untyped) check tells which raw keys were stored encrypted.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** Reads and validates this stack's config from the engine. */
export function readStackConfig(): PlatformConfig {
  const raw = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(raw).filter((k) => isConfigSecret(k)));
  return parsePlatformConfig(raw, secretKeys, pulumi.getStack());
}

/** A credential from config as a Pulumi secret, so it stays encrypted in state; undefined when not set. */
export function secretInput(value: string | undefined): pulumi.Output<string> | undefined {
  return value === undefined ? undefined : pulumi.secret(value);
}

export { PlatformConfigError } from "./errors";
