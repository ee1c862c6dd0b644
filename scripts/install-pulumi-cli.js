// `npm run pulumi:install`: the released Pulumi CLI of the version the toolchain pins, and the two
// provider plugins, for CI agents with Node but without Go or curl (the Jenkins node container).
// The CLI goes to .platform/pulumi-cli/bin, the plugins to $PULUMI_HOME (default ~/.pulumi); put the
// first on PATH and `npm run platform` uses both instead of building them.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const ARCH = { x64: "x64", arm64: "arm64" };

async function main() {
  const { CLI_VERSION, KUBERNETES_VERSION, RANDOM_VERSION } = require(path.join(ROOT, "bin/toolchain/pieces.js"));
  const arch = ARCH[process.arch];
  if (process.platform !== "linux" || !arch) throw new Error(`only linux x64 and arm64 are supported here, not ${process.platform} ${process.arch}`);
  const dir = path.join(ROOT, ".platform", "pulumi-cli");
  const cli = path.join(dir, "bin", "pulumi");
  if (!installed(cli, CLI_VERSION)) {
    const url = `https://get.pulumi.com/releases/sdk/pulumi-v${CLI_VERSION}-linux-${arch}.tar.gz`;
    process.stderr.write(`pulumi:install: ${url}\n`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`download failed: ${response.status} ${response.statusText} (${url})`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const archive = path.join(dir, "pulumi.tar.gz");
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    run("tar", ["-xzf", archive, "-C", dir]);
    fs.renameSync(path.join(dir, "pulumi"), path.join(dir, "bin")); // the archive holds pulumi/<binaries>
    fs.rmSync(archive);
  }
  for (const [name, version] of [
    ["kubernetes", KUBERNETES_VERSION],
    ["random", RANDOM_VERSION],
  ]) {
    run(cli, ["plugin", "install", "resource", name, version]);
  }
  process.stdout.write(
    `pulumi:install: Pulumi CLI ${CLI_VERSION} in ${path.dirname(cli)}; plugins kubernetes ${KUBERNETES_VERSION}, random ${RANDOM_VERSION}\n`,
  );
}

function installed(cli, version) {
  const result = spawnSync(cli, ["version"], { encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === `v${version}`;
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${result.status})`);
}

main().catch((err) => {
  process.stderr.write(`pulumi:install: ${err.message}\n`);
  process.exit(1);
});
