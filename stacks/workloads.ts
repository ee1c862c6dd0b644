// Places the configured apps into their team namespaces.
import * as pulumi from "@pulumi/pulumi";
import { AutoscaledService } from "../components/autoscaledService";
import { BlueGreenService } from "../components/blueGreenService";
import type { TeamNamespace } from "../components/teamNamespace";
import type { PlatformConfig } from "./config";

export interface AppOutputs {
  team: string;
  activeColor: string;
  inactiveColor: string;
  images: Record<string, string | undefined>;
  service: pulumi.Output<string>;
  previewService: pulumi.Output<string>;
  previewAddress: pulumi.Output<string>;
  selector: pulumi.Output<Record<string, string>>;
}

export interface ServiceOutputs {
  team: string;
  service: pulumi.Output<string>;
  hpa: pulumi.Output<string>;
}

export interface WorkloadOutputs {
  /** Blue-green apps by `<team>/<app>`. */
  apps: Record<string, AppOutputs>;
  /** Autoscaled services by `<team>/<app>`. */
  services: Record<string, ServiceOutputs>;
}

export function createWorkloads(cfg: PlatformConfig, teams: Map<string, TeamNamespace>, opts: pulumi.ComponentResourceOptions): WorkloadOutputs {
  const outputs: WorkloadOutputs = { apps: {}, services: {} };
  for (const app of cfg.apps) {
    const team = teams.get(app.team)!; // validated: every app names a configured team
    if (app.kind === "autoscaled") {
      const svc = new AutoscaledService(`${app.team}-${app.name}`, {
        name: app.name,
        namespace: team.namespace,
        image: app.image,
        port: app.port,
        minReplicas: app.minReplicas,
        maxReplicas: app.maxReplicas,
        targetCpuUtilization: app.targetCpuUtilization,
        targetMemoryUtilization: app.targetMemoryUtilization,
        scaleDownStabilizationSeconds: app.scaleDownStabilizationSeconds,
        readinessPath: app.readinessPath,
        livenessPath: app.livenessPath,
        resources: app.resources,
        envFrom: app.envFrom,
        serviceAccountName: team.serviceAccountName,
        partOf: app.team,
      }, opts);
      outputs.services[`${app.team}/${app.name}`] = { team: app.team, service: svc.serviceName, hpa: svc.hpaName };
      continue;
    }
    const bg = new BlueGreenService(`${app.team}-${app.name}`, {
      name: app.name,
      namespace: team.namespace,
      activeColor: app.activeColor,
      images: app.images,
      replicas: app.replicas,
      retireInactive: app.retireInactive,
      port: app.port,
      readinessPath: app.readinessPath,
      livenessPath: app.livenessPath,
      resources: app.resources,
      envFrom: app.envFrom,
      serviceAccountName: team.serviceAccountName,
      smokeTest: app.smokeTest,
      partOf: app.team,
    }, opts);
    outputs.apps[`${app.team}/${app.name}`] = {
      team: app.team,
      activeColor: bg.activeColor,
      inactiveColor: bg.inactiveColor,
      images: bg.images,
      service: bg.serviceName,
      previewService: bg.previewServiceName,
      previewAddress: bg.previewAddress,
      selector: bg.selector,
    };
  }
  return outputs;
}
