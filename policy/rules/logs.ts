// XI. Logs: a process writes its event stream to stdout; the node's collector ships it. Log files
// inside containers are lost with the pod and invisible to the collector.
import { workloadRule } from "../lib/rule";
import { containersOf } from "../lib/workloads";

const LOG_PATH = /^\/var\/log(\/|$)|^\/logs?(\/|$)|\/logs?\/?$|\.log$/;
const LOG_FILE_ENV = /(^|_)LOG_?(FILE|PATH|DIR|FILENAME)(_|$)/;

export const logsToStdout = workloadRule({
  name: "logs-to-stdout",
  factor: "XI. Logs",
  checks: "App containers mount no volume at a log path (/var/log, /logs, *.log) and set no LOG_FILE-style env.",
  remediation: "log to stdout/stderr and let the log collector ship it; drop the log volume and the file setting",
  severity: "medium",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      for (const m of (container.volumeMounts ?? []) as Record<string, any>[]) {
        if (LOG_PATH.test(m.mountPath)) report(`${where} mounts "${m.name}" at log path ${m.mountPath}`);
      }
      for (const e of (container.env ?? []) as Record<string, any>[]) {
        if (LOG_FILE_ENV.test(String(e.name).toUpperCase())) report(`${where} sets ${e.name}, a log file setting`);
      }
    }
  },
});

export const logRules = [logsToStdout];
