// A teams stack (platform:scope teams, README "Large platforms") through the real engine: it
// renders its teams, apps and their monitors and nothing cluster-wide; one that also declares a
// cluster-wide service fails before anything is registered, naming the key.
import { copyStack, editStack, exportState, newProject, ok, platform, renderedObjects, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;

const CLUSTER_WIDE = ["DaemonSet", "ClusterRole", "ClusterRoleBinding", "APIService", "Installation"];

describeE2E("a teams stack beside the platform stack", () => {
  const dir = newProject("teams");
  const stack = copyStack(dir, "dev", "dev-teams");
  editStack(dir, stack, (c) => {
    c["platform:scope"] = "teams";
    c["platform:cluster"].installCni = false;
    c["platform:logging"] = { enabled: false, backend: "elasticsearch", host: "logs.dev.example.com", port: 9200 };
    delete c["platform:monitoring"].metricsServer;
    delete c["platform:monitoring"].prometheusStack;
    delete c["platform:jenkins"];
    c["platform:harbor"] = { enabled: false, host: c["platform:harbor"].host };
  });

  test("renders the teams, their apps, jobs and monitors, and nothing cluster-wide", () => {
    ok(platform(dir, "up", "--stack", stack, "--yes"));
    const objects = renderedObjects(dir, stack);
    expect(
      objects
        .filter((o) => o.kind === "Namespace")
        .map((o) => o.name)
        .sort(),
    ).toEqual(["payments", "search"]);
    expect(objects.filter((o) => CLUSTER_WIDE.includes(o.kind)).map((o) => `${o.kind} ${o.name}`)).toEqual([]);
    expect(objects.filter((o) => o.kind === "StatefulSet").map((o) => o.name)).toEqual(["db"]);
    const monitors = objects.filter((o) => o.kind === "ServiceMonitor" || o.kind === "PodMonitor");
    expect(monitors.length).toBeGreaterThan(0);
    expect([...new Set(monitors.map((m) => m.namespace))]).toEqual(["monitoring"]);
    expect(objects.some((o) => o.kind === "CronJob")).toBe(true);
  });

  test("declaring Jenkins too fails naming the key, and the stack's state is unchanged", () => {
    const before = exportState(dir, stack);
    editStack(dir, stack, (c) => (c["platform:jenkins"] = { storage: { size: "10Gi" } }));
    const result = platform(dir, "up", "--stack", stack, "--yes");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("platform:jenkins: a teams stack (scope: teams) leaves it to the platform stack on the same cluster");
    // Each export encrypts secrets anew, so the state is compared by what the engine last wrote per resource.
    const written = (state: any) => state.deployment.resources.map((r: any) => `${r.urn} ${r.modified}`);
    expect(written(exportState(dir, stack))).toEqual(written(before));
  });
});
