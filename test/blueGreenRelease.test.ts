// BlueGreenService releases: the live color is protected, per-color autoscaling, rollout settings,
// and the gradual shift through a Gateway API HTTPRoute.
import { liveUpdateProblem, ReleaseState } from "../components/liveReleaseGuard";
import { changes } from "./support/diff";
import {
  find,
  kubernetesObjects,
  loadStackConfig,
  ofKind,
  problemsOf,
  Registered,
  reveal,
  runProgram,
  runStack,
  StackConfig,
  withConfig,
} from "../testing/harness";
import { schemaProblems } from "./support/schema";

const dev = loadStackConfig("dev");
const setWeb = (edit: (app: Record<string, any>) => void, base: StackConfig = dev) => withConfig(base, (c) => edit(c.apps[0]));
const GREEN_IMAGE = "harbor.dev.example.com/payments/web:1.5.0";
const route = { gateway: { name: "public", namespace: "ingress" }, hostnames: ["web.dev.example.com"] };

const guardOf = (rs: Registered[]) => rs.find((r) => r.type === "pulumi-nodejs:dynamic/platform:LiveReleaseGuard")!;

/** The provider exactly as the engine runs it: the serialized text, loaded the way the dynamic provider host loads it. */
async function engineProvider(guard: Registered) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };
  return requireFromString(await guard.inputs.__provider).handler();
}

