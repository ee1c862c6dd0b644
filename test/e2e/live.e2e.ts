// The stacks deployed for real: a Kubernetes v1.34 control plane on 127.0.0.1 (npm run cluster),
// kwok's fake node running the pods, the real engine applying dev and prod. Everything checked
// here is read back from the API server, never from Pulumi state.
import { FAILING_JOB_POD_LABEL } from "../../cluster/kwokStages";
import { freePort } from "../../cluster/ports";
import {
  auditMark,
  auditWritesSince,
  eventually,
  LiveCluster,
  managedObjects,
  startLiveCluster,
  stopLiveCluster,
  unreachableKubeconfig,
} from "./support/liveCluster";
import { editStack, exportState, newProject, ok, platform, pulumi, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;
const PASSING_SMOKE_IMAGE = "curlimages/curl:8.11.1";
const FAILING_SMOKE_IMAGE = `curlimages/curl:${FAILING_JOB_POD_LABEL.value}`;
const timings: Record<string, number> = {};

/** Runs a platform command and records its wall time under `label`. */
function timed(label: string, fn: () => ReturnType<typeof platform>): ReturnType<typeof platform> {
  const t0 = Date.now();
  const result = fn();
  timings[label] = (Date.now() - t0) / 1000;
  return result;
}

describeE2E("live cluster on loopback", () => {
  let cluster: LiveCluster;
  const dir = newProject("live");
  const up = (stack = "dev") => platform(dir, "up", "--stack", stack, "--yes");
  const set = (path: string, value: string, stack = "dev") => ok(pulumi(dir, "config", "set", "--path", path, value, "--stack", stack));
  const get = (path: string) => cluster.api.get(path);
  const selector = async (ns: string, name: string) => (await get(`/api/v1/namespaces/${ns}/services/${name}`)).spec.selector;

  beforeAll(() => {
    cluster = startLiveCluster();
    timings["cluster start"] = cluster.startSeconds;
    editStack(dir, "dev", (c) => {
      c["platform:cluster"].kubeconfig = cluster.kubeconfig;
      // kwok runs no containers: metrics-server's aggregated API would never become available, and
      // every API discovery call (the engine's included) would report it failing.
      delete c["platform:monitoring"].metricsServer;
    });
    ok(timed("first up of dev", () => up()));
  });

  afterAll(() => {
    stopLiveCluster(cluster);
    process.stdout.write(`\nlive cluster timings (s): ${JSON.stringify(timings)}\n`);
  });

  test("1. up: namespaces, quotas, limit ranges, RBAC, network policies, Jenkins and the apps are on the server", async () => {
    for (const team of ["payments", "search"]) {
      const ns = await get(`/api/v1/namespaces/${team}`);
      expect(ns.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline", "app.kubernetes.io/managed-by": "pulumi" });
      const quota = await get(`/api/v1/namespaces/${team}/resourcequotas/${team}-quota`);
      expect(quota.status.hard).toBeDefined(); // the quota controller took it up
      const limits = await get(`/api/v1/namespaces/${team}/limitranges/${team}-limits`);
      expect(limits.spec.limits[0].type).toBe("Container");
      const editors = await get(`/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/${team}-editors`);
      expect(editors.roleRef).toMatchObject({ kind: "ClusterRole", name: "edit" });
      const policies = await cluster.api.list(`/apis/networking.k8s.io/v1/namespaces/${team}/networkpolicies`);
      expect(policies.map((p) => p.metadata.name)).toEqual(expect.arrayContaining([`${team}-default-deny`, `${team}-allow-dns`]));
    }
    const quota = await get("/api/v1/namespaces/payments/resourcequotas/payments-quota");
    expect(quota.spec.hard).toMatchObject({ "requests.cpu": "4", "requests.memory": "8Gi", pods: "30", services: "10" });
    const viewers = await get("/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/payments-viewers");
    expect(viewers.subjects).toEqual([{ kind: "Group", name: "payments-support", apiGroup: "rbac.authorization.k8s.io" }]);

    const jenkins = await get("/apis/apps/v1/namespaces/jenkins/statefulsets/jenkins");
    expect(jenkins.status.readyReplicas).toBe(1); // kwok ran its pod; its volume claim is bound
    for (const color of ["blue", "green"]) {
      const d = await get(`/apis/apps/v1/namespaces/payments/deployments/web-${color}`);
      expect(d.spec.replicas).toBe(2);
      expect(d.status.readyReplicas).toBe(2);
    }
    expect(await selector("payments", "web")).toMatchObject({ color: "blue" });
    expect(await selector("payments", "web-preview")).toMatchObject({ color: "green" });
    const hpa = await get("/apis/autoscaling/v2/namespaces/search/horizontalpodautoscalers/api");
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
    expect((await get("/apis/apps/v1/namespaces/search/statefulsets/db")).status.readyReplicas).toBe(1);
  });

  test("6. a bad kubeconfig or an unreachable server: one clear message, state unchanged", async () => {
    const before = exportState(dir, "dev").deployment.resources;
    const closedPort = await freePort();
    for (const [what, kubeconfig, pattern] of [
      ["a missing kubeconfig", `${cluster.dir}/no-such-kubeconfig`, /kubeconfig/i],
      ["an unreachable server", unreachableKubeconfig(cluster.kubeconfig, closedPort), /unreachable|connection refused|cannot reach/i],
    ] as [string, string, RegExp][]) {
      set("platform:cluster.kubeconfig", kubeconfig);
      const result = up();
      expect({ what, status: result.status }).toEqual({ what, status: 1 });
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.split("\n").filter((l) => /error/i.test(l)).length).toBeLessThanOrEqual(2);
      expect(exportState(dir, "dev").deployment.resources).toEqual(before);
    }
    set("platform:cluster.kubeconfig", cluster.kubeconfig);
  });

  test("2. flip blue → green → blue: only the two Services' selectors change on the server", async () => {
    timed("no-change up", () => ok(up()));
    for (const color of ["green", "blue"]) {
      const before = await managedObjects(cluster.api);
      const mark = auditMark(cluster);
      set("platform:apps[0].activeColor", color);
      timed(`flip up to ${color}`, () => ok(up()));
      const writes = auditWritesSince(cluster, mark);
      timings[`objects written by the flip to ${color}`] = new Set(writes.map((w) => w.object)).size;
      expect([...new Set(writes.map((w) => w.object))].sort()).toEqual(["services payments/web", "services payments/web-preview"]);
      expect(await selector("payments", "web")).toMatchObject({ color });
      expect(await selector("payments", "web-preview")).toMatchObject({ color: color === "blue" ? "green" : "blue" });

      const after = await managedObjects(cluster.api);
      for (const name of ["payments/web-blue", "payments/web-green"]) {
        const [b, a] = [before.get(`deployments ${name}`)!, after.get(`deployments ${name}`)!];
        expect({ name, uid: a.uid, generation: a.generation, resourceVersion: a.resourceVersion }).toEqual({
          name,
          uid: b.uid,
          generation: b.generation,
          resourceVersion: b.resourceVersion,
        });
      }
      const changed = [...after.values()].filter((o) => before.get(o.id)?.resourceVersion !== o.resourceVersion).map((o) => o.id);
      expect(changed.filter((id) => id.startsWith("services "))).toEqual(expect.arrayContaining(["services payments/web", "services payments/web-preview"]));
      expect(changed.filter((id) => /^(deployments|statefulsets|namespaces|configmaps|secrets) /.test(id))).toEqual([]);
    }
  });

  test("3. smoke-test gate: a failing smoke Job fails up and holds traffic; a passing one lets the flip through", async () => {
    set("platform:apps[0].smokeTest.path", "/healthz");
    set("platform:apps[0].smokeTest.image", PASSING_SMOKE_IMAGE);
    ok(up()); // the gate for the live color (blue) passes

    set("platform:apps[0].activeColor", "green");
    set("platform:apps[0].smokeTest.image", FAILING_SMOKE_IMAGE);
    const failed = timed("flip up with a failing smoke test", () => up());
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/smoke/i);
    expect(await selector("payments", "web")).toMatchObject({ color: "blue" });
    const jobs = await cluster.api.list("/apis/batch/v1/namespaces/payments/jobs");
    const failedJob = jobs.find((j) => j.spec.template.metadata.labels[FAILING_JOB_POD_LABEL.key] === FAILING_JOB_POD_LABEL.value);
    expect(failedJob?.status.failed).toBeGreaterThan(0);

    set("platform:apps[0].smokeTest.image", PASSING_SMOKE_IMAGE);
    timed("flip up with a passing smoke test", () => ok(up()));
    expect(await selector("payments", "web")).toMatchObject({ color: "green" });
  });

  test("4. a team added in config appears; removed, it is deleted with its namespace", async () => {
    editStack(dir, "dev", (c) =>
      c["platform:teams"].push({ name: "billing", quota: { cpu: "1", memory: "1Gi", pods: 5, services: 2, persistentVolumeClaims: 1 } }),
    );
    ok(up());
    expect((await get("/api/v1/namespaces/billing")).status.phase).toBe("Active");
    expect((await get("/api/v1/namespaces/billing/resourcequotas/billing-quota")).spec.hard.pods).toBe("5");

    editStack(dir, "dev", (c) => (c["platform:teams"] = c["platform:teams"].filter((t: { name: string }) => t.name !== "billing")));
    ok(up());
    await eventually("namespace billing to be gone", async () => (await cluster.api.find("/api/v1/namespaces/billing")) === undefined);
  });

  test("5. destroy of dev leaves no object of ours on the server", async () => {
    expect((await managedObjects(cluster.api)).size).toBeGreaterThan(20);
    timed("destroy of dev", () => ok(platform(dir, "destroy", "--stack", "dev", "--yes")));
    await eventually("every namespace of ours to be gone", async () => (await managedObjects(cluster.api)).size === 0);
    expect([...(await managedObjects(cluster.api)).keys()]).toEqual([]);
  });

  test("4. prod: removing a team fails on its protected namespace with a clear message; nothing is deleted", async () => {
    // Prod's teams and log collector only: its Calico, Harbor, Jenkins, apps and monitoring need its private registry, storage class and CRDs.
    editStack(dir, "prod", (c) => {
      // No CNI DaemonSet either: prod pins every image by digest, and flannel's are tags.
      c["platform:cluster"] = {
        name: "prod",
        cni: "flannel",
        podCidr: "10.42.0.0/16",
        acknowledgeNoNetworkPolicy: true,
        installCni: false,
        kubeconfig: cluster.kubeconfig,
      };
      for (const key of ["platform:apps", "platform:jenkins", "platform:harbor", "platform:monitoring"]) delete c[key];
    });
    ok(up("prod"));
    const before = await managedObjects(cluster.api);
    const mark = auditMark(cluster);
    editStack(dir, "prod", (c) => (c["platform:teams"] = c["platform:teams"].filter((t: { name: string }) => t.name !== "identity")));
    const result = up("prod");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/protect/i);
    expect(auditWritesSince(cluster, mark).filter((w) => w.verb === "delete")).toEqual([]);
    expect((await get("/api/v1/namespaces/identity")).status.phase).toBe("Active");
    expect([...(await managedObjects(cluster.api)).keys()].sort()).toEqual([...before.keys()].sort());
  });
});
