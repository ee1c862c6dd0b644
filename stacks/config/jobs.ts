// platform:jobs — admin processes (Twelve-Factor XII): one-off Jobs and scheduled CronJobs that run
// an app's own image and release, with its config and Secret references and its ServiceAccount.
// Cron-only settings have no default here, so a setting given to a one-off Job is an error, not
// silently ignored; the defaults live in components/adminProcess.ts (ADMIN_PROCESS_DEFAULTS).
import { z } from "zod";
import { COLORS } from "../../components/rules";
import { cronProblem } from "./cron";
import { nameProblem } from "../../components/rules";
import { count, describe, dnsLabel, quantity } from "./primitives";
import { ALWAYS, field, Issue, items, reporter, text, valid } from "./salvage";

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });
const positive = z
  .number()
  .int()
  .min(1, { error: (iss) => `expected a whole number of seconds, 1 or more, got ${describe(iss.input)}` });

const schedule = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Settings that only a CronJob has. */
export const CRON_ONLY = [
  "timeZone",
  "suspend",
  "concurrencyPolicy",
  "successfulJobsHistoryLimit",
  "failedJobsHistoryLimit",
  "startingDeadlineSeconds",
] as const;

export const jobSchema = z
  .strictObject({
    /** One-off: the Job `<name>-<10-hex hash of image and spec>`; scheduled: the CronJob `<name>`. */
    name: dnsLabel,
    /** The app whose image, config and ServiceAccount it runs with, as "<team>/<app>". */
    app: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { error: (iss) => `expected "<team>/<app>" like "payments/web", got ${describe(iss.input)}` }),
    command: z.array(z.string().min(1)).min(1, { error: 'give the command to run, e.g. ["./manage", "migrate"]' }),
    args: z.array(z.string()).default([]),
    /** blueGreen apps: the color whose release it runs (e.g. migrate with the idle color's image before a flip); default the live one. */
    color: z.enum(COLORS).optional(),
    /** Makes it a CronJob (five-field cron or a macro such as @daily); without it a one-off Job. */
    schedule: schedule.optional(),
    timeZone: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, { error: (iss) => `expected an IANA time zone like "Europe/Berlin", got ${describe(iss.input)}` })
      .optional(),
    suspend: z.boolean().optional(),
    concurrencyPolicy: z.enum(["Allow", "Forbid", "Replace"]).optional(),
    successfulJobsHistoryLimit: count.optional(),
    failedJobsHistoryLimit: count.optional(),
    startingDeadlineSeconds: positive.optional(),
    activeDeadlineSeconds: positive.optional(),
    backoffLimit: count.optional(),
    ttlSecondsAfterFinished: count.optional(),
    /** Default: the app's own requests and limits. */
    resources: z.strictObject({ requests: cpuMemory, limits: cpuMemory }).optional(),
  })
  .superRefine((j, ctx) => {
    const issue = reporter(ctx);
    if (field(j, "schedule") !== undefined) return;
    for (const key of CRON_ONLY) {
      if (field(j, key) !== undefined) issue([key], "only applies to a scheduled job: set schedule, or remove it");
    }
  }, ALWAYS);

export const jobsSchema = z.array(jobSchema).default([]);
export type JobConfig = z.infer<typeof jobSchema>;

/** The one-off Job's hash suffix length (components/adminProcess.ts). */
const HASH = "0123456789";

/** Jobs name a configured blueGreen or autoscaled app, a color it has, and names that fit and do not collide. */
export function checkJobs(c: unknown, issue: Issue): void {
  const apps = new Map<string, unknown>();
  let identified = true;
  for (const a of items(field(c, "apps"))) {
    const team = valid(dnsLabel, field(a, "team"));
    const name = valid(dnsLabel, field(a, "name"));
    if (team === undefined || name === undefined) identified = false;
    else apps.set(`${team}/${name}`, a);
  }
  const taken = new Map<string, number>();
  items(field(c, "jobs")).forEach((j, i) => {
    const id = text(j, "app");
    const app = id === undefined ? undefined : apps.get(id);
    const kind = text(app, "kind");
    if (id !== undefined && /^[a-z0-9-]+\/[a-z0-9-]+$/.test(id) && app === undefined && identified) {
      issue(["jobs", i, "app"], `no app "${id}" is configured (apps: ${[...apps.keys()].join(", ") || "none"})`);
    }
    if (kind === "stateful") issue(["jobs", i, "app"], `"${id}" is a stateful app; admin processes run the image of a blueGreen or autoscaled app`);
    const color = valid(z.enum(COLORS), field(j, "color"));
    if (color !== undefined && app !== undefined && kind !== "blueGreen") issue(["jobs", i, "color"], `only applies to blueGreen apps; "${id}" is ${kind}`);
    if (color !== undefined && kind === "blueGreen" && field(field(app, "images"), color) === undefined) {
      issue(["jobs", i, "color"], `"${id}" has no ${color} image (apps[].images.${color})`);
    }
    const name = valid(dnsLabel, field(j, "name"));
    if (name === undefined) return;
    const scheduled = field(j, "schedule") !== undefined;
    // A CronJob's Jobs are named <name>-<8+ digit timestamp>, so the API server caps CronJob names at 52.
    const problem = scheduled
      ? name.length > 52
        ? `CronJob "${name}" (${name.length} characters) must be at most 52 characters (its Jobs add an 11-character suffix)`
        : undefined
      : nameProblem({ what: "Job", value: `${name}-${HASH}`, rule: "jobName" });
    if (problem) issue(["jobs", i, "name"], `"${name}" derives a name the API server would refuse: ${problem}`);
    const team = id?.split("/")[0];
    if (team === undefined) return;
    const key = `${team}/${name}`;
    const first = taken.get(key);
    if (first !== undefined) issue(["jobs", i, "name"], `"${name}" is already used by jobs[${first}] in team "${team}"`);
    else taken.set(key, i);
  });
}
