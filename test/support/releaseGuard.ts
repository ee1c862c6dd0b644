// The live-color guard as the engine runs it, for the blue-green release tests.
import { Registered, runProgram, StackConfig } from "../../testing/harness";

export const guardOf = (rs: Registered[]) => rs.find((r) => r.type === "pulumi-nodejs:dynamic/platform:LiveReleaseGuard")!;

/** The provider exactly as the engine runs it: the serialized text, loaded the way the dynamic provider host loads it. */
async function engineProvider(guard: Registered) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };
  return requireFromString(await guard.inputs.__provider).handler();
}

/** What the engine's `check` says when the app goes from the `before` config to the `after` one. */
export async function check(before: StackConfig, after: StackConfig): Promise<string[]> {
  const olds = guardOf(await runProgram("dev", before)).inputs;
  const news = guardOf(await runProgram("dev", after)).inputs;
  const provider = await engineProvider(guardOf(await runProgram("dev", after)));
  const result = await provider.check(olds, news);
  return (result.failures ?? []).map((f: { property: string; reason: string }) => `${f.property}: ${f.reason}`);
}
