// `up` of dev and prod through the real engine in render mode: every manifest parses, passes the
// strict schema check of the unit tests, and the objects are exactly those the program registers.
import { kubernetesObjects, loadStackConfig, runProgram } from "../../testing/harness";
import { KINDS_WITHOUT_SCHEMA, schemaProblems } from "../support/schema";
import { exportState, newProject, ok, platform, pulumi, renderedObjects, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;
const key = (o: { kind: string; namespace: string; name: string }) => `${o.kind} ${o.namespace || "-"}/${o.name}`;

describeE2E.each(["dev", "prod"])("render mode: up of %s", (stack) => {
  const dir = newProject(`render-${stack}`);
  let upOutput = "";

  beforeAll(() => {
    upOutput = ok(platform(dir, "up", "--stack", stack, "--yes")).stdout;
  });

  test("prints a summary: objects per kind, where the manifests went, outputs, next commands", () => {
    expect(upOutput).toMatch(new RegExp(`${stack}: \\d+ Kubernetes objects rendered to rendered/${stack}/`));
    expect(upOutput).toMatch(/kinds: [^]*Namespace \d+/);
    expect(upOutput).toContain("outputs:");
    expect(upOutput).toContain(`environment: ${stack}`);
    expect(upOutput).toContain("npm run platform -- preview --stack prod --policy");
  });

  test("every rendered manifest passes the strict schema check", () => {
    const objects = renderedObjects(dir, stack);
    expect(objects.length).toBeGreaterThan(20);
    const problems = objects
      .filter((o) => !KINDS_WITHOUT_SCHEMA.has(`${o.apiVersion}/${o.kind}`))
      .flatMap((o) => schemaProblems(o.obj).map((p) => `${key(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("the rendered objects are the ones the program registers (plus the charts' own)", async () => {
    const registered = kubernetesObjects(await runProgram(stack, loadStackConfig(stack, dir))).map((r) => ({
      kind: r.inputs.kind,
      namespace: r.inputs.metadata?.namespace ?? "",
      name: r.inputs.metadata?.name,
    }));
    const rendered = renderedObjects(dir, stack);
    const fromCharts = rendered.filter((o) => o.obj.metadata?.labels?.["app.kubernetes.io/part-of"] === "chart-fixture");
    const fromProgram = rendered.filter((o) => !fromCharts.includes(o));
    expect(fromProgram.map(key).sort()).toEqual(registered.map(key).sort());
    // The chart path ran: the fixture charts' objects are rendered too (Harbor in both, tigera in prod).
    expect(fromCharts.length).toBeGreaterThan(0);
  });

  test("monitoring and the log store render: monitors, metrics-server, the chart's values (dev: Elasticsearch, Kibana)", () => {
    const objects = renderedObjects(dir, stack);
    const names = objects.map(key);
    expect(names).toEqual(
      expect.arrayContaining([
        "ServiceMonitor monitoring/jenkins",
        "PodMonitor monitoring/fluent-bit",
        "APIService -/v1beta1.metrics.k8s.io",
        "Deployment kube-system/metrics-server",
        ...(stack === "dev"
          ? ["PodMonitor monitoring/search-api", "StatefulSet log-store/elasticsearch", "Deployment log-store/kibana", "Job log-store/log-store-setup"]
          : ["ServiceMonitor monitoring/harbor"]),
      ]),
    );
    const jenkins = objects.find((o) => o.kind === "ServiceMonitor" && o.name === "jenkins")!.obj;
    expect(jenkins.spec.endpoints).toEqual([{ port: "http", path: "/prometheus", interval: "30s", scheme: "http" }]);
    // The operator's chart (fixture) got the values: every monitor selected, retention, a generated Grafana password.
    const values = objects.find((o) => o.kind === "ConfigMap" && o.name === "kube-prometheus-stack-prometheus")!.obj.data;
    expect(values).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: "false",
      podMonitorSelectorNilUsesHelmValues: "false",
      retention: stack === "dev" ? "3d" : "15d",
    });
    const grafana = objects.find((o) => o.kind === "Secret" && o.name === "kube-prometheus-stack-grafana")!.obj;
    const password = grafana.stringData?.["admin-password"] ?? Buffer.from(grafana.data["admin-password"], "base64").toString();
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  test("the state holds no generated password in plain text", () => {
    const outputs = JSON.parse(ok(pulumi(dir, "stack", "output", "--json", "--show-secrets", "--stack", stack)).stdout);
    const secrets = [outputs.jenkinsAdminPassword].filter((s): s is string => typeof s === "string" && s.length >= 12);
    expect(secrets.length).toBeGreaterThan(0);
    const state = JSON.stringify(exportState(dir, stack));
    for (const secret of secrets) expect(state).not.toContain(secret);
    // Every generated password is stored encrypted.
    const passwords = exportState(dir, stack).deployment.resources.filter((r: any) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.length).toBeGreaterThan(0);
    for (const p of passwords) expect(p.outputs.result).toHaveProperty("ciphertext");
  });
});
