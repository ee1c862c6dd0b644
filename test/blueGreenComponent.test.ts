// BlueGreenService built from typed args alone: the live and preview Services, the hardened
// Deployments, instant rollback, retirement, the smoke-test gate. Flips and releases run through the
// whole program (only the selectors may change anywhere in the stack) in test/blueGreen.test.ts.
import { BlueGreenService, BlueGreenServiceArgs } from "../components/blueGreenService";
import { runComponents } from "../testing/components";
import { find, kubernetesObjects, ofKind, Registered, reveal } from "../testing/harness";
import { blueGreenArgs } from "./support/componentArgs";
import { schemaProblems } from "./support/schema";

const build = (over: Partial<BlueGreenServiceArgs> = {}) => runComponents(() => new BlueGreenService("payments-web", blueGreenArgs(over)));
const CURL = "harbor.prod.example.com/mirror/curl@sha256:" + "3".repeat(64);
const smokeTest = { path: "/healthz", expectStatus: 200, image: CURL };

describe("the two colors", () => {
  test("after a flip the old color keeps running at full size (instant rollback)", async () => {
    expect(find(await build({ activeColor: "green" }), "Deployment", "web-blue").inputs.spec.replicas).toBe(2);
  });

  test("retireInactive scales only the inactive color to zero", async () => {
    const rs = await build({ activeColor: "green", retireInactive: true });
    expect(find(rs, "Deployment", "web-blue").inputs.spec.replicas).toBe(0);
    expect(find(rs, "Deployment", "web-green").inputs.spec.replicas).toBe(2);
  });
});

describe("services and deployments", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await build();
  });

  test("the live Service targets the active color, the preview Service the other", () => {
    expect(find(rs, "Service", "web", "payments").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(find(rs, "Service", "web-preview", "payments").inputs.spec.selector).toEqual({ app: "web", color: "green" });
    expect(find(rs, "Service", "web").inputs.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
  });

  test("each Deployment: fixed selector, rolling update, probes, resources, hardened container, team identity", () => {
    const d = find(rs, "Deployment", "web-blue", "payments").inputs;
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web", color: "blue" } });
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
    expect(d.spec.minReadySeconds).toBe(5);
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe("payments-workload");
    const c = pod.containers[0];
    expect(c.image).toBe("harbor.dev.example.com/payments/web:1.4.0");
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(c.readinessProbe.httpGet.path).toBe("/ready");
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.envFrom).toEqual([{ configMapRef: { name: "web-config" } }]);
    expect(c.env).toBeUndefined();
    expect(find(rs, "PodDisruptionBudget", "web-blue").inputs.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: "web", color: "blue" } } });
  });

  test("without a smoke test there is no Job and no smoke Service", () => {
    expect(rs.filter((r) => r.inputs.kind === "Job" || r.inputs.metadata?.name === "web-smoke")).toEqual([]);
  });
});

describe("smoke-test gate", () => {
  test("a Job vets the color about to go live; the live Service waits for it", async () => {
    const rs = await build({ smokeTest });
    const job = rs.find((r) => r.inputs.kind === "Job")!;
    expect(job.inputs.metadata.name).toMatch(/^web-smoke-[0-9a-f]{10}$/);
    expect(job.inputs.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 120 });
    const container = job.inputs.spec.template.spec.containers[0];
    expect(container.args).toEqual(["http://web-smoke.payments.svc.cluster.local/healthz"]);
    expect(container.image).toBe(CURL);
    expect(container.command[2]).toContain('test "$code" = "200"');
    expect(find(rs, "Service", "web-smoke").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(find(rs, "Service", "web").dependsOn).toContain(job.urn);
  });

  test("the Services that carry traffic skip the provider's await; the smoke Service, which the Job calls through, keeps it", async () => {
    const rs = await build({ smokeTest });
    const skipAwait = (name: string) => find(rs, "Service", name).inputs.metadata.annotations?.["pulumi.com/skipAwait"];
    expect({ live: skipAwait("web"), preview: skipAwait("web-preview"), smoke: skipAwait("web-smoke") }).toEqual({
      live: "true",
      preview: "true",
      smoke: undefined,
    });
  });

  test("each promotion runs a fresh Job, named after the target image", async () => {
    const jobName = async (activeColor: "blue" | "green") =>
      (await build({ smokeTest, activeColor })).find((r) => r.inputs.kind === "Job")!.inputs.metadata.name;
    expect(await jobName("blue")).not.toEqual(await jobName("green"));
  });
});

describe("per-color autoscaling", () => {
  const autoscale = { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 };

  test("each color gets an HPA and its Deployment leaves replicas to it", async () => {
    const rs = await build({ replicas: undefined, autoscale });
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

  test("retiring the inactive color removes its HPA and scales it to zero", async () => {
    const rs = await build({ replicas: undefined, autoscale, activeColor: "green", retireInactive: true });
    expect(ofKind(rs, "HorizontalPodAutoscaler").map((r) => r.inputs.metadata.name)).toEqual(["web-green"]);
    expect(find(rs, "Deployment", "web-blue").inputs.spec.replicas).toBe(0);
  });
});

describe("rollout and the gradual shift", () => {
  test("maxSurge, maxUnavailable and minReadySeconds as given", async () => {
    const spec = find(await build({ rollout: { maxSurge: 1, maxUnavailable: "10%", minReadySeconds: 20 } }), "Deployment", "web-green").inputs.spec;
    expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "10%" } });
    expect(spec.minReadySeconds).toBe(20);
  });

  test("{green: 10} weights a Service per color 90/10 on the HTTPRoute; the live Service stays on blue", async () => {
    let web!: BlueGreenService;
    const route = { gateway: { name: "public", namespace: "ingress" }, hostnames: ["web.dev.example.com"] };
    const rs = await runComponents(() => (web = new BlueGreenService("payments-web", blueGreenArgs({ route, trafficSplit: { green: 10 } }))));
    expect(find(rs, "HTTPRoute", "web").inputs.spec.rules[0].backendRefs).toEqual([
      { name: "web-blue", port: 80, weight: 90 },
      { name: "web-green", port: 80, weight: 10 },
    ]);
    expect(find(rs, "Service", "web-blue").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(find(rs, "Service", "web-green").inputs.spec.selector).toEqual({ app: "web", color: "green" });
    expect(find(rs, "Service", "web").inputs.spec.selector).toEqual({ app: "web", color: "blue" });
    expect(web.weights).toEqual({ blue: 90, green: 10 });
    for (const r of kubernetesObjects(rs)) expect(schemaProblems(reveal(r.inputs))).toEqual([]);
  });
});
