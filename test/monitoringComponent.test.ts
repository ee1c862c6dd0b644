// Monitoring and metrics-server built from typed args alone: the operator chart and its values, the
// monitors waiting for it, the namespace without it, metrics-server's pod, API and RBAC. Which monitors
// the stack asks for, and the warnings, are in test/monitoring.test.ts.
import { MetricsServer } from "../components/metricsServer";
import { Monitoring, MonitoringArgs } from "../components/monitoring";
import { runComponents } from "../testing/components";
import { find, ofKind, plainStrings, reveal } from "../testing/harness";
import { monitoringArgs } from "./support/componentArgs";
import { schemaProblems } from "./support/schema";

const build = (over: Partial<MonitoringArgs> = {}) => runComponents(() => new Monitoring("monitoring", monitoringArgs(over)));
const chartOf = (rs: Awaited<ReturnType<typeof build>>) => rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "kube-prometheus-stack")!;

describe("the Prometheus Operator stack", () => {
  test("the official chart, pinned, selecting every monitor, with a generated Grafana password; protected when asked", async () => {
    const rs = await build({ protect: true });
    const c = chartOf(rs);
    expect(c.inputs).toMatchObject({ chart: "kube-prometheus-stack", version: "75.15.0", namespace: "monitoring" });
    expect(c.protect && c.retainOnDelete).toBe(true);
    const values = reveal(c.inputs.values);
    expect(values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      retention: "15d",
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "fast-ssd", resources: { requests: { storage: "100Gi" } } } } },
    });
    expect(values.grafana.adminPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    // Only ever inside a secret: never among the plain strings of any input.
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(values.grafana.adminPassword);
    expect(chartOf(await build()).protect).toBe(false);
  });

  test("monitors wait for the chart (it installs their CRDs), and pass the operator's CRD schema", async () => {
    const rs = await build();
    const monitors = rs.filter((r) => /^(Service|Pod)Monitor$/.test(r.inputs.kind));
    expect(monitors.map((m) => m.inputs.metadata.name)).toEqual(["jenkins", "search-api"]);
    for (const m of monitors) expect(m.dependsOn).toContain(chartOf(rs).urn);
    for (const m of monitors) expect(schemaProblems(reveal(m.inputs))).toEqual([]);
  });

  test("without the stack, no chart: the operator comes from elsewhere; the namespace is restricted", async () => {
    const rs = await build({ prometheusStack: undefined });
    expect(rs.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart")).toEqual([]);
    expect(find(rs, "Namespace", "monitoring").inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(ofKind(rs, "PodMonitor")[0].inputs.spec.podMetricsEndpoints).toEqual([{ targetPort: 9090, path: "/metrics", interval: "30s", scheme: "http" }]);
  });
});

describe("metrics-server", () => {
  test("restricted pod, the aggregated API, least-privilege RBAC", async () => {
    const image = "harbor.dev.example.com/mirror/metrics-server:v0.7.2";
    const rs = await runComponents(() => new MetricsServer("metrics-server", { image, kubeletInsecureTls: true }));
    const pod = find(rs, "Deployment", "metrics-server", "kube-system").inputs.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const c = pod.containers[0];
    expect(c.image).toBe(image);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(c.args).toContain("--kubelet-insecure-tls");
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "https", scheme: "HTTPS" });
    expect(find(rs, "APIService", "v1beta1.metrics.k8s.io").inputs.spec.service).toEqual({ name: "metrics-server", namespace: "kube-system", port: 443 });
    const verbs = find(rs, "ClusterRole", "metrics-server").inputs.rules.flatMap((r: any) => r.verbs);
    expect(new Set(verbs)).toEqual(new Set(["get", "list", "watch"]));
  });

  test("kubelets' certificates are verified unless told otherwise", async () => {
    const rs = await runComponents(() => new MetricsServer("metrics-server", { image: "metrics-server:v0.7.2" }));
    expect(find(rs, "Deployment", "metrics-server", "kube-system").inputs.spec.template.spec.containers[0].args).not.toContain("--kubelet-insecure-tls");
  });
});
