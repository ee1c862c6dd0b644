// The domain rules (components/rules), called directly: the verdicts config reports by key and
// components assert with.
import {
  appNameProblems,
  assertNoVerdicts,
  blueGreenProblems,
  calicoProblems,
  requestAboveLimit,
  scalingProblems,
  servingProblems,
  splitColors,
  trafficOf,
  trafficSplitProblems,
} from "../components/rules";

const serving = { activeColor: "blue" as const, images: { blue: "web:1" }, autoscaled: false, retireInactive: false };

describe("blue-green traffic", () => {
  test("the live color, a weighted split, and 0/100 splits as plain flips", () => {
    expect(trafficOf("blue")).toEqual({ live: "blue" });
    expect(trafficOf("blue", { green: 10 })).toEqual({ live: "blue", weights: { green: 10, blue: 90 } });
    expect(trafficOf("blue", { green: 100 })).toEqual({ live: "green" });
    expect(trafficOf("blue", { green: 0 })).toEqual({ live: "blue" });
  });

  test("a split names exactly one color and needs a route", () => {
    expect(splitColors({ green: 10, blue: undefined })).toEqual(["green"]);
    expect(splitColors([10])).toEqual([]);
    expect(trafficSplitProblems({ green: 10, blue: 90 }, true).map((v) => v.at)).toEqual([["trafficSplit"]]);
    expect(trafficSplitProblems({ green: 10 }, false)[0].problem).toMatch(/^needs route/);
    expect(trafficSplitProblems(undefined, false)).toEqual([]);
  });

  test("every color that gets traffic needs an image and pods; a color with traffic cannot retire", () => {
    expect(servingProblems(serving)).toEqual([]);
    expect(servingProblems({ ...serving, activeColor: "green" }).map((v) => v.at)).toEqual([["images", "green"]]);
    expect(servingProblems({ ...serving, replicas: { blue: 0 } }).map((v) => v.at)).toEqual([["replicas", "blue"]]);
    expect(servingProblems({ ...serving, replicas: { blue: 0 }, autoscaled: true })).toEqual([]);
    const split = servingProblems({ ...serving, trafficSplit: { green: 10 }, retireInactive: true });
    expect(split.map((v) => v.at)).toEqual([["images", "green"], ["retireInactive"]]);
    expect(split[0].problem).toBe('is required: trafficSplit sends 10% of traffic to "green" has no image, so traffic would go nowhere');
  });

  test("components assert the same verdicts, naming the subject and the setting", () => {
    const problems = blueGreenProblems({ ...serving, activeColor: "green", routed: false, trafficSplit: { green: 10 } });
    expect(() => assertNoVerdicts("BlueGreenService payments/web", problems)).toThrow(
      /^BlueGreenService payments\/web: trafficSplit: needs route.*; images\.green: is required/,
    );
    expect(() => assertNoVerdicts("x", [])).not.toThrow();
  });
});

describe("scaling, resources, networking, names", () => {
  test("an HPA range that holds and at least one target", () => {
    expect(scalingProblems({ minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 70 })).toEqual([]);
    expect(scalingProblems({ minReplicas: 5, maxReplicas: 2, targetMemoryUtilization: 80 })).toEqual([
      { at: ["maxReplicas"], problem: "2 is below minReplicas 5" },
    ]);
    expect(scalingProblems({ minReplicas: 1, maxReplicas: 2 }).map((v) => v.at)).toEqual([["targetCpuUtilization"]]);
  });

  test("a request above its limit", () => {
    expect(requestAboveLimit("1", "500m", "cpu")).toBe("1 is more than limits.cpu 500m");
    expect(requestAboveLimit("512Mi", "1Gi", "memory")).toBeUndefined();
  });

  test("Calico: IPIP and None need BGP; blocks must fit the pod CIDR", () => {
    expect(calicoProblems({ encapsulation: "VXLAN", bgp: "Disabled", podCidr: "10.244.0.0/16", blockSize: 26 })).toEqual([]);
    expect(calicoProblems({ encapsulation: "IPIP", bgp: "Disabled" })[0]).toMatchObject({
      at: ["encapsulation"],
      problem: expect.stringMatching(/^"IPIP" needs BGP/),
    });
    expect(calicoProblems({ encapsulation: "None", bgp: "Enabled" })).toEqual([]);
    expect(calicoProblems({ podCidr: "10.0.0.0/28", blockSize: 26 }).map((v) => v.at)).toEqual([["blockSize"]]);
  });

  test("an app name whose derived names do not fit says how long its kind's names may be", () => {
    expect(appNameProblems("web", "blueGreen")).toEqual([]);
    const [v] = appNameProblems("a".repeat(60), "blueGreen");
    expect(v.problem).toMatch(/derives names the API server would refuse: .*at most \d+ characters fit a blueGreen app$/);
  });
});