/** What the engine's `check` says when the app goes from the `before` config to the `after` one. */
async function check(before: StackConfig, after: StackConfig): Promise<string[]> {
  const olds = guardOf(await runProgram("dev", before)).inputs;
  const news = guardOf(await runProgram("dev", after)).inputs;
  const provider = await engineProvider(guardOf(await runProgram("dev", after)));
  const result = await provider.check(olds, news);
  return (result.failures ?? []).map((f: { property: string; reason: string }) => `${f.property}: ${f.reason}`);
}

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

  test("each color gets an HPA and its Deployment leaves replicas to it", async () => {
    const rs = await runProgram("dev", withHpa());
    for (const color of ["blue", "green"]) {
      expect(find(rs, "Deployment", `web-${color}`).inputs.spec.replicas).toBeUndefined();
      expect(find(rs, "HorizontalPodAutoscaler", `web-${color}`).inputs.spec).toMatchObject({
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: `web-${color}` },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      });
    }
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

  test("retiring the inactive color removes its HPA and scales it to zero", async () => {
    const rs = await runProgram(
      "dev",
      withHpa((a) => {
        a.activeColor = "green";
        a.retireInactive = true;
      }),
    );
    expect(
      ofKind(rs, "HorizontalPodAutoscaler")
        .filter((r) => r.inputs.metadata.namespace === "payments")
        .map((r) => r.inputs.metadata.name),
    ).toEqual(["web-green"]);
    expect(find(rs, "Deployment", "web-blue").inputs.spec.replicas).toBe(0);
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

describe("gradual shift through a Gateway API HTTPRoute", () => {
  const routed = (edit: (a: Record<string, any>) => void = () => undefined) =>
    setWeb((a) => {
      a.route = structuredClone(route);
      edit(a);
    });
  const k8sObjects = async (cfg: StackConfig) => JSON.stringify(kubernetesObjects(await runProgram("dev", cfg)).map((r) => [r.name, r.inputs]));

  test("with no split the route sends everything to the live Service, so a flip still touches only selectors", async () => {
    const rs = await runProgram("dev", routed());
    expect(find(rs, "HTTPRoute", "web", "payments").inputs.spec).toEqual({
      parentRefs: [{ name: "public", namespace: "ingress" }],
      hostnames: ["web.dev.example.com"],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "web", port: 80 }] }],
    });
    const flipped = await runProgram(
      "dev",
      routed((a) => (a.activeColor = "green")),
    );
    expect(
      Object.keys(changes(rs, flipped))
        .filter((k) => k.startsWith("kubernetes:"))
        .sort(),
    ).toEqual(["kubernetes:core/v1:Service::payments-web", "kubernetes:core/v1:Service::payments-web-preview"]);
  });

  test("{green: 10} weights a Service per color 90/10; the live Service stays on blue", async () => {
    const { resources: rs, outputs } = await runStack(
      "dev",
      routed((a) => (a.trafficSplit = { green: 10 })),
    );
    expect(find(rs, "HTTPRoute", "web").inputs.spec.rules[0].backendRefs).toEqual([
      { name: "web-blue", port: 80, weight: 90 },
      { name: "web-green", port: 80, weight: 10 },
    ]);
    expect(find(rs, "Service", "web-blue").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(find(rs, "Service", "web-green").inputs.spec.selector).toEqual({ app: "web", color: "green" });
    expect(find(rs, "Service", "web").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(outputs.apps["payments/web"].weights).toEqual({ blue: 90, green: 10 });
    for (const r of kubernetesObjects(rs)) expect(schemaProblems(reveal(r.inputs))).toEqual([]);
  });

  test("100 and 0 behave exactly like a plain flip", async () => {
    expect(await k8sObjects(routed((a) => (a.trafficSplit = { green: 100 })))).toEqual(await k8sObjects(routed((a) => (a.activeColor = "green"))));
    expect(
      await k8sObjects(
        routed((a) => {
          a.activeColor = "green";
          a.trafficSplit = { green: 0 };
        }),
      ),
    ).toEqual(await k8sObjects(routed()));
  });

  test.each<[string, (a: Record<string, any>) => void, string]>([
    [
      "a weight above 100",
      (a) => (a.trafficSplit = { green: 150 }),
      "platform:apps[0].trafficSplit.green: expected a whole percentage from 0 to 100, got number 150",
    ],
    [
      "a negative weight",
      (a) => (a.trafficSplit = { green: -5 }),
      "platform:apps[0].trafficSplit.green: expected a whole percentage from 0 to 100, got number -5",
    ],
    [
      "a fractional weight",
      (a) => (a.trafficSplit = { green: 2.5 }),
      "platform:apps[0].trafficSplit.green: expected a whole percentage from 0 to 100, got number 2.5",
    ],
    [
      "weights for both colors",
      (a) => (a.trafficSplit = { blue: 50, green: 50 }),
      "platform:apps[0].trafficSplit: give the percent of one color, like {green: 10}; the other color gets the rest",
    ],
    [
      "a split with no route",
      (a) => {
        delete a.route;
        a.trafficSplit = { green: 10 };
      },
      "platform:apps[0].trafficSplit: needs route: the weights are set on the app's Gateway API HTTPRoute (or set trafficSplit.via: istio with the mesh on)",
    ],
    [
      "a split to a color with no image",
      (a) => {
        delete a.images.green;
        a.trafficSplit = { green: 10 };
      },
      'platform:apps[0].images.green: is required: trafficSplit sends 10% of traffic to "green" has no image, so traffic would go nowhere',
    ],
    [
      "retiring a color that still gets traffic",
      (a) => {
        a.trafficSplit = { green: 10 };
        a.retireInactive = true;
      },
      "platform:apps[0].retireInactive: cannot retire a color while trafficSplit sends it traffic; finish the shift (0 or 100) first",
    ],
    ["a gateway with a bad name", (a) => (a.route.gateway.name = "Public"), /^platform:apps\[0\]\.route\.gateway\.name: expected a DNS-1123 label/.source],
  ])("%s is refused, naming the key", (_what, edit, expected) => {
    const problems = problemsOf(routed(edit));
    if (expected.startsWith("^")) expect(problems.some((p) => new RegExp(expected).test(p))).toBe(true);
    else expect(problems).toContain(expected);
  });

  test("the guard follows the traffic: {green: 100} protects green's image", async () => {
    const failures = await check(
      routed(),
      routed((a) => {
        a.trafficSplit = { green: 100 };
        a.images.green = "harbor.dev.example.com/payments/web:1.9.0";
      }),
    );
    expect(failures.join("\n")).toContain(`the live color's image would change from ${GREEN_IMAGE} to harbor.dev.example.com/payments/web:1.9.0`);
  });
});
