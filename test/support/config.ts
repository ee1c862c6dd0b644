// The problems stack config validation reports, as a list (empty when the config is valid).
import { parsePlatformConfig, PlatformConfigError } from "../../stacks/config";
import type { StackConfig } from "./harness";

export function configProblems(cfg: StackConfig): string[] {
  try {
    parsePlatformConfig(cfg.config, new Set(cfg.secretKeys), "test");
    return [];
  } catch (e) {
    if (e instanceof PlatformConfigError) return e.problems;
    throw e;
  }
}
