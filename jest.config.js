/**
 * Unit tests run the real program under Pulumi mocks. Type checking is done once by `tsc` in
 * `npm test`, so ts-jest only transpiles (isolatedModules: no language service per worker, which
 * cost ~5 s per test file). One worker per core: jest's default leaves one core idle, half of a 2-core machine.
 * The environment is jest's node one with the SDK's bookkeeping stacks left unmapped (see the file).
 */
module.exports = {
  testEnvironment: "<rootDir>/test/support/environment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false, isolatedModules: true }] },
  maxWorkers: "100%",
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
};
