// Opens a stack of this project through the Automation API with the program inline: the language
// runtime is served from this Node process, so no language plugin is needed.
import * as fs from "fs";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { PlatformConfigError } from "../stacks/config";
import { run } from "../stacks";
import { stackOutputs } from "../stacks/outputs";
import type { Toolchain } from "../toolchain";
import { UsageError } from "./args";
import type { ClusterTarget } from "./clusterAccess";

export const PROJECT_NAME = "platform";

/** The stacks a folder defines: one per Pulumi.<name>.yaml. */
export function definedStacks(workDir: string): string[] {
  return fs
    .readdirSync(workDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

/** The program, run in this process; a config error is kept so the runner can print it alone. */
export class InlineProgram {
  configError?: PlatformConfigError;

  readonly fn = async () => {
    try {
      return stackOutputs(await run());
    } catch (err) {
      if (err instanceof PlatformConfigError) this.configError = err;
      throw err;
    }
  };
}

export interface OpenOptions {
  stack: string;
  workDir: string;
  toolchain: Toolchain;
  program: InlineProgram;
  /** destroy and refresh need a stack that exists (named here); up and preview create it. */
  mustExistFor?: string;
}

export async function openStack(o: OpenOptions): Promise<Stack> {
  const stacks = definedStacks(o.workDir);
  if (!stacks.includes(o.stack)) {
    throw new UsageError(`unknown stack "${o.stack}": there is no Pulumi.${o.stack}.yaml in ${o.workDir} (stacks: ${stacks.join(", ")})`);
  }
  const pulumiCommand = await PulumiCommand.get({ root: o.toolchain.root });
  const args = { stackName: o.stack, projectName: PROJECT_NAME, program: o.program.fn };
  const opts = { workDir: o.workDir, pulumiCommand, envVars: o.toolchain.env };
  if (!o.mustExistFor) return LocalWorkspace.createOrSelectStack(args, opts);
  const ws = await LocalWorkspace.create({ ...opts, program: o.program.fn });
  const existing = (await ws.listStacks()).map((s) => s.name);
  if (!existing.includes(o.stack)) throw new UsageError(`stack "${o.stack}" has no state yet: nothing to ${o.mustExistFor}`);
  return LocalWorkspace.selectStack(args, opts);
}

/** Where the stack deploys (its `cluster.kubeconfig` and `cluster.context`), or undefined when it renders manifests. */
export async function clusterTarget(stack: Stack): Promise<ClusterTarget | undefined> {
  const cluster = (await stack.getAllConfig())[`${PROJECT_NAME}:cluster`]?.value;
  try {
    const parsed = JSON.parse(cluster ?? "{}");
    return parsed.kubeconfig || parsed.context ? { kubeconfig: parsed.kubeconfig, context: parsed.context } : undefined;
  } catch {
    return undefined;
  }
}
