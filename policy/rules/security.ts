// Security baseline: what the Pod Security "restricted" level asks, checked before anything reaches
// the cluster, plus a read-only root filesystem. System daemons are exempt only by name.
import { RuleMeta, workloadRule } from "../lib/rule";
import { ContainerRef, containersOf, Workload } from "../lib/workloads";

const factor = "Security baseline" as const;

/** A container's effective setting: its own securityContext, else the pod's. */
export function effective(w: Workload, c: ContainerRef, key: string): unknown {
  const own = c.container.securityContext?.[key];
  return own !== undefined ? own : w.podSpec.securityContext?.[key];
}

/** A rule on one field of every container's own securityContext. */
function containerSetting(meta: Omit<RuleMeta, "factor">, key: string, ok: (value: unknown) => boolean, problem: string) {
  return workloadRule({
    ...meta,
    factor,
    check(w, _cfg, report) {
      for (const c of containersOf(w.podSpec)) {
        if (!ok(c.container.securityContext?.[key])) report(`${c.where} ${problem}`);
      }
    },
  });
}

export const noPrivileged = containerSetting(
  {
    name: "no-privileged-containers",
    checks: "No container runs privileged.",
    remediation: "remove securityContext.privileged; grant the one capability needed instead, through a named exemption",
    severity: "critical",
  },
  "privileged",
  (v) => v !== true,
  "is privileged",
);

export const noPrivilegeEscalation = containerSetting(
  {
    name: "no-privilege-escalation",
    checks: "Every container sets allowPrivilegeEscalation: false (setuid binaries cannot gain rights).",
    remediation: "set securityContext.allowPrivilegeEscalation: false on each container",
    severity: "high",
  },
  "allowPrivilegeEscalation",
  (v) => v === false,
  "does not set allowPrivilegeEscalation: false",
);

export const runAsNonRoot = workloadRule({
  name: "run-as-non-root",
  factor,
  checks: "Every container runs as non-root: runAsNonRoot true (container or pod) and no runAsUser 0.",
  remediation: "set securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image defaults to root)",
  severity: "high",
  check(w, _cfg, report) {
    for (const c of containersOf(w.podSpec)) {
      if (effective(w, c, "runAsUser") === 0) report(`${c.where} runs as uid 0`);
      else if (effective(w, c, "runAsNonRoot") !== true) report(`${c.where} does not set runAsNonRoot: true`);
    }
  },
});

interface CapabilityConfig {
  allowedAddedCapabilities?: string[];
}

export const dropAllCapabilities = workloadRule<CapabilityConfig>({
  name: "drop-all-capabilities",
  factor,
  checks: "Every container drops ALL capabilities and adds none outside allowedAddedCapabilities.",
  choice: "only NET_BIND_SERVICE may be added by default, as the restricted Pod Security level allows; allowedAddedCapabilities changes the list.",
  remediation: 'set securityContext.capabilities: { drop: ["ALL"] }; listen on a port above 1024 instead of adding capabilities',
  severity: "high",
  config: {
    allowedAddedCapabilities: {
      type: "array",
      default: ["NET_BIND_SERVICE"],
      items: { type: "string", pattern: "^[A-Z_]+$" },
      description: 'Capabilities a container may add after dropping ALL (default ["NET_BIND_SERVICE"]).',
    },
  },
  check(w, cfg, report) {
    const allowed = new Set(cfg.allowedAddedCapabilities ?? ["NET_BIND_SERVICE"]);
    for (const c of containersOf(w.podSpec)) {
      const caps = c.container.securityContext?.capabilities ?? {};
      if (!((caps.drop ?? []) as string[]).includes("ALL")) report(`${c.where} does not drop ALL capabilities`);
      const added = ((caps.add ?? []) as string[]).filter((x) => !allowed.has(String(x).replace(/^CAP_/, "")));
      if (added.length) report(`${c.where} adds capabilities ${added.join(", ")}`);
    }
  },
});

export const readOnlyRootFilesystem = containerSetting(
  {
    name: "read-only-root-filesystem",
    checks: "Every container mounts its root filesystem read-only (writes go to declared volumes).",
    remediation: "set securityContext.readOnlyRootFilesystem: true and mount a size-limited emptyDir where the app writes (e.g. /tmp)",
    choice: "beyond Pod Security, which does not ask for it: a container cannot alter its own image at run time.",
    severity: "medium",
  },
  "readOnlyRootFilesystem",
  (v) => v === true,
  "has a writable root filesystem",
);

export const noHostNamespaces = workloadRule({
  name: "no-host-namespaces",
  factor,
  checks: "Pods share neither the host's process (hostPID) nor IPC (hostIPC) namespace. (hostNetwork: see no-host-port-or-network.)",
  remediation: "remove hostPID and hostIPC",
  severity: "critical",
  check(w, _cfg, report) {
    for (const key of ["hostPID", "hostIPC"]) {
      if (w.podSpec[key] === true) report(`sets ${key}: true`);
    }
  },
});

export const securityRules = [noPrivileged, noPrivilegeEscalation, runAsNonRoot, dropAllCapabilities, readOnlyRootFilesystem, noHostNamespaces];
