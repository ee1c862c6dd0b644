// An admin process (Twelve-Factor XII): a one-off Job or a CronJob that runs an app's own image and
// release, with the app's ConfigMap/Secret references and ServiceAccount, in the restricted
// security context. A one-off Job is named after a hash of everything it runs (image, command,
// settings), so a new release, or any change to it, is a new Job under a new name: Jobs are
// immutable, and nothing here is ever patched in place.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageVersion, standardLabels } from "./labels";
import { restrictedContainer } from "./podSecurity";
import type { Resources } from "./rules";
import { envFromRefs } from "./workloadParts";

export interface AdminProcessArgs {
  /** The task's name: a one-off Job is `<name>-<hash>`, a CronJob `<name>`. */
  name: string;
  /** The app it belongs to (labels: `app.kubernetes.io/name`). */
  app: string;
  namespace: pulumi.Input<string>;
  /** The app's image (the release it runs). */
  image: string;
  command: string[];
  /** @default [] */
  args?: string[];
  resources: Resources;
  /** The app's env references (never literal values). */
  envFrom?: { configMaps?: string[]; secrets?: string[] };
  serviceAccountName?: pulumi.Input<string>;
  /** A cron schedule: a CronJob; without it a one-off Job. */
  schedule?: string;
  timeZone?: string;
  /** @default false */
  suspend?: boolean;
  /** @default "Forbid" (an admin task never overlaps itself) */
  concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  /** @default 3 */
  successfulJobsHistoryLimit?: number;
  /** @default 1 */
  failedJobsHistoryLimit?: number;
  /** How late a missed run may still start. @default none (no limit) */
  startingDeadlineSeconds?: number;
  /** @default 3600 */
  activeDeadlineSeconds?: number;
  /** @default 2 */
  backoffLimit?: number;
  /** Delete finished Jobs after this long. @default none (a one-off Job is kept as the record that it ran) */
  ttlSecondsAfterFinished?: number;
  /** Pods get an Istio sidecar: inject it as a native sidecar, so the Job ends when its command does. @default false */
  meshSidecar?: boolean;
  partOf?: string;
}

export const ADMIN_PROCESS_DEFAULTS = {
  args: [] as string[],
  suspend: false,
  concurrencyPolicy: "Forbid" as const,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
  activeDeadlineSeconds: 3600,
  backoffLimit: 2,
  hashLength: 10,
};

/** The suffix of a one-off Job's name: what it runs, so a changed release or setting is a new Job. */
export function adminJobHash(a: Omit<AdminProcessArgs, "namespace" | "serviceAccountName">): string {
  const d = ADMIN_PROCESS_DEFAULTS;
  const runs = {
    image: a.image,
    command: a.command,
    args: a.args ?? d.args,
    envFrom: a.envFrom ?? {},
    resources: a.resources,
    activeDeadlineSeconds: a.activeDeadlineSeconds ?? d.activeDeadlineSeconds,
    backoffLimit: a.backoffLimit ?? d.backoffLimit,
    ttlSecondsAfterFinished: a.ttlSecondsAfterFinished ?? null,
    meshSidecar: a.meshSidecar ?? false,
  };
  return crypto.createHash("sha256").update(JSON.stringify(runs)).digest("hex").slice(0, d.hashLength);
}

export class AdminProcess extends pulumi.ComponentResource {
  /** `Job` or `CronJob`. */
  public readonly kind: "Job" | "CronJob";
  public readonly objectName: pulumi.Output<string>;

  constructor(name: string, args: AdminProcessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:AdminProcess", name, {}, opts);
    const d = ADMIN_PROCESS_DEFAULTS;
    // The instance is `<name>.job`: never an app's instance (a DNS label, no dot), so no app's
    // Service, PodDisruptionBudget or Deployment selector takes these pods; at most 57 characters.
    const labels = standardLabels({ name: args.app, instance: `${args.name}.job`, component: "admin-process", partOf: args.partOf });
    const podLabels = { ...labels, "app.kubernetes.io/version": imageVersion(args.image) };
    const jobSpec: k8s.types.input.batch.v1.JobSpec = {
      activeDeadlineSeconds: args.activeDeadlineSeconds ?? d.activeDeadlineSeconds,
      backoffLimit: args.backoffLimit ?? d.backoffLimit,
      ttlSecondsAfterFinished: args.ttlSecondsAfterFinished,
      template: {
        metadata: {
          labels: podLabels,
          annotations: args.meshSidecar ? { "sidecar.istio.io/nativeSidecar": "true" } : undefined,
        },
        spec: {
          restartPolicy: "Never",
          serviceAccountName: args.serviceAccountName,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: args.name,
              image: args.image,
              command: args.command,
              args: args.args ?? d.args,
              envFrom: envFromRefs(args.envFrom),
              resources: args.resources,
              securityContext: restrictedContainer(),
            },
          ],
        },
      },
    };

    if (args.schedule === undefined) {
      const hash = adminJobHash(args);
      this.kind = "Job";
      // The hash covers the spec, so a change is a new resource (created, then the old one deleted).
      // replaceOnChanges + deleteBeforeReplace cover what the hash cannot see (namespace and
      // ServiceAccount are outputs): the same name is never patched, it is deleted and created.
      const job = new k8s.batch.v1.Job(
        `${name}-${hash}`,
        {
          metadata: { name: `${args.name}-${hash}`, namespace: args.namespace, labels },
          spec: jobSpec,
        },
        { parent: this, replaceOnChanges: ["spec"], deleteBeforeReplace: true },
      );
      this.objectName = job.metadata.name;
    } else {
      this.kind = "CronJob";
      // A CronJob's template applies to the Jobs it starts next, so it is updated in place.
      const cron = new k8s.batch.v1.CronJob(
        name,
        {
          metadata: { name: args.name, namespace: args.namespace, labels },
          spec: {
            schedule: args.schedule,
            timeZone: args.timeZone,
            suspend: args.suspend ?? d.suspend,
            concurrencyPolicy: args.concurrencyPolicy ?? d.concurrencyPolicy,
            successfulJobsHistoryLimit: args.successfulJobsHistoryLimit ?? d.successfulJobsHistoryLimit,
            failedJobsHistoryLimit: args.failedJobsHistoryLimit ?? d.failedJobsHistoryLimit,
            startingDeadlineSeconds: args.startingDeadlineSeconds,
            jobTemplate: { metadata: { labels }, spec: jobSpec },
          },
        },
        { parent: this },
      );
      this.objectName = cron.metadata.name;
    }
    this.registerOutputs({ kind: this.kind, objectName: this.objectName });
  }
}
