// Places the configured apps into their team namespaces.
import * as pulumi from "@pulumi/pulumi";
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

export function createWorkloads(cfg: PlatformConfig, teams: Map<string, TeamNamespace>, opts: pulumi.ComponentResourceOptions): Record<string, AppOutputs> {
  const outputs: Record<string, AppOutputs> = {};
  for (const app of cfg.apps) {
    const team = teams.get(app.team)!; // validated: every app names a configured team
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
    outputs[`${app.team}/${app.name}`] = {
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
