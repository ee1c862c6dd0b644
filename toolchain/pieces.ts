// The three binaries the engine needs, each built from a wrapper module in toolchain/go/ with
// modules the Go module proxy serves. Versions are pinned to what the npm SDKs ask the engine for.
import * as fs from "fs";
import * as path from "path";
import { runLogged, LoggedRun, ToolchainError } from "./process";

/** The CLI's own version, set at link time so the Automation API's version check passes. */
export const CLI_VERSION = "3.248.0";
/** Must equal the @pulumi/kubernetes npm version: the engine loads the plugin version the SDK names. */
export const KUBERNETES_VERSION = "4.25.0";
/** Must equal the plugin version @pulumi/random names. */
export const RANDOM_VERSION = "4.21.2";
/** The workflow linter the workflow test runs (test/workflows.test.ts). */
export const ACTIONLINT_VERSION = "1.7.12";

export interface Piece {
  /** Also the wrapper folder under toolchain/go/. */
  name: string;
  version: string;
  /** The binary this piece produces, relative to its output folder. */
  binary: string;
  /** The command that builds it, named when it is missing and building is not allowed (default `npm run toolchain`). */
  buildCommand?: string;
  /** Builds `binary` into `outDir`, working in `src` (a private copy of the wrapper module). */
  build(src: string, outDir: string, run: LoggedRun): Promise<void>;
}

/** Link-time variables, `package.Name` → value (the release a binary reports). */
export type Stamps = Record<string, string>;

/** `go build` arguments: stripped, without local paths, `stamps` set at link time, `packages` built into `out`. */
export function goBuildArgs(stamps: Stamps, out: string, packages: string[]): string[] {
  const flags = Object.entries(stamps).map(([variable, value]) => `-X ${variable}=${value}`);
  return ["build", "-trimpath", "-ldflags", ["-s", "-w", ...flags].join(" "), "-o", out, ...packages];
}

/** Runs `go build` (see goBuildArgs) in `cwd`, logged to the piece's build log. */
export function goBuild(run: LoggedRun, cwd: string, stamps: Stamps, out: string, packages: string[]): Promise<void> {
  return runLogged({ ...run, cwd }, "go", goBuildArgs(stamps, out, packages));
}

const cli: Piece = {
  name: "cli",
  version: CLI_VERSION,
  // bin/ because the Automation API runs `<root>/bin/pulumi`.
  binary: "bin/pulumi",
  async build(src, outDir, run) {
    const version = { "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": `v${CLI_VERSION}` };
    await goBuild(run, src, version, path.join(outDir, "bin", "pulumi"), ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"]);
  },
};

const kubernetes: Piece = {
  name: "kubernetes",
  version: KUBERNETES_VERSION,
  binary: "pulumi-resource-kubernetes",
  async build(src, outDir, run) {
    // The provider's main package go:embeds files its release build generates; make them from
    // the JSON the module ships (minified, schema version set), beside our own main.go.
    const moduleDir = await goModuleDir(run, src, "github.com/pulumi/pulumi-kubernetes/provider/v4");
    const shipped = path.join(moduleDir, "cmd", "pulumi-resource-kubernetes");
    const schema = JSON.parse(fs.readFileSync(path.join(shipped, "schema.json"), "utf8"));
    schema.version = KUBERNETES_VERSION;
    fs.writeFileSync(path.join(src, "schema-embed.json"), JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(path.join(shipped, "terraform-mapping.json"), "utf8"));
    fs.writeFileSync(path.join(src, "terraform-mapping-embed.json"), JSON.stringify(mapping));
    const version = { "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version": KUBERNETES_VERSION };
    await goBuild(run, src, version, path.join(outDir, "pulumi-resource-kubernetes"), ["."]);
  },
};

const random: Piece = {
  name: "random",
  version: RANDOM_VERSION,
  binary: "pulumi-resource-random",
  async build(src, outDir, run) {
    const at = { ...run, cwd: src };
    const version = { "platform.local/toolchain/random/info.Version": RANDOM_VERSION };
    // First the schema generator, then the provider that embeds the schema it writes.
    const tfgen = path.join(src, "pulumi-tfgen-random");
    await goBuild(run, src, version, tfgen, ["./cmd/pulumi-tfgen-random"]);
    const providerDir = path.join(src, "cmd", "pulumi-resource-random");
    await runLogged(at, tfgen, ["schema", "--out", providerDir]);
    const schemaFile = path.join(providerDir, "schema.json");
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    schema.version = RANDOM_VERSION; // tfgen leaves it out; the engine reads it from GetSchema
    fs.writeFileSync(schemaFile, JSON.stringify(schema));
    const metadata = path.join(providerDir, "bridge-metadata.json");
    if (fs.existsSync(metadata)) fs.copyFileSync(metadata, path.join(src, "info", "bridge-metadata.json"));
    await goBuild(run, src, version, path.join(outDir, "pulumi-resource-random"), ["./cmd/pulumi-resource-random"]);
  },
};

export const PIECES: readonly Piece[] = [cli, kubernetes, random];

/** A developer tool, not part of the engine: built by `npm run toolchain`, never needed by the runner. */
export const ACTIONLINT: Piece = {
  name: "actionlint",
  version: ACTIONLINT_VERSION,
  binary: "actionlint",
  async build(src, outDir, run) {
    await goBuild(run, src, { "github.com/rhysd/actionlint.version": `v${ACTIONLINT_VERSION}` }, path.join(outDir, "actionlint"), [
      "github.com/rhysd/actionlint/cmd/actionlint",
    ]);
  },
};

/** Tools built beside the engine pieces (not plugins: nothing installs them into PULUMI_HOME). */
export const TOOLS: readonly Piece[] = [ACTIONLINT];

/** Where a required module's source lies; downloads it first (`go list -m` alone reports an empty Dir on a fresh module cache). */
export async function goModuleDir(run: LoggedRun, cwd: string, module: string): Promise<string> {
  const out = path.join(cwd, ".module-dir");
  await runLogged({ ...run, cwd }, "go", ["mod", "download", module]);
  await runLogged({ ...run, cwd }, "sh", ["-c", `go list -m -f '{{.Dir}}' ${module} > ${out}`]);
  const dir = fs.readFileSync(out, "utf8").trim();
  if (!dir) throw new ToolchainError(run.piece, `go list -m ${module}`, run.logFile, "module not downloaded");
  return dir;
}
