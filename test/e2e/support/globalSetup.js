// Before the end-to-end suites: compile bin/ and check that the toolchain is there. A missing piece
// fails the run (building it takes ~40 minutes: `npm run toolchain` does that, and .ci/run calls it).
const { spawnSync } = require("child_process");
const path = require("path");

module.exports = async () => {
  if (process.env.PLATFORM_E2E_SKIP === "1") {
    process.stderr.write("\n*** PLATFORM_E2E_SKIP=1: the end-to-end suites are SKIPPED (never set this in CI) ***\n");
    return;
  }
  const root = path.resolve(__dirname, "../../..");
  const run = (args, env = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (run([path.join(root, "scripts/build.js")]).status !== 0) throw new Error("e2e: npm run build failed");
  const check = run([path.join(root, "bin/toolchain/main.js")], { PLATFORM_TOOLCHAIN_NO_BUILD: "1" });
  if (check.status !== 0) throw new Error("e2e: the toolchain is missing: run `npm run toolchain` first (or set PLATFORM_E2E_SKIP=1 to skip)");
};
