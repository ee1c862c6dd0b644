// IX. Disposability: processes start fast, are known to be ready and alive, stop gracefully and
// soon, and one-off work cannot run forever.
import { workloadRule } from "../lib/rule";
import { containersOf, LONG_RUNNING, RUN_TO_COMPLETION } from "../lib/workloads";

export const probesDistinct = workloadRule({
  name: "probes-distinct",
  factor: "IX. Disposability",
  checks:
    "Every container of a long-running workload has a readiness and a liveness probe, and they are not identical (a slow dependency must not restart the pod).",
  remediation: "add readinessProbe (ready for traffic) and livenessProbe (process is stuck), with different endpoints or thresholds",
  choice: "readiness and liveness must differ (endpoint, handler or thresholds); a startupProbe is optional.",
  severity: "medium",
  kinds: LONG_RUNNING,
  check(w, _cfg, report) {
    for (const { container, init, where } of containersOf(w.podSpec)) {
      if (init) continue;
      const { readinessProbe: ready, livenessProbe: live } = container;
      if (!ready) report(`${where} has no readinessProbe`);
      if (!live) report(`${where} has no livenessProbe`);
      if (ready && live && JSON.stringify(ready) === JSON.stringify(live)) report(`${where} has identical readiness and liveness probes`);
    }
  },
});

interface GraceConfig {
  maxTerminationGracePeriodSeconds?: number;
}

export const terminationGraceBounded = workloadRule<GraceConfig>({
  name: "termination-grace-bounded",
  factor: "IX. Disposability",
  checks: "terminationGracePeriodSeconds is at most the configured maximum, so a stop on SIGTERM is quick.",
  remediation: "handle SIGTERM and finish in-flight work quickly; lower terminationGracePeriodSeconds",
  severity: "low",
  config: { maxTerminationGracePeriodSeconds: { type: "integer", minimum: 0, default: 60, description: "Longest grace period allowed, in seconds." } },
  check(w, cfg, report) {
    const max = cfg.maxTerminationGracePeriodSeconds ?? 60;
    const grace = w.podSpec.terminationGracePeriodSeconds;
    if (grace !== undefined && grace > max) report(`terminationGracePeriodSeconds is ${grace}, above ${max}`);
  },
});

export const jobsBounded = workloadRule({
  name: "jobs-bounded",
  factor: "IX. Disposability",
  checks: "Jobs and CronJobs set activeDeadlineSeconds and backoffLimit, so a stuck one-off task ends.",
  remediation: "set spec.activeDeadlineSeconds and spec.backoffLimit on the Job (jobTemplate.spec for CronJobs)",
  severity: "medium",
  kinds: RUN_TO_COMPLETION,
  check(w, _cfg, report) {
    if (!w.jobSpec) return;
    for (const key of ["activeDeadlineSeconds", "backoffLimit"]) {
      if (w.jobSpec[key] === undefined) report(`sets no ${key}`);
    }
  },
});

export const disposabilityRules = [probesDistinct, terminationGraceBounded, jobsBounded];
