// The runner's and the toolchain's own logic, without the engine: argument checks, the CLI's
// environment, cache keys, launchers, and what the summary tells a person.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs, UsageError } from "../runner/args";
import { engineMessage } from "../runner/main";
import { flipHint, formatOutputs, humanSummary } from "../runner/report";
import { definedStacks } from "../runner/stack";
import { policyConfigFile } from "../runner/policy";
import { cliEnvironment, LOCAL_PASSPHRASE, sourceKey } from "../toolchain";
import { LAUNCHERS } from "../toolchain/launchers";
import { KUBERNETES_VERSION, RANDOM_VERSION } from "../toolchain/pieces";
import { compareVersions } from "../toolchain/reuse";
import YAML from "yaml";
import { NODE_FLAGS } from "../runner/nodeFlags";
import { ROOT } from "../testing/harness";

describe("runner arguments", () => {
  test("a full command line", () => {
    expect(parseArgs(["preview", "--stack", "prod", "--policy", "--json", "--diff"])).toEqual({
      command: "preview",
      stack: "prod",
      policy: true,
      diff: true,
      json: true,
      yes: false,
    });
    expect(parseArgs(["up", "--stack=dev", "--yes"])).toMatchObject({ command: "up", stack: "dev", yes: true });
  });

  test.each<[string[], RegExp]>([
    [[], /a command is required/],
    [["deploy", "--stack", "dev"], /unknown command "deploy" \(commands: up, preview, destroy, refresh\)/],
    [["up"], /--stack NAME is required/],
    [["up", "--stack"], /--stack needs a stack name/],
    [["up", "--stack", "--yes"], /--stack needs a stack name/],
    [["up", "--stack", "dev", "--stack", "prod"], /--stack is given twice/],
    [["up", "--stack", "dev", "--force"], /unknown argument "--force"/],
    [["up", "--stack", "../etc"], /not a valid stack name/],
    [["destroy", "--stack", "dev", "--policy"], /--policy applies to up and preview/],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  test("bad input exits 2 with the usage, before any toolchain or engine work", () => {
    const built = path.join(ROOT, "bin/runner/main.js");
    const build = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.js")], { cwd: ROOT });
    expect(build.status).toBe(0);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "runner-"));
    const result = spawnSync(process.execPath, [built, "up", "--stack", "dev", "--bogus"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, XDG_CACHE_HOME: home, PLATFORM_WORK_DIR: home },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('platform: unknown argument "--bogus"');
    expect(result.stderr).toContain("usage: npm run platform --");
    expect(fs.readdirSync(home)).toEqual([]); // nothing built, nothing written
  });

  test("up without --yes and without a terminal is refused rather than waiting for an answer", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "bin/runner/main.js"), "up", "--stack", "dev"], {
      cwd: ROOT,
      encoding: "utf8",
      input: "",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("up changes the stack: add --yes");
  });
});

describe("stacks and policy settings", () => {
  test("the stacks are the Pulumi.<name>.yaml files", () => {
    expect(definedStacks(ROOT)).toEqual(["dev", "prod"]);
  });

  test("a stack's policy levels come from policy/config/<stack>.json; PR stacks use dev's", () => {
    expect(policyConfigFile("prod")).toBe(path.join(ROOT, "policy/config/prod.json"));
    expect(policyConfigFile("pr-123")).toBe(path.join(ROOT, "policy/config/dev.json"));
    expect(fs.existsSync(policyConfigFile("dev"))).toBe(true);
  });
});

describe("toolchain", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("the CLI runs offline, with this clone's PULUMI_HOME and the launchers first on PATH", () => {
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    delete process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
    delete process.env.PULUMI_BACKEND_URL;
    const env = cliEnvironment("/repo", "/cache/cli/bin", "/repo/.platform/pulumi-home");
    expect(env).toMatchObject({
      PULUMI_HOME: "/repo/.platform/pulumi-home",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PLATFORM_PROJECT_ROOT: "/repo",
      PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    });
    expect(env.PATH.split(path.delimiter)[0]).toBe("/cache/cli/bin");
  });

  test("the local passphrase is used only when the user set none, and only for a local backend", () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = "mine";
    expect(cliEnvironment("/r", "/b", "/h").PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_BACKEND_URL = "s3://state-bucket";
    expect(cliEnvironment("/r", "/b", "/h").PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    process.env.PULUMI_BACKEND_URL = "file:///srv/state";
    expect(cliEnvironment("/r", "/b", "/h").PULUMI_CONFIG_PASSPHRASE).toBe(LOCAL_PASSPHRASE);
  });

  test("a changed wrapper module gets a new cache key", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrapper-"));
    fs.writeFileSync(path.join(dir, "go.mod"), "module a\n");
    const before = sourceKey(dir);
    expect(sourceKey(dir)).toBe(before);
    fs.writeFileSync(path.join(dir, "go.mod"), "module b\n");
    expect(sourceKey(dir)).not.toBe(before);
  });

  test("plugin versions equal the npm SDKs' versions (the engine loads the version the SDK names)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies["@pulumi/kubernetes"]).toBe(KUBERNETES_VERSION);
    expect(pkg.dependencies["@pulumi/random"]).toBe(RANDOM_VERSION);
  });

  test("versions compare numerically", () => {
    expect(compareVersions("3.250.0", "3.248.0")).toBeGreaterThan(0);
    expect(compareVersions("3.248.0", "3.248.0")).toBe(0);
    expect(compareVersions("3.99.0", "3.248.0")).toBeLessThan(0);
    expect(compareVersions("3.248.1-alpha", "3.248.0")).toBeGreaterThan(0);
  });

  test("the dynamic-provider launcher fails fast, never runs node on an empty path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-"));
    const file = path.join(dir, "launcher");
    fs.writeFileSync(file, LAUNCHERS["pulumi-resource-pulumi-nodejs"], { mode: 0o755 });
    const missing = spawnSync(file, [], { encoding: "utf8", env: { PATH: process.env.PATH }, timeout: 10_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("@pulumi/pulumi not found under PLATFORM_PROJECT_ROOT=''");
    // A stand-in `node` prints what it was given: the real provider host would run until killed.
    fs.writeFileSync(path.join(dir, "node"), '#!/bin/sh\necho "node $*"\n', { mode: 0o755 });
    const env = { PATH: `${dir}:${process.env.PATH}`, PLATFORM_PROJECT_ROOT: ROOT };
    const found = spawnSync(file, ["--flag"], { encoding: "utf8", env, timeout: 10_000 });
    expect(found.status).toBe(0);
    expect(found.stdout.trim()).toBe(`node ${ROOT}/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js --flag`);
  });
});

