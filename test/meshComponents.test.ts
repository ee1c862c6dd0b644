// The mesh's components built from typed args alone: a team's mTLS and AuthorizationPolicy, the
// control plane's charts, a blue-green split carried by a VirtualService. How the stack puts teams and
// apps into the mesh from config is in test/mesh.test.ts.
import { BlueGreenService, BlueGreenServiceArgs } from "../components/blueGreenService";
import { IstioControlPlane, IstioControlPlaneArgs } from "../components/istioControlPlane";
import { TeamMeshPolicy } from "../components/meshPolicy";
import { runComponents } from "../testing/components";
import { find, ofKind, Registered } from "../testing/harness";
import { blueGreenArgs } from "./support/componentArgs";
import { schemaProblems } from "./support/schema";

const ISTIO_KINDS = ["PeerAuthentication", "AuthorizationPolicy", "VirtualService", "DestinationRule"];
const istioObjects = (rs: Registered[]) => rs.filter((r) => ISTIO_KINDS.includes(r.inputs.kind));
const charts = (rs: Registered[]) => rs.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
const chart = (dir: string) => ({ path: `/charts/${dir}` });
const CONTROL_PLANE = { base: chart("base"), istiod: chart("istiod"), cni: chart("cni") };

describe("a team in the mesh", () => {
  const policy = (team: string, allowIngressFrom?: string[]) =>
    runComponents(() => new TeamMeshPolicy(`${team}-mesh`, { team, namespace: team, allowIngressFrom }));

  test("mTLS STRICT for every workload of each team", async () => {
    for (const team of ["payments", "search"]) {
      const peer = find(await policy(team, ["ingress"]), "PeerAuthentication", `${team}-mtls`, team).inputs;
      expect(peer.spec).toEqual({ mtls: { mode: "STRICT" } });
      expect(peer.spec.selector).toBeUndefined();
    }
  });

  test("the AuthorizationPolicy admits the team itself first, then the given namespaces", async () => {
    const authz = find(await policy("search", ["ingress", "payments", "search", "monitoring"]), "AuthorizationPolicy", "search-allow-ingress-from", "search");
    expect(authz.inputs.spec).toEqual({ action: "ALLOW", rules: [{ from: [{ source: { namespaces: ["search", "ingress", "payments", "monitoring"] } }] }] });
  });

  test("a team that admits no other namespace admits only itself", async () => {
    for (const allow of [[], undefined]) {
      const rs = await policy("payments", allow);
      expect(find(rs, "AuthorizationPolicy", "payments-allow-ingress-from").inputs.spec.rules[0].from[0].source.namespaces).toEqual(["payments"]);
    }
  });

  test("its objects pass their CRD schema", async () => {
    const objects = istioObjects(await policy("payments", ["ingress"]));
    expect(objects.map((o) => o.inputs.kind).sort()).toEqual(["AuthorizationPolicy", "PeerAuthentication"]);
    expect(objects.flatMap((o) => schemaProblems(o.inputs))).toEqual([]);
  });
});

describe("the control plane from its charts", () => {
  const build = (over: Partial<IstioControlPlaneArgs> = {}) => runComponents(() => new IstioControlPlane("mesh", { charts: CONTROL_PLANE, ...over }));

  test("base, then istiod and istio-cni, in a privileged namespace; the revision and native sidecars set", async () => {
    const rs = await build({ revision: "1-24" });
    const ns = find(rs, "Namespace", "istio-system").inputs.metadata.labels;
    expect(ns["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    const [base, istiod, cni] = ["mesh-base", "mesh-istiod", "mesh-cni"].map((n) => charts(rs).find((c) => c.name === n)!);
    expect(base.inputs).toMatchObject({ name: "istio-base", chart: "/charts/base", namespace: "istio-system", values: { defaultRevision: "1-24" } });
    expect(istiod.inputs).toMatchObject({
      name: "istiod",
      chart: "/charts/istiod",
      values: { revision: "1-24", global: { istioNamespace: "istio-system" }, pilot: { cni: { enabled: true }, env: { ENABLE_NATIVE_SIDECARS: "true" } } },
    });
    expect(cni.inputs).toMatchObject({ name: "istio-cni", chart: "/charts/cni", values: { revision: "1-24" } });
    expect(istiod.dependsOn).toContain(base.urn);
    expect(cni.dependsOn).toContain(base.urn);
  });

  test("a pinned repo and version are passed as such; protect keeps the releases", async () => {
    const repo = { repo: "https://charts.example.com/istio", version: "1.24.2" };
    const rs = await build({ charts: { base: repo, istiod: repo, cni: repo }, protect: true });
    const istiod = charts(rs).find((c) => c.name === "mesh-istiod")!;
    expect(istiod.inputs).toMatchObject({ chart: "istiod", version: "1.24.2", repositoryOpts: { repo: repo.repo } });
    expect(istiod.inputs.values.revision).toBeUndefined();
    expect(charts(rs)).toHaveLength(3);
    for (const c of charts(rs)) expect([c.protect, c.retainOnDelete]).toEqual([true, true]);
    for (const c of charts(await build())) expect([c.protect, c.retainOnDelete]).toEqual([false, false]);
  });
});

describe("a blue-green split carried by Istio", () => {
  const build = (over: Partial<BlueGreenServiceArgs>) => runComponents(() => new BlueGreenService("payments-web", blueGreenArgs(over)));

  test("90/10: the live Service's host is weighted to the color subsets of <app>-colors", async () => {
    const rs = await build({ trafficSplit: { green: 10 }, splitVia: "istio" });
    const colors = find(rs, "Service", "web-colors", "payments").inputs.spec;
    expect(colors.selector).toEqual({ app: "web" });
    const host = "web-colors.payments.svc.cluster.local";
    expect(find(rs, "DestinationRule", "web", "payments").inputs.spec).toEqual({
      host,
      subsets: [
        { name: "blue", labels: { color: "blue" } },
        { name: "green", labels: { color: "green" } },
      ],
    });
    expect(find(rs, "VirtualService", "web", "payments").inputs.spec).toEqual({
      hosts: ["web.payments.svc.cluster.local"],
      http: [
        {
          route: [
            { destination: { host, subset: "blue", port: { number: 80 } }, weight: 90 },
            { destination: { host, subset: "green", port: { number: 80 } }, weight: 10 },
          ],
        },
      ],
    });
    // No route, so no HTTPRoute and no per-color Services: the mesh does the weighting.
    expect(ofKind(rs, "HTTPRoute")).toEqual([]);
    expect(ofKind(rs, "Service").map((s) => s.inputs.metadata.name)).not.toContain("web-green");
    expect(istioObjects(rs).flatMap((o) => schemaProblems(o.inputs))).toEqual([]);
  });

  test("with a route too, the route keeps pointing at the live Service", async () => {
    const rs = await build({ trafficSplit: { green: 10 }, splitVia: "istio", route: { gateway: { name: "public", namespace: "ingress" } } });
    expect(find(rs, "HTTPRoute", "web").inputs.spec.rules[0].backendRefs).toEqual([{ name: "web", port: 80 }]);
    expect(find(rs, "VirtualService", "web").inputs.spec.http[0].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });
});
