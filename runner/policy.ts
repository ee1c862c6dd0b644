// The policy pack (policy/, precompiled to policy/bin by `npm run build`) and its per-stack settings.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../toolchain/paths";
import { UsageError } from "./args";

export const POLICY_PACK = path.join(PROJECT_ROOT, "policy");

/** The enforcement levels for a stack: policy/config/<stack>.json; a PR stack uses dev's. */
export function policyConfigFile(stack: string): string {
  const name = /^pr-\d+$/.test(stack) ? "dev" : stack;
  return path.join(POLICY_PACK, "config", `${name}.json`);
}

export function policyOptions(stack: string): { policyPacks: string[]; policyPackConfigs: string[] } {
  const config = policyConfigFile(stack);
  if (!fs.existsSync(config)) throw new UsageError(`--policy: there is no ${path.relative(PROJECT_ROOT, config)} for stack "${stack}"`);
  if (!fs.existsSync(path.join(POLICY_PACK, "bin", "index.js"))) {
    throw new UsageError("--policy: the policy pack is not built (run npm run build)");
  }
  return { policyPacks: [POLICY_PACK], policyPackConfigs: [config] };
}
