// Pulumi program entry point. See README.md; all settings are stack config under `platform:`.
import { run } from "./stacks";

const platform = run();

export const environment = platform.environment;
export const cni = platform.cni;
export const networkPolicyEnforced = platform.networkPolicyEnforced;
export const teamNamespaces = platform.teamNamespaces;
export const apps = platform.apps;
export const services = platform.services;
export const databases = platform.databases;
export const jenkinsUrl = platform.platformServices.jenkins?.url;
export const jenkinsAdminUser = platform.platformServices.jenkins?.adminUser;
export const jenkinsAdminPassword = platform.platformServices.jenkins?.adminPassword; // a Pulumi secret
export const harborUrl = platform.platformServices.harbor?.externalURL;
export const renderedTo = platform.renderedTo;
