// Pulumi program entry point for the Pulumi CLI (`pulumi up`); `npm start` runs the same program
// through the Automation API (runner/). See README.md; all settings are stack config under `platform:`.
import { run } from "./stacks";
import { stackOutputs } from "./stacks/outputs";

export = stackOutputs(run());
