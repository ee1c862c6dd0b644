// Places the configured apps into their team namespaces.
import * as pulumi from "@pulumi/pulumi";
import { AutoscaledService } from "../components/autoscaledService";
import { BlueGreenService } from "../components/blueGreenService";
import { StatefulService } from "../components/statefulService";
import type { TeamNamespace } from "../components/teamNamespace";
import { type PlatformConfig, secretInput } from "./config";
import { yieldToRuntime } from "./yieldToRuntime";

export interface AppOutputs {
  team: string;
  activeColor: string;
  inactiveColor: string;
  images: Record<string, string | undefined>;
  service: pulumi.Output<string>;
  previewService: pulumi.Output<string>;
  previewAddress: pulumi.Output<string>;
  selector: pulumi.Output<Record<string, string>>;
  /** Each color's percent of the route's traffic during a gradual shift. */
  weights?: Record<string, number>;
  /** The HTTPRoute, when the app is exposed through a Gateway. */
  route?: pulumi.Output<string>;
}

export interface ServiceOutputs {
  team: string;
  service: pulumi.Output<string>;
  hpa: pulumi.Output<string>;
}

export interface DatabaseOutputs {
  team: string;
  service: pulumi.Output<string>;
  headlessService: pulumi.Output<string>;
  credentialsSecret: pulumi.Output<string>;
}

export interface WorkloadOutputs {
  /** Blue-green apps by `<team>/<app>`. */
  apps: Record<string, AppOutputs>;
  /** Autoscaled services by `<team>/<app>`. */
  services: Record<string, ServiceOutputs>;
  /** Stateful services by `<team>/<app>`. */
  databases: Record<string, DatabaseOutputs>;
  /** Each app's component by `<team>/<app>` (its admin processes wait for it); not a stack output. */
  components: Map<string, pulumi.ComponentResource>;
}

export async function createWorkloads(cfg: PlatformConfig, teams: Map<string, TeamNamespace>, opts: pulumi.ComponentResourceOptions): Promise<WorkloadOutputs> {
  const outputs: WorkloadOutputs = { apps: {}, services: {}, databases: {}, components: new Map() };
  for (const app of cfg.apps) {
    await yieldToRuntime(); // what came before (services, the previous app) registers first
    const team = teams.get(app.team)!; // validated: every app names a configured team
    const id = `${app.team}/${app.name}`;
    if (app.kind === "stateful") {
      const supplied = cfg.appPasswords[id];
      const db = new StatefulService(
        `${app.team}-${app.name}`,
        {
          name: app.name,
          namespace: team.namespace,
          image: app.image,
          replicas: app.replicas,
          port: app.port,
          storage: app.storage,
          dataPath: app.dataPath,
          podManagementPolicy: app.podManagementPolicy,
          partition: app.partition,
          runAsUser: app.runAsUser,
          resources: app.resources,
          env: app.env,
          credentialEnv: app.credentialEnv,
          user: app.user,
          password: secretInput(supplied),
          serviceAccountName: team.serviceAccountName,
          protect: cfg.environment === "prod",
          partOf: app.team,
        },
        opts,
      );
      outputs.databases[id] = { team: app.team, service: db.serviceName, headlessService: db.headlessServiceName, credentialsSecret: db.credentialsSecretName };
      continue;
    }
    if (app.kind === "autoscaled") {
      const svc = new AutoscaledService(
        `${app.team}-${app.name}`,
        {
          name: app.name,
          namespace: team.namespace,
          image: app.image,
          port: app.port,
          minReplicas: app.minReplicas,
          maxReplicas: app.maxReplicas,
          targetCpuUtilization: app.targetCpuUtilization,
          targetMemoryUtilization: app.targetMemoryUtilization,
          scaleDownStabilizationSeconds: app.scaleDownStabilizationSeconds,
          rollout: app.rollout,
          readinessPath: app.readinessPath,
          livenessPath: app.livenessPath,
          resources: app.resources,
          envFrom: app.envFrom,
          serviceAccountName: team.serviceAccountName,
          partOf: app.team,
        },
        opts,
      );
      outputs.services[`${app.team}/${app.name}`] = { team: app.team, service: svc.serviceName, hpa: svc.hpaName };
      outputs.components.set(id, svc);
      continue;
    }
    const bg = new BlueGreenService(
      `${app.team}-${app.name}`,
      {
        name: app.name,
        namespace: team.namespace,
        activeColor: app.activeColor,
        images: app.images,
        replicas: app.replicas,
        autoscale: app.autoscale,
        rollout: app.rollout,
        retireInactive: app.retireInactive,
        allowLiveUpdate: app.allowLiveUpdate,
        route: app.route,
        trafficSplit: app.trafficSplit,
        splitVia: app.trafficSplit?.via,
        displayName: id,
        port: app.port,
        readinessPath: app.readinessPath,
        livenessPath: app.livenessPath,
        resources: app.resources,
        envFrom: app.envFrom,
        serviceAccountName: team.serviceAccountName,
        smokeTest: app.smokeTest,
        partOf: app.team,
      },
      opts,
    );
    outputs.components.set(id, bg);
    outputs.apps[`${app.team}/${app.name}`] = {
      team: app.team,
      activeColor: bg.activeColor,
      inactiveColor: bg.inactiveColor,
      images: bg.images,
      service: bg.serviceName,
      previewService: bg.previewServiceName,
      previewAddress: bg.previewAddress,
      selector: bg.selector,
      weights: bg.weights,
      route: bg.routeName,
    };
  }
  return outputs;
}
