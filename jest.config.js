/**
 * Unit tests run the real program under Pulumi mocks. Type checking is done once by `tsc` in
 * `npm test`, so ts-jest only transpiles (isolatedModules: no language service per worker, which
 * cost ~5 s per test file). One worker per core: jest's default leaves one core idle, half of a 2-core machine.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false, isolatedModules: true }] },
  maxWorkers: "100%",
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
};
