// The whole program for the dev and prod stack files: what it registers, and that all of it is valid.
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import YAML from "yaml";
import { schemaProblems } from "./support/schema";
import { find, kubernetesObjects, reveal, ROOT, runStack, Registered } from "../testing/harness";

const describeObject = (r: Registered) => `${r.inputs.kind} ${r.inputs.metadata?.namespace ? r.inputs.metadata.namespace + "/" : ""}${r.inputs.metadata?.name}`;

const teamObjects = (team: string, opts: { viewers: boolean; editors: boolean; ingressFrom: boolean }) => [
  `Namespace ${team}`,
  `ResourceQuota ${team}/${team}-quota`,
  `LimitRange ${team}/${team}-limits`,
  `ServiceAccount ${team}/${team}-workload`,
  `NetworkPolicy ${team}/${team}-default-deny`,
  `NetworkPolicy ${team}/${team}-allow-same-namespace`,
  `NetworkPolicy ${team}/${team}-allow-dns`,
  ...(opts.ingressFrom ? [`NetworkPolicy ${team}/${team}-allow-ingress-from`] : []),
  ...(opts.editors ? [`RoleBinding ${team}/${team}-editors`] : []),
  ...(opts.viewers ? [`RoleBinding ${team}/${team}-viewers`] : []),
];

const logging = [
  "Namespace logging",
  "ServiceAccount logging/fluent-bit",
  "ClusterRole fluent-bit-read",
  "ClusterRoleBinding fluent-bit-read",
  "ConfigMap logging/fluent-bit",
  "DaemonSet logging/fluent-bit",
];

const blueGreen = (team: string, app: string, { smoke, route }: { smoke: boolean; route: boolean }) => [
  `Deployment ${team}/${app}-blue`,
  `Deployment ${team}/${app}-green`,
  `PodDisruptionBudget ${team}/${app}-blue`,
  `PodDisruptionBudget ${team}/${app}-green`,
  `Service ${team}/${app}`,
  `Service ${team}/${app}-preview`,
  ...(smoke ? [`Service ${team}/${app}-smoke`] : []),
  ...(route ? [`HTTPRoute ${team}/${app}`] : []),
];

const autoscaled = (team: string, app: string) =>
  ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"].map((kind) => `${kind} ${team}/${app}`);

const stateful = (team: string, app: string) => [
  `StatefulSet ${team}/${app}`,
  `Service ${team}/${app}`,
  `Service ${team}/${app}-headless`,
  `Secret ${team}/${app}-credentials`,
  `PodDisruptionBudget ${team}/${app}`,
];

const jenkins = (ingress: boolean) => [
  "Namespace jenkins",
  "Namespace jenkins-agents",
  "ServiceAccount jenkins/jenkins",
  "Secret jenkins/jenkins-admin",
  "ConfigMap jenkins/jenkins-casc",
  "ConfigMap jenkins/jenkins-plugins",
  "Service jenkins/jenkins",
  "Service jenkins/jenkins-agent",
  "StatefulSet jenkins/jenkins",
  "NetworkPolicy jenkins/jenkins-controller",
  "Role jenkins-agents/jenkins-agents",
  "RoleBinding jenkins-agents/jenkins-agents",
  "ServiceAccount jenkins-agents/jenkins-agent",
  ...(ingress ? ["Ingress jenkins/jenkins"] : []),
];

// The chart's own objects are rendered by the provider, not registered by the program.
const harbor = ["Namespace harbor"];

const metricsServer = [
  "ServiceAccount kube-system/metrics-server",
  "ClusterRole metrics-server-aggregated-reader",
  "ClusterRole metrics-server",
  "ClusterRoleBinding metrics-server",
  "ClusterRoleBinding metrics-server-auth-delegator",
  "RoleBinding kube-system/metrics-server-auth-reader",
  "Service kube-system/metrics-server",
  "Deployment kube-system/metrics-server",
  "APIService v1beta1.metrics.k8s.io",
];

