// Every rule of the pack, grouped by factor. index.ts serves them; tests import them from here
// (constructing a PolicyPack starts the analyzer's gRPC server).
import type { Policies } from "@pulumi/policy";
import type { Rule } from "./lib/rule";
import { adminProcessRules } from "./rules/adminProcesses";
import { backingServiceRules } from "./rules/backingServices";
import { buildReleaseRunRules } from "./rules/buildReleaseRun";
import { concurrencyRules } from "./rules/concurrency";
import { configRules } from "./rules/config";
import { dependencyRules } from "./rules/dependencies";
import { disposabilityRules } from "./rules/disposability";
import { logRules } from "./rules/logs";
import { parityRules } from "./rules/parity";
import { portBindingRules } from "./rules/portBinding";
import { podSecurityRules } from "./rules/podSecurity";
import { processRules } from "./rules/processes";
import { securityRules } from "./rules/security";

export const PACK_NAME = "k8s-platform-twelve-factor";

export const rules: Rule[] = [
  ...dependencyRules,
  ...configRules,
  ...backingServiceRules,
  ...buildReleaseRunRules,
  ...processRules,
  ...portBindingRules,
  ...concurrencyRules,
  ...disposabilityRules,
  ...parityRules,
  ...logRules,
  ...adminProcessRules,
  ...securityRules,
  ...podSecurityRules,
];

export const policies: Policies = rules.map((r) => r.policy);
