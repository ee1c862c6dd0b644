// XII. Admin processes: one-off tasks run as their own processes (Jobs) from the same release,
// never as unmanaged Pods or as a side effect of starting the app.
import { resourceRule, workloadRule } from "../lib/rule";
import { containersOf, LONG_RUNNING } from "../lib/workloads";

export const noNakedPods = resourceRule({
  name: "no-naked-pods",
  factor: "XII. Admin processes",
  checks: "No bare Pods: a controller (Deployment, StatefulSet, DaemonSet, Job) restarts and reschedules them.",
  remediation: "run long-lived processes as a Deployment or StatefulSet and one-off tasks as a Job",
  severity: "medium",
  kinds: ["Pod"],
  types: /^kubernetes:core\/v1:Pod$/,
  check(_props, _cfg, report) {
    report("is a bare Pod");
  },
});

const MIGRATION = /\b(migrat(e|ion|ions)|flyway|liquibase|alembic|db:migrate|sqitch|goose|dbmate|knex\s+migrate|prisma\s+migrate)\b|manage\.py\s+migrate/i;

export const migrationsAsJobs = workloadRule({
  name: "migrations-as-jobs",
  factor: "XII. Admin processes",
  checks: "Schema migrations (migrate, flyway, liquibase, manage.py migrate ...) are not init containers of long-running workloads.",
  remediation: "run the migration as a Job from the same image and config, ordered before the rollout (dependsOn)",
  severity: "medium",
  kinds: LONG_RUNNING,
  check(w, _cfg, report) {
    for (const { container, init, where } of containersOf(w.podSpec)) {
      if (!init) continue;
      const text = [container.name, container.image, ...(container.command ?? []), ...(container.args ?? [])].join(" ");
      const hit = MIGRATION.exec(text);
      if (hit) report(`${where} runs a migration ("${hit[0]}") on every pod start`);
    }
  },
});

export const adminProcessRules = [noNakedPods, migrationsAsJobs];
