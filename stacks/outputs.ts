// The stack outputs, in one list for both entry points: index.ts (the Pulumi CLI's program)
// and the Automation API runner's inline program.
import type { PlatformOutputs } from "./platform";

export function stackOutputs(platform: PlatformOutputs) {
  const { jenkins, harbor } = platform.ciAndRegistry;
  return {
    environment: platform.environment,
    cni: platform.cni,
    networkPolicyEnforced: platform.networkPolicyEnforced,
    teamNamespaces: platform.teamNamespaces,
    blueGreenApps: platform.blueGreenApps,
    autoscaledApps: platform.autoscaledApps,
    statefulApps: platform.statefulApps,
    jobs: platform.jobs,
    mesh: platform.mesh,
    jenkinsUrl: jenkins?.url,
    jenkinsAdminUser: jenkins?.adminUser,
    jenkinsAdminPassword: jenkins?.adminPassword, // a Pulumi secret
    harborUrl: harbor?.externalURL,
    kibanaUrl: platform.observability.kibanaUrl,
    grafanaAdminPassword: platform.observability.grafanaAdminPassword, // a Pulumi secret
    renderedTo: platform.renderedTo,
  };
}
