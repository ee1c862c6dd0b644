// AutoscaledService from typed args: the HPA owns the replica count; Deployment, Service, PDB are
// hardened and named. Then prod's api from config, its outputs, and bad config by key.
import { AutoscaledService } from "../components/autoscaledService";
import { runComponents } from "../testing/components";
import { find, loadStackConfig, outputValue, problemsOf, Registered, runStack, withConfig } from "../testing/harness";
import { autoscaledArgs } from "./support/componentArgs";

const dev = loadStackConfig("dev");
const apiIndex = (c: Record<string, any>) => c.apps.findIndex((a: any) => a.kind === "autoscaled");
const setApi = (edit: (a: Record<string, any>) => void) => withConfig(dev, (c) => edit(c.apps[apiIndex(c)]));

describe("an autoscaled service", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await runComponents(() => new AutoscaledService("search-api", autoscaledArgs()));
  });

  test("the Deployment leaves spec.replicas to the HPA", () => {
    const d = find(rs, "Deployment", "api", "search").inputs;
    expect(d.spec).not.toHaveProperty("replicas");
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(c.readinessProbe.httpGet.path).not.toEqual(c.livenessProbe.httpGet.path);
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    // Connection settings come from the database's generated Secret, never a literal URL.
    expect(c.envFrom).toEqual([{ configMapRef: { name: "api-config" } }, { secretRef: { name: "db-credentials" } }]);
    expect(d.spec.template.spec.serviceAccountName).toBe("search-workload");
  });

  test("the HPA targets the Deployment with CPU and memory, bounds and stabilization windows", () => {
    const hpa = find(rs, "HorizontalPodAutoscaler", "api", "search").inputs;
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(20);
    expect(hpa.spec.metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
    ]);
    expect(hpa.spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 600 }, scaleUp: { stabilizationWindowSeconds: 0 } });
  });

  test("Service with a named port, PDB", () => {
    expect(find(rs, "Service", "api", "search").inputs.spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" },
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    });
    expect(find(rs, "PodDisruptionBudget", "api", "search").inputs.spec.maxUnavailable).toBe(1);
  });

  test("an HPA without a scaling target is refused before anything is registered", async () => {
    const bad = autoscaledArgs({ targetCpuUtilization: undefined, targetMemoryUtilization: undefined });
    await expect(runComponents(() => new AutoscaledService("search-api", bad))).rejects.toThrow(/api.*targetCpuUtilization.*targetMemoryUtilization/s);
  });
});

describe("autoscaled API in prod", () => {
  let rs: Awaited<ReturnType<typeof runStack>>["resources"];
  let outputs: Awaited<ReturnType<typeof runStack>>["outputs"];
  beforeAll(async () => {
    ({ resources: rs, outputs } = await runStack("prod"));
  });

  test("from config: its bounds and targets, env sources, pinned image and its team's ServiceAccount; the outputs name it", async () => {
    const d = find(rs, "Deployment", "api", "search").inputs;
    expect(d.spec.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(d.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: "api-config" } }, { secretRef: { name: "db-credentials" } }]);
    expect(d.spec.template.spec.serviceAccountName).toBe("search-workload");
    expect(find(rs, "HorizontalPodAutoscaler", "api", "search").inputs.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    const svc = outputs.autoscaledApps["search/api"];
    expect(await outputValue(svc.service)).toBe("api");
    expect(await outputValue(svc.hpa)).toBe("api");
  });
});

describe("autoscaled config", () => {
  test.each<[string, (a: Record<string, any>) => void, string]>([
    [
      "max below min",
      (a) => {
        a.minReplicas = 5;
        a.maxReplicas = 2;
      },
      "platform:apps[1].maxReplicas: 2 is below minReplicas 5",
    ],
    [
      "no scaling target",
      (a) => delete a.targetCpuUtilization,
      "platform:apps[1].targetCpuUtilization: set targetCpuUtilization and/or targetMemoryUtilization (percent of requests)",
    ],
    [
      "a target above 100%",
      (a) => (a.targetCpuUtilization = 150),
      "platform:apps[1].targetCpuUtilization: Too big: expected number to be <=100, got number 150",
    ],
    ["missing image", (a) => delete a.image, /^platform:apps\[1\]\.image: /.source],
    ["an unknown kind", (a) => (a.kind = "canary"), "platform:apps[1].kind: Invalid discriminator value. Expected 'blueGreen' | 'autoscaled' | 'stateful'"],
  ])("%s is refused, naming the key", (_what, edit, expected) => {
    const problems = problemsOf(setApi(edit));
    if (expected.startsWith("^")) expect(problems).toContainEqual(expect.stringMatching(new RegExp(expected)));
    else expect(problems).toContain(expected);
  });
});