describe("summary", () => {
  const config = { "platform:apps": { value: JSON.stringify([{ kind: "autoscaled" }, { kind: "blueGreen", activeColor: "blue" }]) } };

  test("the next flip names the first blue-green app and its idle color", () => {
    expect(flipHint(config, "dev")).toBe(
      "npm run pulumi -- config set --path 'platform:apps[1].activeColor' green --stack dev && npm run platform -- up --stack dev --yes",
    );
    expect(flipHint({ "platform:apps": { value: "[]" } }, "dev")).toBeUndefined();
  });

  test("secret outputs stay hidden", () => {
    expect(formatOutputs({ a: { value: "x", secret: false }, p: { value: "hunter2", secret: true } })).toEqual(["  a: x", "  p: [secret]"]);
  });

  test("objects per kind, where they went, and what to do next", () => {
    const text = humanSummary({
      stack: "dev",
      command: "up",
      changes: { create: 3 },
      kinds: { Service: 2, Namespace: 1 },
      renderedTo: "rendered/dev",
      outputs: {},
      config,
    });
    expect(text).toContain("dev: 3 Kubernetes objects rendered to rendered/dev/");
    expect(text).toContain("changes: 3 create");
    expect(text).toContain("kinds: Namespace 1, Service 2");
    expect(text).toContain("platform:apps[1].activeColor' green");
  });
});

describe("engine errors", () => {
  // The shape of the Automation API's CommandError text: progress lines, then the diagnostics.
  const output = [
    "Updating (prod):",
    " -  kubernetes:apps/v1:Deployment search-api deleting error: something",
    "Diagnostics:",
    "  pulumi:pulumi:Stack (platform-prod):",
    '    error: resource "urn:pulumi:prod::platform::x::search-db" cannot be deleted',
    "    because it is protected. To unprotect the resource, run `pulumi state unprotect`",
    "    error: Unhandled exception: Error: failed to register new resource",
    "        at Object.registerResource (/p/node_modules/@pulumi/pulumi/runtime/resource.js:329:27)",
    "    error: update failed",
    "  pulumi:pulumi:Stack (platform-prod):",
    '    error: resource "urn:pulumi:prod::platform::x::search-db" cannot be deleted',
    "    because it is protected. To unprotect the resource, run `pulumi state unprotect`",
    "Resources:",
    "    1 errored",
  ].join("\n");

  test("each error once, whole (with its continuation lines), without JS stack frames", () => {
    const text = engineMessage(new Error(output));
    expect(text.match(/cannot be deleted/g)).toHaveLength(1);
    expect(text).toContain("because it is protected");
    expect(text).not.toMatch(/resource\.js:\d+/);
    expect(text).not.toContain("update failed"); // says nothing the other errors do not
  });

  test("output with no error line falls back to its last lines", () => {
    expect(engineMessage(new Error("a\nb\nsomething odd"))).toContain("something odd");
  });
});

describe("the program's V8 flags", () => {
  // The bench measures with NODE_FLAGS; every entry point that runs the program must pass them too.
  test("npm start, npm run platform, the engine bench and the language host pass NODE_FLAGS", () => {
    const flags = NODE_FLAGS.join(" ");
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(scripts.platform).toContain(`node ${flags} bin/runner/main.js`);
    expect(scripts["bench:engine"]).toContain(`node ${flags} `);
    expect(fs.readFileSync(path.join(ROOT, "scripts", "start.js"), "utf8")).toContain('...NODE_FLAGS, path.join(ROOT, "bin", "runner", "main.js")');
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(project.runtime.options.nodeargs).toBe(flags);
  });
});
