// Places the configured apps into their team namespaces.
import * as pulumi from "@pulumi/pulumi";
import { AutoscaledService } from "../components/autoscaledService";
import { BlueGreenService } from "../components/blueGreenService";
import { StatefulService } from "../components/statefulService";
import type { TeamNamespace } from "../components/teamNamespace";
import { type PlatformConfig, secretInput } from "./config";
import { yieldToRuntime } from "./yieldToRuntime";

export interface BlueGreenAppOutputs {
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

export interface AutoscaledAppOutputs {
  team: string;
  service: pulumi.Output<string>;
  hpa: pulumi.Output<string>;
}

export interface StatefulAppOutputs {
  team: string;
  service: pulumi.Output<string>;
  headlessService: pulumi.Output<string>;
  credentialsSecret: pulumi.Output<string>;
}

export interface WorkloadOutputs {
  /** Blue-green apps by `<team>/<app>`. */
  blueGreenApps: Record<string, BlueGreenAppOutputs>;
  /** Autoscaled apps by `<team>/<app>`. */
  autoscaledApps: Record<string, AutoscaledAppOutputs>;
  /** Stateful apps by `<team>/<app>`. */
  statefulApps: Record<string, StatefulAppOutputs>;
  /** Each app's component by `<team>/<app>` (its admin processes wait for it); not a stack output. */
  components: Map<string, pulumi.ComponentResource>;
}

/** The fields a component takes from the app's config as they are (the schema has applied the defaults). */
function asConfigured<T extends object, K extends keyof T>(app: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, app[k]])) as Pick<T, K>;
}

// Per kind, the fields its component takes as configured.
const HTTP_FIELDS = ["port", "readinessPath", "livenessPath", "resources", "envFrom"] as const;
const STATEFUL_FIELDS = [
  "image",
  "replicas",
  "port",
  "storage",
  "dataPath",
  "podManagementPolicy",
  "partition",
  "runAsUser",
  "resources",
  "env",
  "credentialEnv",
  "user",
] as const;
const AUTOSCALED_FIELDS = [
  "image",
  "minReplicas",
  "maxReplicas",
  "targetCpuUtilization",
  "targetMemoryUtilization",
  "scaleDownStabilizationSeconds",
  "rollout",
  ...HTTP_FIELDS,
] as const;
const BLUE_GREEN_FIELDS = [
  "activeColor",
  "images",
  "replicas",
  "autoscale",
  "rollout",
  "retireInactive",
  "allowLiveUpdate",
  "route",
  "trafficSplit",
  "smokeTest",
  ...HTTP_FIELDS,
] as const;

export async function createWorkloads(cfg: PlatformConfig, teams: Map<string, TeamNamespace>, opts: pulumi.ComponentResourceOptions): Promise<WorkloadOutputs> {
  const outputs: WorkloadOutputs = { blueGreenApps: {}, autoscaledApps: {}, statefulApps: {}, components: new Map() };
  for (const app of cfg.apps) {
    await yieldToRuntime(); // what came before (services, the previous app) registers first
    const team = teams.get(app.team)!; // validated: every app names a configured team
    const id = `${app.team}/${app.name}`;
    const resourceName = `${app.team}-${app.name}`;
    // Every kind runs in its team's namespace, as the team's ServiceAccount, labelled part of the team.
    const placement = { name: app.name, namespace: team.namespace, serviceAccountName: team.serviceAccountName, partOf: app.team };
    if (app.kind === "stateful") {
      const password = secretInput(cfg.appPasswords[id]);
      const db = new StatefulService(
        resourceName,
        { ...placement, ...asConfigured(app, STATEFUL_FIELDS), password, protect: cfg.environment === "prod" },
        opts,
      );
      outputs.statefulApps[id] = {
        team: app.team,
        service: db.serviceName,
        headlessService: db.headlessServiceName,
        credentialsSecret: db.credentialsSecretName,
      };
      continue;
    }
    if (app.kind === "autoscaled") {
      const svc = new AutoscaledService(resourceName, { ...placement, ...asConfigured(app, AUTOSCALED_FIELDS) }, opts);
      outputs.autoscaledApps[id] = { team: app.team, service: svc.serviceName, hpa: svc.hpaName };
      outputs.components.set(id, svc);
      continue;
    }
    const splitVia = app.trafficSplit?.via;
    const bg = new BlueGreenService(resourceName, { ...placement, ...asConfigured(app, BLUE_GREEN_FIELDS), splitVia, displayName: id }, opts);
    outputs.components.set(id, bg);
    outputs.blueGreenApps[id] = {
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
