// Pulumi program entry point. See README.md; all settings are stack config under `platform:`.
// The program builds asynchronously (stacks/yieldToRuntime.ts), so the stack outputs are the
// result of this function, which the Pulumi runtime awaits.
import { run } from "./stacks";

export = async () => {
  const platform = await run();
  return {
    environment: platform.environment,
    cni: platform.cni,
    networkPolicyEnforced: platform.networkPolicyEnforced,
    teamNamespaces: platform.teamNamespaces,
    apps: platform.apps,
    services: platform.services,
    databases: platform.databases,
    jenkinsUrl: platform.platformServices.jenkins?.url,
    jenkinsAdminUser: platform.platformServices.jenkins?.adminUser,
    jenkinsAdminPassword: platform.platformServices.jenkins?.adminPassword, // a Pulumi secret
    harborUrl: platform.platformServices.harbor?.externalURL,
    renderedTo: platform.renderedTo,
  };
};
