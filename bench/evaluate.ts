// One measurement in a fresh process, printed as JSON:
//   program <config.json> <stack> <resources-out.json>  evaluate the real program under mocks
//   floor   <config.json> <stack> <resources-in.json>   register the very same resources flat
// The floor has the same count and inputs but no config parsing, components or helpers, so
// program/floor is the cost of our abstractions.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import "../stacks"; // loaded before timing, like the floor's imports
import { Registered, runProgram, StackConfig } from "../test/support/harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** CustomResource is abstract; the floor needs nothing but its constructor. */
class FlatResource extends pulumi.CustomResource {}

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function registerFlat(resources: Registered[], cfg: StackConfig, stack: string): Promise<number> {
  // Timed from the same point as the program: mock setup included on both sides.
  const start = process.hrtime.bigint();
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "platform", stack, false);
  pulumi.runtime.setAllConfig(cfg.config, cfg.secretKeys);
  for (const r of resources) {
    if (r.custom) new FlatResource(r.type, r.name, r.inputs);
    else new pulumi.ComponentResource(r.type, r.name, {});
  }
  await settings.waitForRPCs();
  return elapsedMs(start);
}

async function main(): Promise<void> {
  const [mode, configFile, stack, resourcesFile] = process.argv.slice(2);
  const cfg: StackConfig = JSON.parse(fs.readFileSync(configFile, "utf8"));
  let ms: number;
  let count: number;
  if (mode === "program") {
    const start = process.hrtime.bigint();
    const resources = await runProgram(stack, cfg);
    ms = elapsedMs(start);
    count = resources.length;
    fs.writeFileSync(resourcesFile, JSON.stringify(resources));
  } else {
    const resources: Registered[] = JSON.parse(fs.readFileSync(resourcesFile, "utf8"));
    ms = await registerFlat(resources, cfg, stack);
    count = resources.length;
  }
  process.stdout.write(JSON.stringify({ ms, resources: count, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + "\n");
  process.exit(1);
});
