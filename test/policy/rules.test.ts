// Every rule against the compliant fixture stack (passes) and against one edit of it (violates).
// The cases live in ruleCases/, one file per group of factors.
import { rules } from "../../policy/pack";
import { format } from "../support/policy";
import { run } from "./ruleCases/harness";
import * as factors from "./ruleCases/factors";
import * as podSecurity from "./ruleCases/podSecurity";
import * as processes from "./ruleCases/processes";

const violations = [...podSecurity.violations, ...processes.violations, ...factors.violations];
const passes = [...podSecurity.passes, ...processes.passes, ...factors.passes];

test("the compliant fixture stack passes every rule", async () => {
  expect((await run()).map(format)).toEqual([]);
});

test("every rule has a violating fixture below", () => {
  const covered = new Set(violations.map(([rule]) => rule));
  expect(rules.map((r) => r.meta.name).filter((n) => !covered.has(n))).toEqual([]);
});

test.each(violations)("%s: %s is a violation", async (rule, _what, edit, fragment) => {
  const found = (await run(edit)).filter((d) => d.policyName === rule);
  expect(found.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  // The message names the rule first and says how to fix it.
  for (const d of found) expect(d.message).toMatch(new RegExp(`^${rule}: .*\\. \\[[^\\]]+\\] Fix: `, "s"));
});

// Cases that look close to a violation but are fine.

test.each(passes)("%s: %s is fine", async (rule, _what, edit) => {
  expect((await run(edit)).filter((d) => d.policyName === rule).map(format)).toEqual([]);
});
