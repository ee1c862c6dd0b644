/**
 * End-to-end tests: the real Pulumi engine (built by `npm run toolchain`) runs the program through
 * `npm run platform`. One file at a time: each drives whole engine runs on a 2-core machine.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  globalSetup: "<rootDir>/test/e2e/support/globalSetup.js",
  maxWorkers: 1,
  testTimeout: 20 * 60 * 1000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
};
