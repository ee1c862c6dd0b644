/**
 * End-to-end tests: the real Pulumi engine (built by `npm run toolchain`) runs the program through
 * `npm run platform`. One file at a time: each drives whole engine runs on a 2-core machine.
 *
 * The live suite (test/e2e/live.e2e.ts: a control plane on loopback) runs only when named on the
 * command line or with PLATFORM_E2E_LIVE=1 (`npm run test:live`): its control plane is a separate
 * cold build (`npm run cluster -- build`); .ci/run runs it after `npm test` when the budget allows (README).
 */
const live = process.env.PLATFORM_E2E_LIVE === "1" || process.argv.some((arg) => /live\.e2e/.test(arg));

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  testPathIgnorePatterns: live ? ["/node_modules/"] : ["/node_modules/", "/test/e2e/live\\.e2e\\.ts$"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false, isolatedModules: true }] },
  globalSetup: "<rootDir>/test/e2e/support/globalSetup.js",
  maxWorkers: 1,
  testTimeout: 20 * 60 * 1000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
};
