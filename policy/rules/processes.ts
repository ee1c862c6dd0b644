// VI. Processes: stateless and share-nothing; anything that must persist lives in a backing service.
import { describeResource, resourceRule, stackRule, workloadRule } from "../lib/rule";

const STATELESS = new Set(["Deployment", "ReplicaSet", "Job", "CronJob"]);

export const noHostPathInStateless = workloadRule({
  name: "no-hostpath-in-stateless",
  factor: "VI. Processes",
  checks: "Deployments, ReplicaSets and Jobs mount no hostPath volumes (state on a node ties the process to it).",
  remediation: "keep state in a backing service, or run it as a StatefulSet with a PersistentVolumeClaim",
  severity: "high",
  check(w, _cfg, report) {
    if (!STATELESS.has(w.kind)) return;
    for (const v of (w.podSpec.volumes ?? []) as Record<string, any>[]) {
      if (v.hostPath !== undefined) report(`volume "${v.name}" is a hostPath (${v.hostPath.path})`);
    }
  },
});

export const emptyDirSizeLimit = workloadRule({
  name: "emptydir-size-limit",
  factor: "VI. Processes",
  checks: "Every emptyDir volume sets sizeLimit, so scratch space stays scratch and cannot fill the node.",
  remediation: 'set emptyDir.sizeLimit (e.g. "256Mi")',
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

export const processRules = [noHostPathInStateless, emptyDirSizeLimit, noStickySessions, noRwoClaimInDeployment];
