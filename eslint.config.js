// ESLint (flat config) with typescript-eslint's recommended rules for the program, the tests, the
// policy pack and the scripts. Formatting is Prettier's job (npm run lint runs both).
"use strict";
const js = require("@eslint/js");
const { defineConfig } = require("eslint/config");
const globals = require("globals");
const tseslint = require("typescript-eslint");

module.exports = defineConfig(
  {
    ignores: ["**/node_modules/", "bin/", "policy/bin/", "toolchain/go/", "rendered/", ".platform/", "coverage/"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused arguments named _x are part of a signature (mocks, providers); anything else unused is dead code.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // These walk untyped JSON: mock and engine output in tests and benchmarks, Kubernetes objects in
    // the policy pack, kubeconfigs and API responses in cluster/ and runner/, Pulumi state.
    files: ["test/**/*.ts", "testing/**/*.ts", "bench/**/*.ts", "policy/**/*.ts", "cluster/**/*.ts", "runner/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The engine benchmark loads the compiled runner from bin/ at run time, after compiling it.
    files: ["bench/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
