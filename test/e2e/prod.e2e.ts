// Prod through the real engine: the policy pack runs in previews (its levels from
// policy/config/prod.json), and a protected team namespace refuses deletion.
import { newProject, ok, platform, runEdited, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;

describeE2E("prod: policy pack and protection", () => {
  const dir = newProject("prod");

  beforeAll(() => {
    ok(platform(dir, "up", "--stack", "prod", "--yes"));
  });

  test("a preview with the policy pack passes and reports no mandatory violation", () => {
    const result = ok(platform(dir, "preview", "--stack", "prod", "--policy", "--json"));
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.policyViolations.filter((v: { level: string }) => v.level === "mandatory")).toEqual([]);
  });

  // Config validation already refuses tags in prod; an image from outside the allowed registries is the pack's to catch.
  test("an image from an unapproved registry fails the preview, the output names the rule, and nothing changes", () => {
    const unapprovedImage = (c: Record<string, any>) => (c["platform:jenkins"].image.controller = `quay.io/jenkins/jenkins@sha256:${"a".repeat(64)}`);
    const { result, before, after } = runEdited(dir, "prod", unapprovedImage, "preview", "--stack", "prod", "--policy");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\[mandatory\].*image-registry-allowed/);
    expect(result.stderr).toContain("quay.io");
    expect(after).toEqual(before);
  });

  test("removing a team fails on its protected namespace with a clear message; nothing is deleted", () => {
    const removeSearch = (c: Record<string, any>) => {
      c["platform:teams"] = c["platform:teams"].filter((t: { name: string }) => t.name !== "search");
      c["platform:apps"] = c["platform:apps"].filter((a: { team: string }) => a.team !== "search");
    };
    const { result, before, after } = runEdited(dir, "prod", removeSearch, "up", "--stack", "prod", "--yes");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/protect/i);
    expect(after.length).toBe(before.length);
  });
});
