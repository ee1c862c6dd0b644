// BlueGreenService releases through the whole program: the live color is protected, a flip with
// per-color HPAs changes only selectors, rollout settings from config (the gradual shift:
// test/blueGreenShift.test.ts; per-color HPAs and rollout from typed args: test/blueGreenComponent.test.ts).
import { liveUpdateProblem, ReleaseState } from "../components/liveReleaseGuard";
import { changes } from "./support/diff";
import { find, loadStackConfig, problemsOf, runProgram, StackConfig, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const setWeb = (edit: (app: Record<string, any>) => void, base: StackConfig = dev) => withConfig(base, (c) => edit(c.apps[0]));

import { check, guardOf } from "./support/releaseGuard";

describe("the live color's image changes only through a flip: the live-color guard", () => {
  const bumpBlue = (a: Record<string, any>) => (a.images.blue = "harbor.dev.example.com/payments/web:1.4.1");

  test("changing the live color's image is refused by the engine's check, naming the way out", async () => {
    expect(await check(dev, setWeb(bumpBlue))).toEqual([
      'images: payments/web: the live color\'s image would change from harbor.dev.example.com/payments/web:1.4.0 to harbor.dev.example.com/payments/web:1.4.1: "blue" serves traffic, so this image would go live untested. ' +
        'Release to the idle color "green", test it through the preview Service, then flip; or set allowLiveUpdate: true for this one update.',
    ]);
  });

  test("flipping to a color whose image changes in the same update is refused too", async () => {
    const failures = await check(
      dev,
      setWeb((a) => {
        a.activeColor = "green";
        a.images.green = "harbor.dev.example.com/payments/web:1.7.0";
      }),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('"green" goes live in this update with an image the preview Service never served');
  });

  test.each<[string, (a: Record<string, any>) => void]>([
    ["a release to the idle color", (a) => (a.images.green = "harbor.dev.example.com/payments/web:1.6.0")],
    ["a flip", (a) => (a.activeColor = "green")],
    [
      "a hotfix with allowLiveUpdate",
      (a) => {
        bumpBlue(a);
        a.allowLiveUpdate = true;
      },
    ],
    [
      "scaling and retiring",
      (a) => {
        a.replicas = { blue: 4, green: 2 };
        a.retireInactive = true;
      },
    ],
  ])("%s passes", async (_what, edit) => {
    expect(await check(dev, setWeb(edit))).toEqual([]);
  });

  test("the first update of an app has nothing to protect", () => {
    const news: ReleaseState = { app: "payments/web", liveColor: "blue", images: { blue: "r/web:1" }, allowLiveUpdate: false };
    expect(liveUpdateProblem({}, news)).toBeUndefined();
  });

  test("every object of the app waits for the guard, so a refused release changes none of them", async () => {
    const rs = await runProgram("prod");
    const guard = guardOf(rs);
    const appObjects = rs.filter((r) => r.parent === guard.parent && r !== guard);
    expect(appObjects.map((r) => r.inputs.kind).sort()).toEqual([
      "Deployment",
      "Deployment",
      "HTTPRoute",
      "Job",
      "PodDisruptionBudget",
      "PodDisruptionBudget",
      "Service",
      "Service",
      "Service",
    ]);
    for (const r of appObjects) expect({ name: r.name, waits: r.dependsOn.includes(guard.urn) }).toEqual({ name: r.name, waits: true });
  });
});

describe("per-color autoscaling", () => {
  const autoscale = { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 };
  const withHpa = (edit: (a: Record<string, any>) => void = () => undefined) =>
    setWeb((a) => {
      delete a.replicas;
      a.autoscale = autoscale;
      edit(a);
    });

  test("a flip still changes only the Service selectors", async () => {
    const keys = Object.keys(
      changes(
        await runProgram("dev", withHpa()),
        await runProgram(
          "dev",
          withHpa((a) => (a.activeColor = "green")),
        ),
      ),
    );
    expect(keys.filter((k) => k.startsWith("kubernetes:")).sort()).toEqual([
      "kubernetes:core/v1:Service::payments-web",
      "kubernetes:core/v1:Service::payments-web-preview",
    ]);
  });

  test("replicas and autoscale together are refused, naming the key", () => {
    expect(problemsOf(setWeb((a) => (a.autoscale = autoscale)))).toContain(
      "platform:apps[0].replicas: remove replicas: with autoscale the HPA owns each color's pod count",
    );
    expect(problemsOf(withHpa((a) => (a.autoscale.maxReplicas = 1)))).toContain("platform:apps[0].autoscale.maxReplicas: 1 is below minReplicas 2");
  });
});

describe("rollout settings", () => {
  test("maxSurge, maxUnavailable and minReadySeconds come from config", async () => {
    const rs = await runProgram(
      "dev",
      setWeb((a) => (a.rollout = { maxSurge: 1, maxUnavailable: "10%", minReadySeconds: 20 })),
    );
    const spec = find(rs, "Deployment", "web-green").inputs.spec;
    expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "10%" } });
    expect(spec.minReadySeconds).toBe(20);
  });

  test.each<[string, object, string]>([
    [
      "a rollout that can never progress",
      { maxSurge: 0, maxUnavailable: "0%" },
      "platform:apps[0].rollout: maxSurge and maxUnavailable cannot both be 0: the rollout could never make progress",
    ],
    [
      "a surge that is neither a count nor a percentage",
      { maxSurge: "lots" },
      'platform:apps[0].rollout.maxSurge: expected a whole number or a percentage like "25%", got "lots"',
    ],
  ])("%s is refused, naming the key", (_what, rollout, expected) => {
    expect(problemsOf(setWeb((a) => (a.rollout = rollout)))).toContain(expected);
  });
});
