// Cluster-wide components (CNI, node log collector) can be left out, so a second stack on the same
// cluster (a PR stack beside dev) owns only namespaced objects and its own namespaces.
import { kubernetesObjects, loadStackConfig, ofKind, problemsOf, runStack, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const prod = loadStackConfig("prod");
const withoutClusterComponents = (base: typeof dev) =>
  withConfig(base, (c) => {
    c.cluster.installCni = false;
    c.logging.enabled = false;
    // metrics-server is cluster-wide too (kube-system, an APIService, ClusterRoles): the cluster's owner runs it.
    if (c.monitoring) delete c.monitoring.metricsServer;
  });
const types = (rs: { type: string }[]) => new Set(rs.map((r) => r.type));

describe("cluster-wide components", () => {
  test("by default both are installed: the CNI and the log collector", async () => {
    const { resources } = await runStack("dev");
    expect([...types(resources)]).toEqual(expect.arrayContaining(["platform:network:ClusterNetwork", "platform:logging:LogCollector"]));
    expect(ofKind(resources, "DaemonSet").length).toBe(2);
  });

  test("cluster.installCni: false and logging.enabled: false leave out both, with every cluster-scoped object but the stack's namespaces", async () => {
    const { resources, outputs } = await runStack("dev", withoutClusterComponents(dev));
    expect([...types(resources)]).not.toContain("platform:network:ClusterNetwork");
    expect([...types(resources)]).not.toContain("platform:logging:LogCollector");
    expect(ofKind(resources, "DaemonSet")).toEqual([]);
    const clusterScoped = kubernetesObjects(resources)
      .filter((r) => !r.inputs.metadata?.namespace)
      .map((r) => r.inputs.kind);
    expect(new Set(clusterScoped)).toEqual(new Set(["Namespace"]));
    const namespaces = ofKind(resources, "Namespace")
      .map((r) => r.inputs.metadata.name)
      .sort();
    expect(namespaces).toEqual(expect.arrayContaining(["jenkins", "jenkins-agents", "payments", "search"]));
    expect(namespaces).not.toContain("kube-flannel");
    expect(namespaces).not.toContain("logging");
    // What the cluster's CNI does is still known: dev's Flannel does not enforce NetworkPolicy.
    expect(outputs.cni).toBe("flannel");
    expect(outputs.networkPolicyEnforced).toBe(false);
  });

  test("prod without its CNI still knows Calico enforces NetworkPolicy", async () => {
    const { resources, outputs } = await runStack("prod", withoutClusterComponents(prod));
    expect(resources.filter((r) => r.type.includes("tigera") || r.inputs.kind === "Installation")).toEqual([]);
    expect(outputs.networkPolicyEnforced).toBe(true);
  });

  test("either switch alone leaves the other component in place", async () => {
    const noCni = await runStack(
      "dev",
      withConfig(dev, (c) => (c.cluster.installCni = false)),
    );
    expect([...types(noCni.resources)]).toContain("platform:logging:LogCollector");
    expect([...types(noCni.resources)]).not.toContain("platform:network:ClusterNetwork");
    const noLogs = await runStack(
      "dev",
      withConfig(dev, (c) => (c.logging.enabled = false)),
    );
    expect([...types(noLogs.resources)]).toContain("platform:network:ClusterNetwork");
    expect([...types(noLogs.resources)]).not.toContain("platform:logging:LogCollector");
  });

  test("the switches take booleans only", () => {
    const problems = problemsOf(
      withConfig(dev, (c) => {
        c.cluster.installCni = "no";
        c.logging.enabled = "off";
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^platform:cluster\.installCni: /), expect.stringMatching(/^platform:logging\.enabled: /)]),
    );
  });
});
