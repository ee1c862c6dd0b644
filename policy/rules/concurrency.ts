// VIII. Concurrency: scale out by running more copies; the scheduler and the HPA need requests
// to place and scale them.
import { describeResource, stackRule, workloadRule } from "../lib/rule";
import type { PolicyResource } from "@pulumi/policy";
import { containersOf } from "../lib/workloads";

export const resourceRequests = workloadRule({
  name: "resource-requests",
  factor: "VIII. Concurrency",
  checks: "Every container (init containers too) requests CPU and memory.",
  remediation: "set resources.requests.cpu and resources.requests.memory (apps: platform:apps[].resources)",
  severity: "medium",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      const requests = container.resources?.requests ?? {};
      const absent = ["cpu", "memory"].filter((k) => requests[k] === undefined);
      if (absent.length) report(`${where} requests no ${absent.join(" or ")}`);
    }
  },
});

const isHpa = (r: PolicyResource) => /^kubernetes:autoscaling\/v\w+:HorizontalPodAutoscaler$/.test(r.type);

/** HPAs by the `namespace/name` of the Deployment they scale. */
function hpasByDeployment(resources: PolicyResource[]): Map<string, PolicyResource> {
  const byTarget = new Map<string, PolicyResource>();
  for (const r of resources.filter(isHpa)) {
    const ref = r.props.spec?.scaleTargetRef ?? {};
    if (ref.kind === "Deployment") byTarget.set(`${r.props.metadata?.namespace ?? "default"}/${ref.name}`, r);
  }
  return byTarget;
}

interface ReplicaConfig {
  minReplicas?: number;
}

export const replicasForAvailability = stackRule<ReplicaConfig>({
  name: "replicas-for-availability",
  factor: "VIII. Concurrency",
  checks:
    "Each serving Deployment runs at least minReplicas copies, or is scaled by an HPA with minReplicas at or above that and maxReplicas above it. A Deployment scaled to 0 (a retired blue-green color) is not serving.",
  remediation: "raise replicas, or autoscale with an HPA whose minReplicas >= the configured minimum and maxReplicas > minReplicas",
  severity: "high",
  kinds: ["Deployment"],
  choice: "two copies by default (minReplicas), so one node or pod can fail without an outage.",
  config: { minReplicas: { type: "integer", minimum: 1, default: 2, description: "Fewest copies a serving Deployment may run." } },
  check(resources, workloads, cfg, report) {
    const min = cfg.minReplicas ?? 2;
    const hpas = hpasByDeployment(resources);
    for (const w of workloads.filter((x) => x.kind === "Deployment")) {
      const hpa = hpas.get(`${w.namespace}/${w.name}`);
      const subject = describeResource(w.resource);
      if (hpa) {
        const { minReplicas = 1, maxReplicas } = hpa.props.spec ?? {};
        if (minReplicas < min) report(w.resource, subject, `its HPA allows ${minReplicas} replica(s), below ${min}`);
        if (!(maxReplicas > minReplicas)) report(w.resource, subject, `its HPA cannot scale out (maxReplicas ${maxReplicas} <= minReplicas ${minReplicas})`);
        continue;
      }
      const replicas = w.resource.props.spec?.replicas ?? 1;
      if (replicas !== 0 && replicas < min) report(w.resource, subject, `runs ${replicas} replica(s) and no HPA scales it; at least ${min} are needed`);
    }
  },
});

export const hpaOwnsReplicas = stackRule({
  name: "hpa-owns-replicas",
  factor: "VIII. Concurrency",
  checks: "A Deployment targeted by an HPA leaves spec.replicas unset, so each deploy does not reset the HPA's count.",
  remediation: "remove spec.replicas from the Deployment; set the range on the HPA",
  severity: "medium",
  kinds: ["Deployment"],
  exemptible: false,
  check(resources, workloads, _cfg, report) {
    const hpas = hpasByDeployment(resources);
    for (const w of workloads.filter((x) => x.kind === "Deployment")) {
      if (hpas.has(`${w.namespace}/${w.name}`) && w.resource.props.spec?.replicas !== undefined) {
        report(w.resource, describeResource(w.resource), `sets spec.replicas=${w.resource.props.spec.replicas} but an HPA scales it`);
      }
    }
  },
});

export const concurrencyRules = [resourceRequests, replicasForAvailability, hpaOwnsReplicas];
