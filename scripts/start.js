// `npm start`, the main job: on a fresh clone it installs the dependencies, builds what the engine
// needs (first run only), then runs `up` of the dev stack: render mode without a kubeconfig
// (manifests in rendered/dev/), deploy with one.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

function step(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installed = ["node_modules/@pulumi/pulumi", "policy/node_modules/@pulumi/policy"].every((dir) => fs.existsSync(path.join(ROOT, dir)));
if (!installed) {
  console.error("start: installing dependencies (npm run setup)");
  step("npm", ["run", "--silent", "setup"]);
}
step(process.execPath, [path.join(ROOT, "scripts", "build.js")]);
// The runner runs the program in this process, so it gets the program's V8 flags (runner/nodeFlags.ts).
const { NODE_FLAGS } = require(path.join(ROOT, "bin", "runner", "nodeFlags.js"));
step(process.execPath, [...NODE_FLAGS, path.join(ROOT, "bin", "runner", "main.js"), "up", "--stack", "dev", "--yes", ...process.argv.slice(2)]);
