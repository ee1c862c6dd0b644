// The Istio mesh (opt-in) from config: per team the injection label and an AuthorizationPolicy mirroring
// the team's NetworkPolicy allow list; the control plane from config, prod protected; a 0/100 split is
// a plain flip; bad config by key. Every Istio object passes its CRD schema. The mesh's components,
// from typed args, are in test/meshComponents.test.ts.
import { find, kubernetesObjects, loadStackConfig, ofKind, problemsOf, Registered, runProgram, StackConfig, withConfig } from "../testing/harness";
import { schemaProblems } from "./support/schema";

const dev = loadStackConfig("dev");
const chart = (dir: string) => ({ path: `/charts/${dir}` });
const CONTROL_PLANE = { base: chart("base"), istiod: chart("istiod"), cni: chart("cni") };
const withMesh = (istio: Record<string, unknown> = { revision: "1-24" }, edit: (c: Record<string, any>) => void = () => undefined) =>
  withConfig(dev, (c) => {
    c.mesh = { istio };
    edit(c);
  });
const ISTIO_KINDS = ["PeerAuthentication", "AuthorizationPolicy", "VirtualService", "DestinationRule"];
const istioObjects = (rs: Registered[]) => kubernetesObjects(rs).filter((r) => ISTIO_KINDS.includes(r.inputs.kind));
const charts = (rs: Registered[]) => rs.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name.startsWith("mesh-"));

describe("mesh off (dev as committed)", () => {
  test("no Istio object, no injection label", async () => {
    const rs = await runProgram("dev");
    expect(istioObjects(rs)).toEqual([]);
    for (const ns of ofKind(rs, "Namespace")) {
      expect(Object.keys(ns.inputs.metadata.labels)).not.toEqual(expect.arrayContaining(["istio-injection"]));
      expect(ns.inputs.metadata.labels["istio.io/rev"]).toBeUndefined();
    }
  });
});

describe("mesh on", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await runProgram("dev", withMesh());
  });

  test("each team namespace carries the revision label, never istio-injection (which would win over it)", () => {
    for (const team of ["payments", "search"]) {
      const labels = find(rs, "Namespace", team).inputs.metadata.labels;
      expect(labels["istio.io/rev"]).toBe("1-24");
      expect(labels["istio-injection"]).toBeUndefined();
      expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    }
    // Namespaces that are not a team's stay out of the mesh.
    expect(find(rs, "Namespace", "jenkins").inputs.metadata.labels["istio.io/rev"]).toBeUndefined();
  });

  test("without a revision the label is istio-injection=enabled", async () => {
    const plain = await runProgram("dev", withMesh({}));
    expect(find(plain, "Namespace", "payments").inputs.metadata.labels).toMatchObject({ "istio-injection": "enabled" });
    expect(find(plain, "Namespace", "payments").inputs.metadata.labels["istio.io/rev"]).toBeUndefined();
  });

  test("the AuthorizationPolicy admits exactly the namespaces the team's NetworkPolicies admit", () => {
    for (const team of ["payments", "search"]) {
      const authz = find(rs, "AuthorizationPolicy", `${team}-allow-ingress-from`, team).inputs.spec;
      const netpol = find(rs, "NetworkPolicy", `${team}-allow-ingress-from`, team).inputs.spec;
      const fromNetpol = netpol.ingress[0].from[0].namespaceSelector.matchExpressions[0].values;
      // The same namespace is admitted by allow-same-namespace on the NetworkPolicy side.
      expect(authz).toEqual({ action: "ALLOW", rules: [{ from: [{ source: { namespaces: [team, ...fromNetpol] } }] }] });
    }
    expect(find(rs, "AuthorizationPolicy", "search-allow-ingress-from", "search").inputs.spec.rules[0].from[0].source.namespaces).toEqual([
      "search",
      "ingress",
      "payments",
      // Prometheus scrapes search's api (apps[].metrics), so monitoring is admitted on both sides.
      "monitoring",
    ]);
  });

  test("every Istio object passes its CRD schema (and has no field the schema does not know)", () => {
    const objects = istioObjects(rs);
    expect(objects.map((o) => o.inputs.kind).sort()).toEqual(["AuthorizationPolicy", "AuthorizationPolicy", "PeerAuthentication", "PeerAuthentication"]);
    expect(objects.flatMap((o) => schemaProblems(o.inputs))).toEqual([]);
  });

  test("the schema check can fail: a misspelt mode and an unknown field are reported", () => {
    const peer = structuredClone(find(rs, "PeerAuthentication", "payments-mtls").inputs);
    peer.spec.mtls.mode = "STRICTLY";
    peer.spec.mtsl = {};
    expect(schemaProblems(peer)).toEqual([
      expect.stringContaining("mode must be equal to one of the allowed values"),
      "PeerAuthentication payments/payments-mtls: unknown field spec.mtsl",
    ]);
  });

  test("admin Job pods get a native sidecar, so they end when their command does", () => {
    const job = ofKind(rs, "Job").find((j) => j.inputs.metadata.name.startsWith("migrate-"))!;
    expect(job.inputs.spec.template.metadata.annotations).toEqual({ "sidecar.istio.io/nativeSidecar": "true" });
  });
});