// The in-cluster log store; the collector then has credentials (the shipper's generated password).
const logStore = [
  "Namespace log-store",
  "Secret log-store/log-store-credentials",
  "Service log-store/elasticsearch",
  "Service log-store/elasticsearch-headless",
  "StatefulSet log-store/elasticsearch",
  "Job log-store/log-store-setup",
  "Service log-store/kibana",
  "Deployment log-store/kibana",
  "NetworkPolicy log-store/log-store-ingress",
  "Secret logging/fluent-bit-backend",
];

const expected: Record<string, string[]> = {
  dev: [
    "Namespace kube-flannel",
    "ServiceAccount kube-flannel/flannel",
    "ClusterRole flannel",
    "ClusterRoleBinding flannel",
    "ConfigMap kube-flannel/kube-flannel-cfg",
    "DaemonSet kube-flannel/kube-flannel-ds",
    ...logging,
    ...teamObjects("payments", { editors: true, viewers: true, ingressFrom: true }),
    ...teamObjects("search", { editors: true, viewers: false, ingressFrom: true }),
    ...blueGreen("payments", "web", { smoke: false, route: false }),
    ...autoscaled("search", "api"),
    ...stateful("search", "db"),
    // Admin processes of search/api: the one-off Job is named after a hash of what it runs.
    "Job search/migrate-<hash>",
    "CronJob search/purge-sessions",
    ...jenkins(false),
    // No Harbor: dev teams use the shared one at harbor.host.
    ...logStore,
    ...metricsServer,
    "Namespace monitoring",
    "ServiceMonitor monitoring/jenkins",
    "PodMonitor monitoring/fluent-bit",
    "PodMonitor monitoring/search-api",
  ],
  prod: [
    "Namespace tigera-operator",
    "Installation default",
    ...logging,
    ...["payments", "search", "identity"].flatMap((t) => teamObjects(t, { editors: true, viewers: true, ingressFrom: true })),
    ...blueGreen("payments", "web", { smoke: true, route: true }),
    ...autoscaled("search", "api"),
    ...stateful("search", "db"),
    ...jenkins(true),
    ...harbor,
    ...metricsServer,
    // kube-prometheus-stack's own objects come from the chart.
    "Namespace monitoring",
    "ServiceMonitor monitoring/jenkins",
    "ServiceMonitor monitoring/harbor",
    "PodMonitor monitoring/fluent-bit",
  ],
};

describe.each([["dev"], ["prod"]])("the %s stack", (stack) => {
  let resources: Registered[];
  let outputs: Awaited<ReturnType<typeof runStack>>["outputs"];
  beforeAll(async () => {
    ({ resources, outputs } = await runStack(stack));
  });

  test("registers exactly the expected Kubernetes objects", () => {
    // The smoke-test Job is named after the image it vets, an admin Job after what it runs.
    const names = kubernetesObjects(resources)
      .map(describeObject)
      .map((n) => n.replace(/^(Job .*?(smoke|migrate))-[0-9a-f]{10}$/, "$1-<hash>"));
    const want = [...expected[stack], ...(stack === "prod" ? ["Job payments/web-smoke-<hash>"] : [])];
    expect(names.sort()).toEqual(want.sort());
  });

  test("every Kubernetes object passes the OpenAPI schema, with no unknown fields", () => {
    const problems = kubernetesObjects(resources).flatMap((r) => schemaProblems(reveal(r.inputs)));
    expect(problems).toEqual([]);
  });

  test("every resource but the providers is a component or parented to one", () => {
    const components = new Map(resources.filter((r) => !r.custom).map((r) => [r.urn, r.type]));
    for (const r of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
      expect({ resource: r.name, parentType: components.get(r.parent) }).toEqual({ resource: r.name, parentType: expect.stringMatching(/^platform:/) });
    }
  });

  test("components use platform:<area>:<Name> type tokens", () => {
    const types = [...new Set(resources.filter((r) => !r.custom).map((r) => r.type))];
    for (const t of types) expect(t).toMatch(/^(platform:[a-z]+:[A-Z][A-Za-z]+|kubernetes:helm\.sh\/v4:Chart)$/);
  });

  test("every object carries the app.kubernetes.io labels: platform objects are part of the platform, apps of their team", () => {
    const teams = new Set(outputs.teamNamespaces);
    for (const r of kubernetesObjects(resources)) {
      const labels = r.inputs.metadata.labels;
      expect(labels["app.kubernetes.io/managed-by"]).toBe("pulumi");
      const partOf = labels["app.kubernetes.io/part-of"];
      expect(partOf === "k8s-platform" || (teams.has(partOf) && r.inputs.metadata.namespace === partOf)).toBe(true);
    }
  });

  test("outputs: team namespaces, CNI and NetworkPolicy enforcement", () => {
    const teams = expected[stack]
      .filter((e) => /^Namespace /.test(e))
      .map((e) => e.slice(10))
      .filter((n) => !["kube-flannel", "logging", "tigera-operator", "jenkins", "jenkins-agents", "harbor", "log-store", "monitoring"].includes(n));
    expect(outputs.teamNamespaces).toEqual(teams);
    expect(outputs.cni).toBe(stack === "dev" ? "flannel" : "calico");
    expect(outputs.networkPolicyEnforced).toBe(stack === "prod");
  });

  test("with no kubeconfig the provider renders manifests to rendered/<stack>", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs.renderYamlToDirectory).toBe(`rendered/${stack}`);
    expect(outputs.renderedTo).toBe(`rendered/${stack}`);
  });

  test("ConfigMaps and Secrets change in place: no replacement cascades to the workloads using them", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs).toMatchObject({ enableConfigMapMutable: "true", enableSecretMutable: "true" });
  });
});

