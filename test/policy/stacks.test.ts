// Eat our own cooking: everything the dev and prod stacks register goes through the pack with that
// environment's policy config, in an update (all values known) and in a first preview (unknowns).
import { loadStackConfig, Registered, runProgram, withConfig } from "../support/harness";
import { analyze, format, fromProgram, loadPolicyConfig, PackConfig } from "../support/policy";

const mandatory = async (resources: Registered[], config: PackConfig) =>
  (await analyze(fromProgram(resources), config)).filter((d) => d.enforcementLevel === "mandatory").map(format);

describe.each([["dev"], ["prod"]])("the %s stack under policy/config/%s.json", (stack) => {
  const config = loadPolicyConfig(stack);

  test("an update has no mandatory violation", async () => {
    expect(await mandatory(await runProgram(stack), config)).toEqual([]);
  });

  test("a first preview (provider-computed values unknown) has no mandatory violation and does not crash", async () => {
    const resources = await runProgram(stack, undefined, [], { preview: true });
    const diagnostics = await analyze(fromProgram(resources), config);
    expect(diagnostics.filter((d) => d.enforcementLevel === "mandatory").map(format)).toEqual([]);
  });

  test("advisories are reported, not hidden", async () => {
    const all = await analyze(fromProgram(await runProgram(stack)), config);
    // Printed so a reviewer sees what dev is warned about.
    if (all.length) console.log(`${stack}: ${all.length} advisory diagnostics\n${all.map(format).join("\n")}`);
    expect(all.every((d) => d.enforcementLevel === "advisory")).toBe(true);
  });
});
