// BlueGreenService: the gradual shift through a Gateway API HTTPRoute (weights, 0 and 100 as plain flips).
import { changes } from "./support/diff";
import { find, kubernetesObjects, loadStackConfig, problemsOf, reveal, runProgram, runStack, StackConfig, withConfig } from "../testing/harness";
import { schemaProblems } from "./support/schema";
import { check } from "./support/releaseGuard";

const dev = loadStackConfig("dev");
const setWeb = (edit: (app: Record<string, any>) => void, base: StackConfig = dev) => withConfig(base, (c) => edit(c.apps[0]));
const GREEN_IMAGE = "harbor.dev.example.com/payments/web:1.5.0";
const route = { gateway: { name: "public", namespace: "ingress" }, hostnames: ["web.dev.example.com"] };

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

  test("{green: 10} from config: the route's weights, and the app's weights in the outputs", async () => {
    const { resources: rs, outputs } = await runStack(
      "dev",
      routed((a) => (a.trafficSplit = { green: 10 })),
    );
    expect(find(rs, "HTTPRoute", "web").inputs.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([
      ["web-blue", 90],
      ["web-green", 10],
    ]);
    expect(outputs.blueGreenApps["payments/web"].weights).toEqual({ blue: 90, green: 10 });
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
    if (expected.startsWith("^")) expect(problems).toContainEqual(expect.stringMatching(new RegExp(expected)));
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
