// Monitoring: the components from typed args alone (the operator chart and its values, the monitors
// waiting for it, the namespace without it, metrics-server's pod, API and RBAC), then the stacks (config
// validation, which monitors each stack asks for and their CRD schema, prod's chart from config, the
// one warning for HPAs without metrics-server).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MetricsServer } from "../components/metricsServer";
import { Monitoring, MonitoringArgs } from "../components/monitoring";
import { HPA_WARNING } from "../stacks/observability";
import { runComponents } from "../testing/components";
import { find, loadStackConfig, ofKind, plainStrings, problemsOf, Registered, reveal, runProgram, runStack, withConfig } from "../testing/harness";
import { monitoringArgs } from "./support/componentArgs";
import { schemaProblems } from "./support/schema";

describe("the monitoring components, from typed args", () => {
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
});

describe("monitoring in the stacks", () => {
  const dev = loadStackConfig("dev");
  const prod = loadStackConfig("prod");
  const monitor = (rs: Registered[], kind: string, name: string) => reveal(find(rs, kind, name, "monitoring").inputs);
  const inNamespaces = (values: string[]) => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values }] } });

  describe("monitoring config", () => {
    test.each<[string, (c: any) => void, string]>([
      [
        "a scrape interval that is not a duration",
        (c) => (c.monitoring.scrapeInterval = "soon"),
        'platform:monitoring.scrapeInterval: expected a Prometheus duration like "30s" or "10d"',
      ],
      [
        "a monitor label key that is not a label key",
        (c) => (c.monitoring.monitorLabels = { "bad key!": "x" }),
        "platform:monitoring.monitorLabels.bad key!: Invalid key in record",
      ],
      [
        "a chart with neither repo nor path",
        (c) => (c.monitoring.prometheusStack.chart = { version: "75.15.0" }),
        "platform:monitoring.prometheusStack.chart: set repo and version (pinned), or path to a local chart",
      ],
      ["a team's namespace", (c) => (c.monitoring.namespace = "search"), 'platform:monitoring.namespace: "search" is a team\'s namespace'],
      ["metrics-server without an image", (c) => (c.monitoring.metricsServer = {}), "platform:monitoring.metricsServer.image: is required"],
      ["an unknown key", (c) => (c.monitoring.scrape = { jenkns: true }), "platform:monitoring.scrape.jenkns: unknown key"],
      ["an app metrics path that is not a path", (c) => (c.apps[1].metrics = { path: "metrics" }), "platform:apps[1].metrics.path:"],
    ])("rejects %s, naming the key", (_what, edit, fragment) => {
      expect(problemsOf(withConfig(dev, edit))).toEqual([expect.stringContaining(fragment)]);
    });

    test("prod pins metrics-server by digest", () => {
      const problems = problemsOf(withConfig(prod, (c) => (c.monitoring.metricsServer.image = "harbor.prod.example.com/mirror/metrics-server:v0.7.2")));
      expect(problems).toEqual([expect.stringMatching(/^platform:monitoring\.metricsServer\.image: prod pins images by digest/)]);
    });

    test("a custom Jenkins image must bake the prometheus plugin in when Jenkins is scraped", () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plugins-")), "plugins.txt");
      fs.writeFileSync(file, "kubernetes:4306.vc91e951ea_eb_d\n");
      const build = (scrape: boolean) =>
        withConfig(dev, (c) => {
          Object.assign(c.jenkins, { pluginsFile: file, image: { build: true } });
          c.monitoring.scrape = { jenkins: scrape };
        });
      expect(problemsOf(build(true))).toEqual([
        expect.stringMatching(/^platform:jenkins\.pluginsFile: monitoring scrapes Jenkins at \/prometheus.*prometheus:<version>/),
      ]);
      expect(problemsOf(build(false))).toEqual([]);
    });
  });

  describe("monitors (dev)", () => {
    let rs: Registered[];
    beforeAll(async () => {
      rs = await runProgram("dev");
    });

    test("every monitor passes the Prometheus Operator's CRD schema, with no unknown fields", () => {
      const monitors = rs.filter((r) => /^(Service|Pod)Monitor$/.test(r.inputs.kind));
      expect(monitors.map((m) => m.inputs.metadata.name).sort()).toEqual(["fluent-bit", "jenkins", "search-api"]);
      for (const m of monitors) expect(schemaProblems(reveal(m.inputs))).toEqual([]);
    });

    test("the schema check catches a broken monitor", () => {
      const jenkins = monitor(rs, "ServiceMonitor", "jenkins");
      expect(schemaProblems({ ...jenkins, spec: { ...jenkins.spec, endpoints: [{ port: 8080 }] } })).not.toEqual([]);
      expect(schemaProblems({ ...jenkins, spec: { ...jenkins.spec, endpoint: [] } })).toEqual([expect.stringContaining("unknown field spec.endpoint")]);
    });

    test("Jenkins: its Service's http port at /prometheus, in its namespace", () => {
      expect(monitor(rs, "ServiceMonitor", "jenkins").spec).toEqual({
        jobLabel: "app.kubernetes.io/name",
        namespaceSelector: { matchNames: ["jenkins"] },
        selector: { matchLabels: { "app.kubernetes.io/name": "jenkins", "app.kubernetes.io/instance": "jenkins" } },
        endpoints: [{ port: "http", path: "/prometheus", interval: "30s", scheme: "http" }],
      });
    });

    test("the Jenkins plugin list has the prometheus plugin, and Prometheus may reach the UI port", () => {
      expect(find(rs, "ConfigMap", "jenkins-plugins", "jenkins").inputs.data["plugins.txt"]).toMatch(/^prometheus:\S+$/m);
      const ingress = find(rs, "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec.ingress;
      expect(ingress).toContainEqual({ from: [inNamespaces(["monitoring"])], ports: [{ protocol: "TCP", port: 8080 }] });
    });

    test("fluent-bit: its HTTP server's Prometheus endpoint, through a PodMonitor", () => {
      const spec = monitor(rs, "PodMonitor", "fluent-bit").spec;
      expect(spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": "fluent-bit" });
      expect(spec.podMetricsEndpoints).toEqual([{ port: "http", path: "/api/v2/metrics/prometheus", interval: "30s", scheme: "http" }]);
      expect(find(rs, "ConfigMap", "fluent-bit", "logging").inputs.data["fluent-bit.conf"]).toMatch(
        /HTTP_Server\s+On\n\s+HTTP_Listen\s+0\.0\.0\.0\n\s+HTTP_Port\s+2020/,
      );
    });

    test("an app's metrics port: by number when it is its own, by name when it is the app's; its team lets Prometheus in", () => {
      const api = monitor(rs, "PodMonitor", "search-api").spec;
      expect(api.namespaceSelector).toEqual({ matchNames: ["search"] });
      expect(api.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "search" });
      expect(api.podMetricsEndpoints).toEqual([{ targetPort: 9090, path: "/metrics", interval: "30s", scheme: "http" }]);
      expect(find(rs, "NetworkPolicy", "search-allow-ingress-from", "search").inputs.spec.ingress[0].from).toEqual([
        inNamespaces(["ingress", "payments", "monitoring"]),
      ]);
      // payments has no scraped app: its policy is as configured.
      expect(JSON.stringify(find(rs, "NetworkPolicy", "payments-allow-ingress-from", "payments").inputs)).not.toContain("monitoring");
    });

    test("dev installs no operator chart and runs metrics-server with the kubelet TLS setting from config", () => {
      expect(rs.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart")).toEqual([]);
      expect(find(rs, "Deployment", "metrics-server", "kube-system").inputs.spec.template.spec.containers[0].args).toContain("--kubelet-insecure-tls");
    });
  });

  describe("the Prometheus Operator stack and Harbor (prod)", () => {
    let rs: Registered[];
    beforeAll(async () => {
      rs = await runProgram("prod");
    });
    const chart = () => rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "kube-prometheus-stack")!;

    test("prod installs the operator chart from config, protected, with a generated Grafana password", () => {
      const c = chart();
      expect(c.inputs).toMatchObject({ chart: "kube-prometheus-stack", version: "75.15.0", namespace: "monitoring" });
      expect(c.protect && c.retainOnDelete).toBe(true);
      const values = reveal(c.inputs.values);
      expect(values.prometheus.prometheusSpec).toMatchObject({
        retention: "15d",
        storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "fast-ssd", resources: { requests: { storage: "100Gi" } } } } },
      });
      expect(values.grafana.adminPassword).toMatch(/^[A-Za-z0-9]{24}$/);
      for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(values.grafana.adminPassword);
      for (const m of ofKind(rs, "ServiceMonitor")) expect(m.dependsOn).toContain(c.urn);
    });

    test("Harbor: the chart's metrics on, its http-metrics ports scraped", () => {
      const harbor = rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "harbor")!;
      expect(reveal(harbor.inputs.values).metrics).toEqual({ enabled: true });
      const spec = monitor(rs, "ServiceMonitor", "harbor").spec;
      expect(spec.selector.matchLabels).toEqual({ app: "harbor", release: "harbor" });
      expect(spec.endpoints).toEqual([{ port: "http-metrics", path: "/metrics", interval: "30s", scheme: "http" }]);
      expect(schemaProblems(monitor(rs, "ServiceMonitor", "harbor"))).toEqual([]);
    });
  });

  describe("HPAs and metrics-server", () => {
    test("one warning when HPAs exist without metrics-server, from the stack", async () => {
      const { warnings } = await runStack(
        "prod",
        withConfig(prod, (c) => delete c.monitoring.metricsServer),
      );
      expect(warnings).toEqual([HPA_WARNING]);
      const none = await runStack(
        "prod",
        withConfig(prod, (c) => delete c.monitoring),
      );
      expect(none.warnings).toEqual([HPA_WARNING]);
    });

    test("no warning with metrics-server, or without HPAs", async () => {
      expect((await runStack("prod")).warnings).toEqual([]);
      const noHpa = withConfig(prod, (c) => {
        delete c.monitoring;
        c.apps = c.apps.filter((a: any) => a.kind !== "autoscaled");
      });
      expect((await runStack("prod", noHpa)).warnings).toEqual([]);
    });

    test("monitoring.enabled: false creates nothing of it", async () => {
      const rs = await runProgram(
        "prod",
        withConfig(prod, (c) => (c.monitoring.enabled = false)),
      );
      expect(rs.filter((r) => r.type.startsWith("platform:monitoring:"))).toEqual([]);
      expect(JSON.stringify(find(rs, "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec.ingress)).not.toContain("monitoring");
    });
  });
});
