// Blue-green through the whole program: a flip is a selector change and nothing else in the stack; a
// release touches only the idle color; outputs; prod's smoke test; guards and config. The component's
// own objects, from typed args, are in test/blueGreenComponent.test.ts.
import { PlatformConfigError } from "../stacks/config";
import { changes } from "./support/diff";
import { find, loadStackConfig, outputValue, problemsOf, Registered, runProgram, runStack, StackConfig, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const setApp = (base: StackConfig, edit: (app: Record<string, any>) => void) => withConfig(base, (c) => edit(c.apps[0]));
const GUARD = "pulumi-nodejs:dynamic/platform:LiveReleaseGuard::payments-web-release";

describe("the config flip", () => {
  test.each([
    ["blue", "green"],
    ["green", "blue"],
  ])("%s -> %s changes only the Service selectors", async (from, to) => {
    const before = await runProgram(
      "dev",
      setApp(dev, (a) => (a.activeColor = from)),
    );
    const after = await runProgram(
      "dev",
      setApp(dev, (a) => (a.activeColor = to)),
    );
    expect(changes(before, after)).toStrictEqual({
      "kubernetes:core/v1:Service::payments-web": ["spec.selector.color"],
      "kubernetes:core/v1:Service::payments-web-preview": ["spec.selector.color"],
      // Not a Kubernetes object: the guard's record of which color is live (see the release tests).
      [GUARD]: ["liveColor"],
    });
    expect(find(after, "Service", "web").inputs.spec.selector).toEqual({ app: "web", color: to });
    expect(find(after, "Service", "web-preview").inputs.spec.selector).toEqual({ app: "web", color: from });
  });

  test("a release to the idle color changes only that color's Deployment, never its selector", async () => {
    const before = await runProgram("dev");
    const after = await runProgram(
      "dev",
      setApp(dev, (a) => (a.images.green = "harbor.dev.example.com/payments/web:1.6.0")),
    );
    expect(changes(before, after)).toStrictEqual({
      "kubernetes:apps/v1:Deployment::payments-web-green": [
        "metadata.labels.app.kubernetes.io/version",
        "spec.template.metadata.labels.app.kubernetes.io/version",
        "spec.template.spec.containers.0.image",
      ],
      [GUARD]: ["images.green"],
    });
    const green = find(after, "Deployment", "web-green").inputs;
    expect(green.spec.selector).toEqual({ matchLabels: { app: "web", color: "green" } });
    expect(green.spec.template.metadata.labels["app.kubernetes.io/version"]).toBe("1.6.0");
  });

  test("the guards' provider is declared with no inputs, so no config change updates it (and restarts its host)", async () => {
    const providers = (await runProgram("dev")).filter((r) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(providers.map((p) => ({ name: p.name, inputs: p.inputs }))).toEqual([{ name: "release-guards", inputs: {} }]);
  });
});

describe("dev's web from config", () => {
  test("outputs: colors, images, services, selector and preview address", async () => {
    const { outputs } = await runStack("dev");
    const app = outputs.blueGreenApps["payments/web"];
    expect(app.activeColor).toBe("blue");
    expect(app.inactiveColor).toBe("green");
    expect(app.images).toEqual({ blue: "harbor.dev.example.com/payments/web:1.4.0", green: "harbor.dev.example.com/payments/web:1.5.0" });
    expect(await outputValue(app.service)).toBe("web");
    expect(await outputValue(app.previewService)).toBe("web-preview");
    expect(await outputValue(app.selector)).toEqual({ app: "web", color: "blue" });
    expect(await outputValue(app.previewAddress)).toBe("web-preview.payments.svc.cluster.local");
  });

  test("its team's ServiceAccount and the configured env sources", async () => {
    const pod = find(await runProgram("dev"), "Deployment", "web-blue", "payments").inputs.spec.template.spec;
    expect(pod.serviceAccountName).toBe("payments-workload");
    expect(pod.containers[0].envFrom).toEqual([{ configMapRef: { name: "web-config" } }]);
  });
});

describe("smoke-test gate from prod's config", () => {
  test("a Job with the mirrored curl image vets the color about to go live; the live Service waits for it", async () => {
    const rs = await runProgram("prod");
    const job = rs.find((r) => r.inputs.kind === "Job")!;
    const container = job.inputs.spec.template.spec.containers[0];
    expect(container.args).toEqual(["http://web-smoke.payments.svc.cluster.local/healthz"]);
    expect(container.image).toMatch(/^harbor\.prod\.example\.com\/mirror\/curl@sha256:/);
    expect(find(rs, "Service", "web").dependsOn).toContain(job.urn);
  });
});

describe("guards and config", () => {
  test.each<[string, (a: Record<string, any>) => void, string]>([
    [
      "active color without an image",
      (a) => {
        delete a.images.green;
        a.activeColor = "green";
      },
      'platform:apps[0].images.green: is required: the active color "green" has no image, so traffic would go nowhere',
    ],
    [
      "active color with zero replicas",
      (a) => (a.replicas.blue = 0),
      'platform:apps[0].replicas.blue: the active color "blue" has 0 replicas, so traffic would go nowhere',
    ],
    ["a color that is not blue or green", (a) => (a.activeColor = "red"), 'platform:apps[0].activeColor: expected one of "blue" | "green", got "red"'],
    [
      "an image without a pinned tag",
      (a) => (a.images.green = "harbor.dev.example.com/payments/web:latest"),
      'platform:apps[0].images.green: expected an image with a pinned tag or digest like "repo/app:1.2.3", got "harbor.dev.example.com/payments/web:latest"',
    ],
    ["an unknown team", (a) => (a.team = "marketing"), 'platform:apps[0].team: "marketing" is not a configured team (teams: payments, search)'],
    ["a third color", (a) => (a.images.red = "x/y:1"), "platform:apps[0].images.red: unknown key (check the spelling)"],
    ["missing resources", (a) => delete a.resources, "platform:apps[0].resources: is required (expected object)"],
    [
      "a bad smoke-test status",
      (a) => (a.smokeTest = { path: "/healthz", expectStatus: 700 }),
      "platform:apps[0].smokeTest.expectStatus: Too big: expected number to be <=599, got number 700",
    ],
  ])("%s is refused, naming the key", (_what, edit, expected) => {
    expect(problemsOf(setApp(dev, edit))).toContain(expected);
  });

  test("a duplicate app in one team is refused", () => {
    let index = -1;
    const cfg = withConfig(dev, (c) => (index = c.apps.push({ ...c.apps[0] }) - 1));
    expect(problemsOf(cfg)).toContain(`platform:apps[${index}].name: "web" is already used by another app of team "payments"`);
  });

  test("the guard stops the program before anything is registered", async () => {
    const registered: Registered[] = [];
    await expect(
      runProgram(
        "dev",
        setApp(dev, (a) => (a.replicas.blue = 0)),
        registered,
      ),
    ).rejects.toThrow(PlatformConfigError);
    expect(registered).toEqual([]);
  });
});
