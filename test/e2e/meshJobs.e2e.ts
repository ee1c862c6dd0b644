// The real engine renders the mesh and the admin processes: a copy of dev with the Istio mesh on
// (revision 1-24, the control plane from the local fixture charts) and a 90/10 split of the
// blue-green app carried by Istio, next to dev's one-off Job and CronJob.
import { kubernetesObjects, loadStackConfig, runProgram } from "../../testing/harness";
import { schemaProblems } from "../support/schema";
import { editStack, istioFixtureCharts, newProject, ok, platform, renderedObjects, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;
const key = (o: { kind: string; namespace: string; name: string }) => `${o.kind} ${o.namespace || "-"}/${o.name}`;

describeE2E("render mode: the mesh and admin processes", () => {
  const dir = newProject("mesh-jobs");
  let objects: ReturnType<typeof renderedObjects>;
  const one = (kind: string, name: string | RegExp, namespace?: string) => {
    const hits = objects.filter(
      (o) => o.kind === kind && (typeof name === "string" ? o.name === name : name.test(o.name)) && (namespace === undefined || o.namespace === namespace),
    );
    expect(hits.map(key)).toHaveLength(1);
    return hits[0].obj;
  };

  beforeAll(() => {
    editStack(dir, "dev", (c) => {
      c["platform:mesh"] = { istio: { revision: "1-24", controlPlane: istioFixtureCharts() } };
      c["platform:apps"][0].trafficSplit = { green: 10, via: "istio" };
    });
    ok(platform(dir, "up", "--stack", "dev", "--yes"));
    objects = renderedObjects(dir, "dev");
  });

  test("team namespaces join the revision; mTLS STRICT and the allow list per team", () => {
    for (const team of ["payments", "search"]) {
      expect(one("Namespace", team).metadata.labels).toMatchObject({ "istio.io/rev": "1-24", "pod-security.kubernetes.io/enforce": "baseline" });
      expect(one("PeerAuthentication", `${team}-mtls`, team).spec).toEqual({ mtls: { mode: "STRICT" } });
    }
    // The same namespaces as search's NetworkPolicies: monitoring too, since Prometheus scrapes its api.
    const netpol = one("NetworkPolicy", "search-allow-ingress-from", "search").spec;
    expect(netpol.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).toEqual(["ingress", "payments", "monitoring"]);
    expect(one("AuthorizationPolicy", "search-allow-ingress-from", "search").spec).toEqual({
      action: "ALLOW",
      rules: [{ from: [{ source: { namespaces: ["search", "ingress", "payments", "monitoring"] } }] }],
    });
  });

  test("the split: a VirtualService weighting the color subsets of web-colors", () => {
    expect(one("Service", "web-colors", "payments").spec.selector).toEqual({ app: "web" });
    expect(one("DestinationRule", "web", "payments").spec.subsets.map((s: any) => s.name)).toEqual(["blue", "green"]);
    const vs = one("VirtualService", "web", "payments").spec;
    expect(vs.hosts).toEqual(["web.payments.svc.cluster.local"]);
    expect(vs.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([
      ["blue", 90],
      ["green", 10],
    ]);
  });

  test("the control plane's charts ran with the revision, the CNI agent and native sidecars", () => {
    expect(one("Namespace", "istio-system").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });
    expect(one("ConfigMap", "istio-base-fixture", "istio-system").data).toEqual({ defaultRevision: "1-24", istioNamespace: "istio-system" });
    expect(one("ConfigMap", "istiod-fixture", "istio-system").data).toEqual({
      revision: "1-24",
      istioNamespace: "istio-system",
      cniEnabled: "true",
      nativeSidecars: "true",
    });
    expect(one("ConfigMap", "istio-cni-fixture", "istio-system").data).toMatchObject({ revision: "1-24" });
  });

  test("the admin processes: a one-off Job named by hash and a CronJob, both with a native sidecar", () => {
    const job = one("Job", /^migrate-[0-9a-f]{10}$/, "search");
    expect(job.spec.template.spec.containers[0]).toMatchObject({ image: "harbor.dev.example.com/search/api:2.3.1", command: ["/app/api", "migrate"] });
    expect(job.spec.template.metadata.annotations).toEqual({ "sidecar.istio.io/nativeSidecar": "true" });
    const cron = one("CronJob", "purge-sessions", "search");
    expect(cron.spec).toMatchObject({ schedule: "30 2 * * *", concurrencyPolicy: "Forbid", timeZone: "Europe/Berlin" });
  });

  test("every rendered object passes the strict schema check, Istio's CRDs included", () => {
    const problems = objects.flatMap((o) => schemaProblems(o.obj).map((p) => `${key(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("the rendered objects are the ones the program registers (plus the charts' own)", async () => {
    const registered = kubernetesObjects(await runProgram("dev", loadStackConfig("dev", dir))).map((r) => ({
      kind: r.inputs.kind,
      namespace: r.inputs.metadata?.namespace ?? "",
      name: r.inputs.metadata?.name,
    }));
    const fromProgram = objects.filter((o) => o.obj.metadata?.labels?.["app.kubernetes.io/part-of"] !== "chart-fixture");
    expect(fromProgram.map(key).sort()).toEqual(registered.map(key).sort());
  });
});
