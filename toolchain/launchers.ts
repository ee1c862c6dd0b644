// Two small executables the engine starts by name, served from this project's Node packages, so
// no language plugin has to be installed: the dynamic-resource host (the live-color guard) and the
// policy-pack analyzer. Beside the CLI they count as bundled plugins.
import * as fs from "fs";
import * as path from "path";

/** Runs @pulumi/pulumi's dynamic-provider host from the project root the runner names. */
const DYNAMIC_PROVIDER = `#!/bin/sh
# Started by the Pulumi engine for dynamic resources. The workspace folder may not resolve
# @pulumi/pulumi, so it is taken from the project root explicitly; never run node on an empty path.
entry="$PLATFORM_PROJECT_ROOT/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"
if [ -z "$PLATFORM_PROJECT_ROOT" ] || [ ! -f "$entry" ]; then
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi not found under PLATFORM_PROJECT_ROOT='$PLATFORM_PROJECT_ROOT' (run npm run setup)" >&2
  exit 1
fi
exec node "$entry" "$@"
`;

/** Runs a policy pack with @pulumi/pulumi's policy runner; the engine starts it in the pack's folder. */
const POLICY_ANALYZER = `#!/bin/sh
# Started by the Pulumi engine in the policy pack's folder, with the engine address and the pack path.
entry="$PWD/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"
if [ ! -f "$entry" ]; then
  echo "pulumi-analyzer-policy-nodejs: $PWD has no @pulumi/pulumi (run npm run setup)" >&2
  exit 1
fi
exec node "$entry" "$@"
`;

export const LAUNCHERS: Record<string, string> = {
  "pulumi-resource-pulumi-nodejs": DYNAMIC_PROVIDER,
  "pulumi-analyzer-policy-nodejs": POLICY_ANALYZER,
};

/** Writes the launchers into `dir` (only when their text changed, so warm runs write nothing). */
export function writeLaunchers(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(LAUNCHERS)) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
    fs.writeFileSync(file, text, { mode: 0o755 });
  }
}
