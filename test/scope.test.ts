// platform:scope: a "teams" stack holds teams, apps and admin processes only; every cluster-wide
// service it declared would fight the platform stack on the same cluster, so config refuses it.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { PlatformConfigError } from "../stacks/config";
import { find, loadStackConfig, ofKind, problemsOf, Registered, ROOT, runProgram, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const teamsOnly = (c: Record<string, any>) => {
  c.scope = "teams";
  c.cluster = { ...c.cluster, installCni: false };
  c.logging = { backend: c.logging.backend, host: "logs.example.com", port: 9200, index: c.logging.index, enabled: false };
  delete c.monitoring.metricsServer;
  delete c.jenkins;
};

describe("a teams stack", () => {
  test("refuses every cluster-wide service dev declares, each by key, in one message", () => {
    expect(problemsOf(withConfig(dev, (c) => (c.scope = "teams")))).toEqual([
      "platform:cluster.installCni: a teams stack (scope: teams) leaves it to the platform stack on the same cluster: the CNI: set it to false",
      "platform:logging.enabled: a teams stack (scope: teams) leaves it to the platform stack on the same cluster: the node log collector: set it to false",
      "platform:logging.store: a teams stack (scope: teams) leaves it to the platform stack on the same cluster: the log store: remove it",
      "platform:jenkins: a teams stack (scope: teams) leaves it to the platform stack on the same cluster: Jenkins: remove it",
      "platform:monitoring.metricsServer: a teams stack (scope: teams) leaves it to the platform stack on the same cluster: metrics-server: remove it",
    ]);
  });

  test("an unknown scope names the key and the choices; nothing is registered", async () => {
    const bad = withConfig(dev, (c) => (c.scope = "team"));
    expect(problemsOf(bad)).toEqual([expect.stringMatching(/^platform:scope: .*"platform".*"teams"/)]);
    const registered: Registered[] = [];
    await expect(runProgram("dev", bad, registered)).rejects.toThrow(PlatformConfigError);
    expect(registered.filter((r) => r.custom)).toEqual([]);
  });

  test("with only teams it is valid and registers teams, apps, jobs and their monitors, nothing cluster-wide", async () => {
    const cfg = withConfig(dev, teamsOnly);
    expect(problemsOf(cfg)).toEqual([]);
    const rs = await runProgram("dev", cfg);
    const namespaces = ofKind(rs, "Namespace").map((n) => n.inputs.metadata.name);
    expect(namespaces.sort()).toEqual(["payments", "search"]);
    expect(ofKind(rs, "DaemonSet")).toEqual([]);
    expect(ofKind(rs, "StatefulSet").map((s) => s.inputs.metadata.name)).toEqual(["db"]);
    expect(ofKind(rs, "ClusterRole")).toEqual([]);
    // The team's monitors go to the platform stack's monitoring namespace, whose Prometheus may reach the team.
    const monitors = [...ofKind(rs, "ServiceMonitor"), ...ofKind(rs, "PodMonitor")];
    expect(monitors.length).toBeGreaterThan(0);
    for (const m of monitors) expect(m.inputs.metadata.namespace).toBe("monitoring");
    const scraped = monitors.map((m) => m.inputs.spec.namespaceSelector.matchNames[0]);
    for (const team of scraped) {
      const policies = ofKind(rs, "NetworkPolicy").filter((p) => p.inputs.metadata.namespace === team);
      expect(JSON.stringify(policies.map((p) => p.inputs.spec.ingress))).toMatch(/"values":\[[^\]]*"monitoring"/);
    }
    expect(find(rs, "Deployment", "web-blue", "payments")).toBeDefined();
  });
});

describe("what a stack that only uses the platform stack's services must still say", () => {
  test("Harbor's chart and exposure are required only when this stack runs Harbor", () => {
    const withHarbor = (harbor: Record<string, unknown>) => problemsOf(withConfig(dev, (c) => (c.harbor = harbor)));
    expect(withHarbor({ enabled: false, host: "harbor.dev.example.com" })).toEqual([]);
    expect(withHarbor({ host: "harbor.dev.example.com" })).toEqual([
      "platform:harbor.chart: is required when harbor.enabled is true (the default)",
      "platform:harbor.expose: is required when harbor.enabled is true (the default)",
    ]);
  });

  test("a prod collector that is off needs no pinned image; Calico's settings only where it is installed", () => {
    const prod = loadStackConfig("prod");
    const edit = (c: Record<string, any>) => {
      c.logging = { ...c.logging, enabled: false, image: undefined };
      c.cluster = { ...c.cluster, installCni: false, calico: undefined };
    };
    expect(problemsOf(withConfig(prod, edit))).toEqual([]);
    expect(problemsOf(withConfig(prod, (c) => (c.cluster = { ...c.cluster, calico: undefined })))).toEqual([
      "platform:cluster.calico: is required when cni is calico and installCni is true (at least calico.chart)",
    ]);
  });
});

describe("README's teams stack example", () => {
  test("is valid prod config once its teams and apps are filled in (prod's own)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = readme.split("# Pulumi.prod-teams-b.yaml")[1].split("```")[0];
    const example = YAML.parse(block).config as Record<string, unknown>;
    const prod = loadStackConfig("prod");
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(example)) config[k] = typeof v === "string" ? v : JSON.stringify(v);
    for (const k of ["platform:teams", "platform:apps", "platform:registryRobots"]) if (prod.config[k]) config[k] = prod.config[k];
    expect(problemsOf({ config, secretKeys: prod.secretKeys.filter((k) => k in config) })).toEqual([]);
  });
});
