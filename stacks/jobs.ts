// Admin processes from validated config: each job runs its app's image (for blue-green apps the
// live color's, or the configured color's), envFrom and ServiceAccount, in the app's team namespace.
import * as pulumi from "@pulumi/pulumi";
import { AdminProcess } from "../components/adminProcess";
import { type Color, trafficOf } from "../components/rules";
import type { TeamNamespace } from "../components/teamNamespace";
import type { PlatformConfig } from "./config";
import { yieldToRuntime } from "./yieldToRuntime";

export interface JobOutputs {
  team: string;
  app: string;
  kind: "Job" | "CronJob";
  name: pulumi.Output<string>;
  image: string;
}

/** The image a job of this app runs: autoscaled apps have one; blue-green the chosen or live color's. */
function releaseOf(app: PlatformConfig["apps"][number], color?: Color): string {
  if (app.kind === "autoscaled") return app.image;
  if (app.kind !== "blueGreen") throw new Error(`jobs run blueGreen or autoscaled apps, not ${app.kind}`); // validated
  const chosen = color ?? trafficOf(app.activeColor, app.trafficSplit).live;
  return app.images[chosen]!; // validated: the live color and a chosen color have an image
}

/** Jobs by `<team>/<job>`. */
export async function createJobs(
  cfg: PlatformConfig,
  teams: Map<string, TeamNamespace>,
  apps: Map<string, pulumi.ComponentResource>,
  opts: pulumi.ComponentResourceOptions,
): Promise<Record<string, JobOutputs>> {
  const out: Record<string, JobOutputs> = {};
  const appsByKey = new Map(cfg.apps.map((a) => [`${a.team}/${a.name}`, a]));
  for (const job of cfg.jobs) {
    await yieldToRuntime();
    const [teamName, appName] = job.app.split("/");
    const app = appsByKey.get(job.app)!; // validated
    const team = teams.get(teamName)!;
    const image = releaseOf(app, job.color);
    const p = new AdminProcess(
      `${teamName}-${job.name}`,
      {
        name: job.name,
        app: appName,
        namespace: team.namespace,
        image,
        command: job.command,
        args: job.args,
        resources: job.resources ?? app.resources,
        envFrom: app.envFrom,
        serviceAccountName: team.serviceAccountName,
        schedule: job.schedule,
        timeZone: job.timeZone,
        suspend: job.suspend,
        concurrencyPolicy: job.concurrencyPolicy,
        successfulJobsHistoryLimit: job.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: job.failedJobsHistoryLimit,
        startingDeadlineSeconds: job.startingDeadlineSeconds,
        activeDeadlineSeconds: job.activeDeadlineSeconds,
        backoffLimit: job.backoffLimit,
        ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
        meshSidecar: cfg.mesh !== undefined,
        partOf: teamName,
        // After its app: a release the live-color guard refuses starts no admin process either.
      },
      { ...opts, dependsOn: [apps.get(job.app)!] },
    );
    out[`${teamName}/${job.name}`] = { team: teamName, app: appName, kind: p.kind, name: p.objectName, image };
  }
  return out;
}
