// Eat our own cooking: everything the dev and prod stacks register goes through the pack with that
// environment's policy config, in an update (all values known) and in a first preview (unknowns).
import { PlatformConfigError } from "../../stacks/config";
import { find, loadStackConfig, problemsOf, Registered, runProgram, withConfig } from "../../testing/harness";
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

  test("advisories are reported, not hidden: exactly these rules advise", async () => {
    const all = await analyze(fromProgram(await runProgram(stack)), config);
    expect(all.filter((d) => d.enforcementLevel !== "advisory")).toEqual([]);
    // What dev is warned about (tags, writable CNI init containers, one autoscaled replica); prod is clean.
    const expected = stack === "dev" ? ["image-digest-required", "read-only-root-filesystem", "replicas-for-availability"] : [];
    expect([...new Set(all.map((d) => d.policyName))].sort()).toEqual(expected);
  });
});

describe("breaking one thing in a copy of the prod config is caught", () => {
  const prod = loadStackConfig("prod");
  const config = loadPolicyConfig("prod");
  const violated = async (resources: Registered[]) =>
    [...new Set((await analyze(fromProgram(resources), config)).filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName))].sort();
  const app = (name: string, edit: (a: any) => void) => withConfig(prod, (v) => edit(v.apps.find((a: any) => a.name === name)));

  test("an image from a registry that is not the prod Harbor (same digest)", async () => {
    const cfg = app("api", (a) => (a.image = a.image.replace("harbor.prod.example.com", "quay.io")));
    expect(await violated(await runProgram("prod", cfg))).toEqual(["image-registry-allowed"]);
  });

  test("a release tag instead of a digest never reaches the pack: config validation refuses it first", async () => {
    const cfg = app("web", (a) => (a.images.blue = "harbor.prod.example.com/payments/web:1.6.0"));
    expect(problemsOf(cfg)).toEqual([expect.stringMatching(/^platform:apps\[0\]\.images\.blue: prod pins images by digest/)]);
    await expect(runProgram("prod", cfg)).rejects.toThrow(PlatformConfigError);
  });

  test("a digest that never ran in dev", async () => {
    const cfg = app("api", (a) => (a.image = a.image.replace(/@sha256:.*/, "@sha256:" + "e".repeat(64))));
    expect(await violated(await runProgram("prod", cfg))).toEqual(["images-promoted"]);
  });

  test("a literal password in a stateful app's env", async () => {
    const cfg = app("db", (a) => (a.env = { ...a.env, REPLICATION_PASSWORD: "hunter2" }));
    expect(await violated(await runProgram("prod", cfg))).toEqual(["secret-env-from-secret-ref"]);
  });

  test("a tampered copy of a registered Deployment running :latest", async () => {
    const resources = await runProgram("prod");
    // A fixed-size Deployment (an HPA-managed copy would rightly trip replicas-for-availability too).
    const original = find(resources, "Deployment", "web-blue", "payments");
    const copy: Registered = JSON.parse(JSON.stringify({ ...original, name: "tampered", urn: original.urn + "-tampered" }));
    copy.inputs.spec.template.spec.containers[0].image = "harbor.prod.example.com/payments/web:latest";
    copy.inputs.metadata.name = "tampered";
    expect(await violated([...resources, copy])).toEqual(["image-digest-required", "image-tag-pinned", "images-promoted", "release-labels"]);
  });
});
