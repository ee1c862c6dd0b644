// Turns validated config into components. Reads no config itself: everything comes in `cfg`.
import * as os from "os";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterNetwork, cniEnforcesNetworkPolicy } from "../components/clusterNetwork";
import { ReleaseGuardProvider } from "../components/liveReleaseGuard";
import { LogCollector } from "../components/logCollector";
import { TeamNamespace } from "../components/teamNamespace";
import type { PlatformConfig } from "./config";
import { CiAndRegistryOutputs, createCiAndRegistry, teamRegistry } from "./ciAndRegistry";
import { createJobs, JobOutputs } from "./jobs";
import { createMesh, MeshOutputs } from "./mesh";
import { createLogStore, createMonitoring, logDestination, ObservabilityOutputs, teamsIngressFrom } from "./observability";
import { AutoscaledAppOutputs, BlueGreenAppOutputs, createWorkloads, StatefulAppOutputs } from "./workloads";
import { yieldToRuntime } from "./yieldToRuntime";

export interface PlatformOutputs {
  environment: string;
  cni: string;
  networkPolicyEnforced: boolean;
  teamNamespaces: pulumi.Output<string>[];
  /** Blue-green apps by `<team>/<app>`. */
  blueGreenApps: Record<string, BlueGreenAppOutputs>;
  /** Autoscaled apps by `<team>/<app>`. */
  autoscaledApps: Record<string, AutoscaledAppOutputs>;
  /** Stateful apps by `<team>/<app>`. */
  statefulApps: Record<string, StatefulAppOutputs>;
  /** Admin processes by `<team>/<job>`. */
  jobs: Record<string, JobOutputs>;
  /** The Istio mesh, when on. */
  mesh?: MeshOutputs;
  /** Jenkins and Harbor, when enabled. */
  ciAndRegistry: CiAndRegistryOutputs;
  /** The in-cluster log store's Kibana, Grafana's password, the monitors (monitoring, logging.store). */
  observability: ObservabilityOutputs;
  renderedTo?: string;
}

/** Where manifests are written when no cluster is configured (the provider's render mode). */
export function renderDirectory(stack: string): string {
  return `rendered/${stack}`;
}

/**
 * ConfigMaps and Secrets change in place. The provider's default replaces them on any data change,
 * and with our fixed names that is a delete-before-replace, which the engine cascades to every
 * object that references them: a plugin-list edit would replace the Jenkins StatefulSet. Workloads
 * roll on such changes through their checksum annotations instead.
 */
export const MUTABLE_CONFIG = { enableConfigMapMutable: true, enableSecretMutable: true };

/** Deploys with a kubeconfig or context from config; otherwise renders every manifest to a folder. */
export function kubernetesProvider(cfg: PlatformConfig, stack: string): { provider: k8s.Provider; renderedTo?: string } {
  const { kubeconfig, context } = cfg.cluster;
  if (kubeconfig || context) {
    const path = kubeconfig?.replace(/^~(?=\/)/, os.homedir());
    return { provider: new k8s.Provider("k8s", { kubeconfig: path, context, enableServerSideApply: true, ...MUTABLE_CONFIG }) };
  }
  const renderedTo = renderDirectory(stack);
  return { provider: new k8s.Provider("k8s", { renderYamlToDirectory: renderedTo, ...MUTABLE_CONFIG }), renderedTo };
}

export async function createPlatform(cfg: PlatformConfig, stack: string): Promise<PlatformOutputs> {
  const prod = cfg.environment === "prod";
  const { provider, renderedTo } = kubernetesProvider(cfg, stack);
  const opts = { provider };

  // Cluster-wide components (CNI, node log collector) can be left to another stack on the same cluster.
  if (cfg.cluster.installCni) {
    new ClusterNetwork(
      "network",
      {
        cni: cfg.cluster.cni,
        podCidr: cfg.cluster.podCidr,
        calico: cfg.cluster.calico,
        flannel: cfg.cluster.flannel,
      },
      opts,
    );
  }
  const network = { cni: cfg.cluster.cni, enforcesNetworkPolicy: cniEnforcesNetworkPolicy(cfg.cluster.cni) };

  if (!network.enforcesNetworkPolicy) {
    // Prod refuses this in config validation unless acknowledged; dev is told once.
    pulumi.log.warn(`${cfg.cluster.cni} does not enforce NetworkPolicy: team namespaces are not isolated from each other`);
  }

  const logStore = createLogStore(cfg, opts);
  if (cfg.logging.enabled)
    new LogCollector(
      "logging",
      {
        backend: cfg.logging.backend,
        ...logDestination(cfg, logStore),
        index: cfg.logging.index,
        namespace: cfg.logging.namespace,
        image: cfg.logging.image,
      },
      opts,
    );

  const mesh = createMesh(cfg, opts);
  const teams: TeamNamespace[] = [];
  const ingressFrom = teamsIngressFrom(cfg);
  for (const t of cfg.teams) {
    // One allow list for the team's NetworkPolicies and its mesh AuthorizationPolicy.
    const allowIngressFrom = ingressFrom.get(t.name)!;
    teams.push(
      new TeamNamespace(
        t.name,
        {
          name: t.name,
          podSecurity: t.podSecurity,
          quota: t.quota,
          containerDefaults: t.containerDefaults,
          editors: t.editors,
          viewers: t.viewers,
          allowIngressFrom,
          networkPolicyEnforced: network.enforcesNetworkPolicy,
          registry: teamRegistry(cfg, t.name),
          protect: prod,
          namespaceLabels: mesh?.namespaceLabels,
        },
        opts,
      ),
    );
    mesh?.addTeam(t.name, allowIngressFrom, teams[teams.length - 1]);
    await yieldToRuntime();
  }

  const ciAndRegistry = createCiAndRegistry(cfg, opts);

  const teamsByName = new Map(cfg.teams.map((t, i) => [t.name, teams[i]]));
  // Blue-green apps' live-color guards share one provider (see ReleaseGuardProvider).
  const guards = cfg.apps.some((a) => a.kind === "blueGreen") ? new ReleaseGuardProvider() : undefined;
  const workloads = await createWorkloads(cfg, teamsByName, guards ? { providers: [provider, guards] } : opts);
  const jobs = await createJobs(cfg, teamsByName, workloads.components, opts);
  const observability = { ...createMonitoring(cfg, opts), kibanaUrl: logStore?.kibanaUrl };

  return {
    environment: cfg.environment,
    cni: network.cni,
    networkPolicyEnforced: network.enforcesNetworkPolicy,
    teamNamespaces: teams.map((t) => t.namespace),
    blueGreenApps: workloads.blueGreenApps,
    autoscaledApps: workloads.autoscaledApps,
    statefulApps: workloads.statefulApps,
    jobs,
    mesh: mesh?.outputs,
    ciAndRegistry,
    observability,
    renderedTo,
  };
}