describe("the control plane from config", () => {
  test("its three charts installed from the configured sources; the team policies wait for all of them (base installs the CRDs)", async () => {
    const rs = await runProgram("dev", withMesh({ revision: "1-24", controlPlane: CONTROL_PLANE }));
    const [base, istiod, cni] = ["mesh-base", "mesh-istiod", "mesh-cni"].map((n) => charts(rs).find((c) => c.name === n)!);
    expect([base.inputs.chart, istiod.inputs.chart, cni.inputs.chart]).toEqual(["/charts/base", "/charts/istiod", "/charts/cni"]);
    expect(istiod.inputs.values.revision).toBe("1-24");
    const teamMesh = rs.filter((r) => r.type === "platform:mesh:TeamMeshPolicy");
    expect(teamMesh).toHaveLength(2);
    for (const t of teamMesh) expect(t.dependsOn).toEqual(expect.arrayContaining([base.urn, istiod.urn, cni.urn]));
  });

  test("prod protects the releases and every team's mesh objects", async () => {
    const repo = { repo: "https://charts.example.com/istio", version: "1.24.2" };
    const prod = withConfig(loadStackConfig("prod"), (c) => (c.mesh = { istio: { controlPlane: { base: repo, istiod: repo, cni: repo } } }));
    const rs = await runProgram("prod", prod);
    expect(charts(rs).find((c) => c.name === "mesh-istiod")!.inputs).toMatchObject({ chart: "istiod", version: "1.24.2", repositoryOpts: { repo: repo.repo } });
    for (const c of charts(rs)) expect([c.protect, c.retainOnDelete]).toEqual([true, true]);
    expect(istioObjects(rs).length).toBeGreaterThan(0);
    for (const r of istioObjects(rs)) expect(r.protect).toBe(true);
  });
});

describe("a blue-green split carried by Istio", () => {
  const web = (split?: Record<string, unknown>, edit: (a: Record<string, any>) => void = () => undefined): StackConfig =>
    withMesh(undefined, (c) => {
      if (split) c.apps[0].trafficSplit = split;
      edit(c.apps[0]);
    });
  const k8sObjects = async (cfg: StackConfig) => JSON.stringify(kubernetesObjects(await runProgram("dev", cfg)).map((r) => [r.name, r.inputs]));

  test("100 and 0 behave exactly like a plain flip", async () => {
    expect(await k8sObjects(web({ green: 100, via: "istio" }))).toEqual(await k8sObjects(web(undefined, (a) => (a.activeColor = "green"))));
    expect(await k8sObjects(web({ green: 0, via: "istio" }, (a) => (a.activeColor = "green")))).toEqual(await k8sObjects(web()));
  });
});

describe("bad mesh config names the key", () => {
  test.each<[string, StackConfig, string | RegExp]>([
    [
      "istio routing without the mesh",
      withConfig(dev, (c) => (c.apps[0].trafficSplit = { green: 10, via: "istio" })),
      'platform:apps[0].trafficSplit.via: "istio" needs the mesh: set mesh.istio (the VirtualService only steers traffic between sidecars), or use "gateway" with a route',
    ],
    [
      "an unknown carrier",
      withMesh(undefined, (c) => (c.apps[0].trafficSplit = { green: 10, via: "nginx" })),
      'platform:apps[0].trafficSplit.via: expected one of "gateway" | "istio", got "nginx"',
    ],
    ["a gateway split without a route", withMesh(undefined, (c) => (c.apps[0].trafficSplit = { green: 10 })), /^platform:apps\[0\]\.trafficSplit: needs route/],
    ["a revision that is not a DNS label", withMesh({ revision: "1.24" }), /^platform:mesh\.istio\.revision: expected a DNS-1123 label/],
    [
      "a control plane without the CNI chart",
      withMesh({ controlPlane: { base: chart("base"), istiod: chart("istiod") } }),
      "platform:mesh.istio.controlPlane.cni: is required (expected object)",
    ],
    [
      "a chart with a version but no repo",
      withMesh({ controlPlane: { ...CONTROL_PLANE, istiod: { version: "1.24.2" } } }),
      "platform:mesh.istio.controlPlane.istiod: set repo and version (pinned), or path to a local chart",
    ],
    [
      "a team in the control plane's namespace",
      withMesh({ controlPlane: { ...CONTROL_PLANE, namespace: "payments" } }),
      `platform:teams[0].name: "payments" is the mesh control plane's namespace (mesh.istio.controlPlane.namespace)`,
    ],
    ["a misspelt key", withMesh({ revison: "1-24" }), "platform:mesh.istio.revison: unknown key (check the spelling)"],
    ["mesh without istio", withConfig(dev, (c) => (c.mesh = {})), "platform:mesh.istio: is required (expected object)"],
  ])("%s", (_what, cfg, expected) => {
    const problems = problemsOf(cfg);
    if (typeof expected === "string") expect(problems).toContain(expected);
    else expect(problems).toContainEqual(expect.stringMatching(expected));
  });

  test("nothing is registered on bad mesh config", async () => {
    const registered: Registered[] = [];
    await expect(runProgram("dev", withMesh({ revision: "1.24" }), registered)).rejects.toThrow(/platform:mesh\.istio\.revision/);
    expect(registered.filter((r) => r.custom)).toEqual([]);
  });
});
