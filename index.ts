// Pulumi program entry point for the Pulumi CLI (`pulumi up`); `npm start` runs the same program
// through the Automation API (runner/). See README.md; all settings are stack config under `platform:`.
// The program builds asynchronously (stacks/yieldToRuntime.ts), so the stack outputs are the
// result of this function, which the Pulumi runtime awaits.
import { run } from "./stacks";
import { stackOutputs } from "./stacks/outputs";

export = async () => stackOutputs(await run());
