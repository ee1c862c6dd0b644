// VI. Processes: stateless and share-nothing; anything that must persist lives in a backing service.
import { describeResource, resourceRule, stackRule, workloadRule } from "../lib/rule";

interface HostPathAllowance {
  namespace: string;
  name: string;
  kind?: string;
  /** Host paths (and what lies below them) this workload may mount. */
  paths: string[];
  reason: string;
}

interface HostPathConfig {
  allowedHostPaths?: HostPathAllowance[];
}

/** A host path normalised (no "..", no trailing slash), so "/var/log/../../" cannot pass as "/var/log". */
export function normaliseHostPath(p: string): string {
  const parts: string[] = [];
  for (const part of String(p).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

const within = (path: string, allowed: string) => {
  const a = normaliseHostPath(allowed);
  return path === a || path.startsWith(a === "/" ? "/" : a + "/");
};

export const noHostPathVolumes = workloadRule<HostPathConfig>({
  name: "no-hostpath-volumes",
  factor: "VI. Processes",
  checks:
    "No workload of any kind mounts a hostPath volume, except the paths allowedHostPaths lists for that workload by name (state on a node ties the process to it, and a host path such as / or the container runtime socket hands it the node).",
  choice: "system daemons are allowed only the exact host paths they need (and below), each with a reason; an exemption never covers a whole workload.",
  remediation: "keep state in a backing service or a PersistentVolumeClaim; a node agent lists each path it needs in allowedHostPaths",
  severity: "critical",
  exemptible: false,
  config: {
    allowedHostPaths: {
      type: "array",
      default: [],
      description: "Per workload, the host paths it may mount (and below), with a reason.",
      items: {
        type: "object",
        required: ["namespace", "name", "paths", "reason"],
        additionalProperties: false,
        properties: {
          namespace: { type: "string", minLength: 1 },
          name: { type: "string", minLength: 1 },
          kind: { type: "string", enum: ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] },
          paths: { type: "array", minItems: 1, items: { type: "string", pattern: "^/" } },
          reason: { type: "string", minLength: 10 },
        },
      },
    },
  },
  check(w, cfg, report) {
    const allowed = (cfg.allowedHostPaths ?? [])
      .filter((a) => a.namespace === w.namespace && a.name === w.name && (!a.kind || a.kind === w.kind))
      .flatMap((a) => a.paths);
    for (const v of (w.podSpec.volumes ?? []) as Record<string, any>[]) {
      if (v.hostPath === undefined) continue;
      const path = normaliseHostPath(v.hostPath.path);
      if (!allowed.some((a) => within(path, a)))
        report(`volume "${v.name}" is a hostPath (${v.hostPath.path})${allowed.length ? `, outside the allowed ${allowed.join(", ")}` : ""}`);
    }
  },
});

export const emptyDirSizeLimit = workloadRule({
  name: "emptydir-size-limit",
  factor: "VI. Processes",
  checks: "Every emptyDir volume sets sizeLimit, so scratch space stays scratch and cannot fill the node.",
  remediation: 'set emptyDir.sizeLimit (e.g. "256Mi")',
  choice: "beyond Pod Security: an unbounded emptyDir can fill the node's disk and evict its neighbours.",
  severity: "medium",
  check(w, _cfg, report) {
    for (const v of (w.podSpec.volumes ?? []) as Record<string, any>[]) {
      if (v.emptyDir !== undefined && !v.emptyDir.sizeLimit) report(`emptyDir volume "${v.name}" has no sizeLimit`);
    }
  },
});

export const noStickySessions = resourceRule({
  name: "no-sticky-sessions",
  factor: "VI. Processes",
  checks: "Services do not use sessionAffinity: ClientIP; session state belongs in a backing store.",
  remediation: "remove sessionAffinity (or set None) and keep session state in a shared store such as Redis or the database",
  severity: "medium",
  types: /^kubernetes:core\/v1:Service$/,
  check(props, _cfg, report) {
    if (props.spec?.sessionAffinity === "ClientIP") report("sessionAffinity is ClientIP");
  },
});

const SINGLE_NODE_MODES = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

export const noRwoClaimInDeployment = stackRule({
  name: "no-rwo-claim-in-deployment",
  factor: "VI. Processes",
  checks: "No Deployment mounts a ReadWriteOnce/ReadWriteOncePod PersistentVolumeClaim of the stack (replicas and rollouts would fight over it).",
  remediation: "move the state to a backing service, or make the workload a StatefulSet with volumeClaimTemplates",
  severity: "high",
  kinds: ["Deployment"],
  check(resources, workloads, _cfg, report) {
    const claims = new Map<string, string[]>();
    for (const r of resources) {
      if (!/^kubernetes:core\/v1:PersistentVolumeClaim$/.test(r.type)) continue;
      claims.set(`${r.props.metadata?.namespace ?? "default"}/${r.props.metadata?.name ?? r.name}`, r.props.spec?.accessModes ?? []);
    }
    for (const w of workloads.filter((x) => x.kind === "Deployment")) {
      for (const v of (w.podSpec.volumes ?? []) as Record<string, any>[]) {
        const claim = v.persistentVolumeClaim?.claimName;
        const modes = claim === undefined ? undefined : claims.get(`${w.namespace}/${claim}`);
        const single = modes?.filter((m) => SINGLE_NODE_MODES.has(m));
        if (single?.length) report(w.resource, describeResource(w.resource), `mounts claim "${claim}" which is ${single.join("/")}`);
      }
    }
  },
});

export const processRules = [noHostPathVolumes, emptyDirSizeLimit, noStickySessions, noRwoClaimInDeployment];