describe("the project file", () => {
  test("state defaults to a local file backend in a git-ignored folder of the repo", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    const url = new URL(project.backend.url);
    expect(url.protocol).toBe("file:");
    // file://.pulumi-state: the CLI resolves the folder against the project root it runs in.
    const folder = project.backend.url.slice("file://".length).split("?")[0];
    expect(path.isAbsolute(folder)).toBe(false);
    expect(url.searchParams.get("create_dir")).toBe("true");
    const ignored = fs
      .readFileSync(path.join(ROOT, ".gitignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    expect(ignored).toContain(`${folder}/`);
  });
});

describe("the schema check itself", () => {
  const daemonSet = async () => reveal(find((await runStack("dev")).resources, "DaemonSet", "fluent-bit").inputs);

  test("catches a misspelt field", async () => {
    const ds = await daemonSet();
    ds.spec.template.spec.containers[0].imagePullPolicyy = "Always";
    ds.spec.minReadySecondz = 5;
    expect(schemaProblems(ds)).toEqual([
      "DaemonSet logging/fluent-bit: unknown field spec.minReadySecondz",
      "DaemonSet logging/fluent-bit: unknown field spec.template.spec.containers[0].imagePullPolicyy",
    ]);
  });

  test("catches a wrong type and a missing required field", async () => {
    const ds = await daemonSet();
    ds.spec.template.spec.containers[0].ports[0].containerPort = "2020";
    delete ds.spec.selector;
    const problems = schemaProblems(ds);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("containers/0/ports/0/containerPort must be integer");
    expect(problems[0]).toContain("data/spec must have required property selector");
  });

  test("Gateway API objects are checked against their own schema package", () => {
    const route = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "web", namespace: "payments" },
      spec: { parentRefs: [{ name: "public" }], rules: [{ backendRefs: [{ name: "web", port: 80, weight: 10 }] }] },
    };
    expect(schemaProblems(route)).toEqual([]);
    route.spec.rules[0].backendRefs[0].weight = 2_000_000; // the CRD allows at most 1,000,000
    (route.spec as Record<string, unknown>).hostname = "web.example.com";
    const problems = schemaProblems(route);
    expect(problems).toContain("HTTPRoute payments/web: unknown field spec.hostname");
    expect(problems.join("\n")).toMatch(/weight must be <= 1000000/);
  });

  test("an unknown kind is reported rather than skipped", () => {
    expect(schemaProblems({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual([
      "Widget w: no schema for example.com/v1 Widget",
    ]);
  });

  test("typed object literals reject misspelt fields at compile time", () => {
    const spec: k8s.types.input.apps.v1.DeploymentSpec = {
      // @ts-expect-error `replcas` is not a DeploymentSpec field; `npm test` type-checks this file.
      replcas: 2,
      selector: { matchLabels: { app: "x" } },
      template: {},
    };
    expect(spec.selector).toBeDefined();
  });
});
