// The stack entry: validate all config first, then build. Nothing is registered on bad config.
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config";
import { createPlatform, PlatformOutputs } from "./platform";
import { dropSdkPromiseStacks } from "./sdkPromiseStacks";

export async function run(): Promise<PlatformOutputs> {
  dropSdkPromiseStacks();
  const cfg = readStackConfig();
  return createPlatform(cfg, pulumi.getStack());
}
