// Validating config must not load the Kubernetes SDK: config imports only SDK-free modules
// (components/defaults.ts, components/rules/, components/jenkins/seedJob.ts). Checked in a fresh
// Node process through its require.cache, since jest keeps a module registry of its own.
import { execFileSync } from "child_process";
import { loadStackConfig, ROOT } from "../testing/harness";

/** The @pulumi packages a fresh process has loaded after requiring `module` and running `call` on it. */
function pulumiPackagesLoadedBy(module: string, call: string): string[] {
  const script = `
    const configs = JSON.parse(process.env.STACK_CONFIGS);
    const m = require(${JSON.stringify(module)});
    ${call}
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const hit = /node_modules[\\\\/](@pulumi[\\\\/][^\\\\/]+)/.exec(file);
      if (hit) loaded.add(hit[1].replace("\\\\", "/"));
    }
    process.stdout.write(JSON.stringify([...loaded].sort()));
  `;
  const env = { ...process.env, STACK_CONFIGS: JSON.stringify({ dev: loadStackConfig("dev"), prod: loadStackConfig("prod") }) };
  return JSON.parse(execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, env, encoding: "utf8" }));
}

test("validating the dev and prod config loads @pulumi/pulumi but never @pulumi/kubernetes", () => {
  const loaded = pulumiPackagesLoadedBy(
    "./stacks/config",
    `
    for (const [stack, c] of Object.entries(configs)) m.parsePlatformConfig(c.config, new Set(c.secretKeys), stack);
  `,
  );
  expect(loaded).toContain("@pulumi/pulumi");
  expect(loaded).not.toContain("@pulumi/kubernetes");
});

test("the check sees the SDK when it is loaded: the program's stack module loads it", () => {
  expect(pulumiPackagesLoadedBy("./stacks/platform", "")).toContain("@pulumi/kubernetes");
});
