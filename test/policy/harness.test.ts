// The pack's plumbing: every workload shape, unknowns in a preview, revealed secrets, config
// levels and exemptions, rule metadata, and the real entry point starting its analyzer.
import { spawn } from "child_process";
import * as path from "path";
import { rules } from "../../policy/pack";
import { ROOT, runProgram } from "../../testing/harness";
import { analyze, format, loadPolicyConfig, PackConfig, PackResource, resolveConfig, UNKNOWN } from "../support/policy";
import { deployment, main, podSpec, service, specOf, stack, strictConfig } from "./fixtures";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const names = (ds: { policyName: string }[]) => [...new Set(ds.map((d) => d.policyName))].sort();

describe("pod specs are found in every workload shape", () => {
  const privileged = () => {
    const spec = podSpec();
    spec.containers[0].securityContext.privileged = true;
    return spec;
  };
  const template = () => ({ metadata: { labels: {} }, spec: privileged() });
  const shapes: [string, string, Record<string, any>][] = [
    ["Pod", "core/v1", { spec: privileged() }],
    ["Deployment", "apps/v1", { spec: { template: template() } }],
    ["StatefulSet", "apps/v1", { spec: { template: template() } }],
    ["DaemonSet", "apps/v1", { spec: { template: template() } }],
    ["ReplicaSet", "apps/v1", { spec: { template: template() } }],
    ["Job", "batch/v1", { spec: { template: template() } }],
    ["CronJob", "batch/v1", { spec: { jobTemplate: { spec: { template: template() } } } }],
  ];
  test.each(shapes)("%s", async (kind, group, body) => {
    const r: PackResource = { type: `kubernetes:${group}:${kind}`, name: "x", props: { kind, metadata: { name: "x", namespace: "t" }, ...body } };
    const found = (await analyze([r], strictConfig)).filter((d) => d.policyName === "no-privileged-containers");
    expect(found.map((d) => d.message)).toEqual([expect.stringContaining(`${kind} t/x: containers[0] "cart" is privileged`)]);
  });
});

describe("unknown values during preview", () => {
  test("a rule that reads an unknown image is skipped with an advisory note, never a violation", async () => {
    const d = deployment();
    main(d).image = UNKNOWN;
    const diagnostics = await analyze([d], { all: "mandatory", "image-registry-allowed": { allowedRegistries: ["harbor.prod.example.com"] } });
    const imageRules = diagnostics.filter((x) => x.policyName.startsWith("image-"));
    expect(imageRules.map((x) => x.enforcementLevel)).toEqual(["advisory", "advisory", "advisory"]);
    expect(imageRules[0].message).toBe(
      "can't run policy 'image-tag-pinned' from policy pack 'k8s-platform-twelve-factor' during preview: string value at .spec.template.spec.containers.0.image can't be known during preview",
    );
  });

  test("rules that do not read the unknown value still run and still find violations", async () => {
    const [d, ...rest] = stack();
    main(d).image = UNKNOWN;
    specOf(d).hostPID = true;
    const found = (await analyze([d, ...rest], strictConfig)).filter((x) => x.enforcementLevel === "mandatory");
    expect(names(found)).toEqual(["no-host-namespaces"]);
  });

  test("a stack rule meeting an unknown selector is skipped, not crashed", async () => {
    const s = service();
    (s.props as any).spec.selector = UNKNOWN;
    const diagnostics = await analyze([deployment(), s], { all: "disabled", "service-targets-workload": "mandatory" });
    expect(diagnostics.map((d) => `${d.enforcementLevel} ${d.message}`)).toEqual([
      "advisory can't run policy 'service-targets-workload' from policy pack 'k8s-platform-twelve-factor' during preview: string value at .spec.selector can't be known during preview",
    ]);
  });
});

test("secrets reach the pack revealed, as the engine hands them over", async () => {
  const d = deployment();
  main(d).env.push({ name: "ADMIN_TOKEN", value: { ...SECRET, value: "plain-text-token" } });
  const found = (await analyze([d], { all: "disabled", "secret-env-from-secret-ref": "mandatory" })).map((x) => x.message);
  expect(found).toEqual([expect.stringContaining("env ADMIN_TOKEN looks like a credential but is a literal value")]);
});

describe("policy config", () => {
  test("dev is mostly advisory; prod makes every rule mandatory", () => {
    const level = (env: string) =>
      [...resolveConfig(loadPolicyConfig(env))]
        .filter(([, r]) => r.level === "mandatory")
        .map(([n]) => n)
        .sort();
    expect(level("dev")).toEqual(["configmap-no-secrets", "image-tag-pinned", "no-host-namespaces", "no-privileged-containers", "secret-env-from-secret-ref"]);
    expect(level("prod")).toEqual(rules.map((r) => r.meta.name).sort());
    expect(resolveConfig(loadPolicyConfig("dev")).get("images-promoted")!.level).toBe("disabled");
  });

  test("a typo in a policy name or a setting, or an exemption without a reason, is rejected", () => {
    expect(() => resolveConfig({ "image-tag-pined": "mandatory" })).toThrow("names unknown policies: image-tag-pined");
    expect(() => resolveConfig({ "image-registry-allowed": { allowedRegistry: ["x"] } })).toThrow("must NOT have additional properties");
    expect(() => resolveConfig({ "run-as-non-root": { exemptWorkloads: [{ namespace: "a", name: "b" }] } })).toThrow("must have required property 'reason'");
  });

  test("an exemption covers only the named workload, only for its rule", async () => {
    const exempt: PackConfig = {
      ...strictConfig,
      "no-host-namespaces": { exemptWorkloads: [{ namespace: "shop", name: "cart", reason: "test: named exemption" }] },
    };
    const [d] = stack();
    specOf(d).hostPID = true;
    specOf(d).containers[0].securityContext.privileged = true;
    const other = deployment();
    (other.props as any).metadata.namespace = "other";
    specOf(other).hostPID = true;
    const found = (await analyze([d, other], exempt)).filter((x) => ["no-host-namespaces", "no-privileged-containers"].includes(x.policyName));
    expect(found.map((x) => x.message.split(": ").slice(0, 2).join(": "))).toEqual([
      "no-privileged-containers: Deployment shop/cart",
      "no-host-namespaces: Deployment other/cart",
    ]);
  });

  test.each([["dev"], ["prod"]])(
    "every %s exemption and host path allowance names a workload the stack deploys (or the Calico chart's operator)",
    async (env) => {
      const deployed = new Set(
        (await runProgram(env)).filter((r) => r.inputs.spec?.template).map((r) => `${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`),
      );
      // Rendered by the tigera-operator chart at deploy time, so the mocks never see it.
      deployed.add("tigera-operator/tigera-operator");
      const exempted = Object.values(loadPolicyConfig(env))
        .flatMap((e: any) => [...(e.exemptWorkloads ?? []), ...(e.allowedHostPaths ?? [])])
        .map((e: any) => `${e.namespace}/${e.name}`);
      expect(exempted.filter((e) => !deployed.has(e))).toEqual([]);
    },
  );

  test("the Calico operator Deployment the chart renders passes prod through its named exemptions", async () => {
    // Only the fields that matter to the rules, as the chart renders them with default values.
    const operator: PackResource = {
      type: "kubernetes:apps/v1:Deployment",
      name: "tigera-operator",
      props: {
        kind: "Deployment",
        metadata: { name: "tigera-operator", namespace: "tigera-operator", labels: { "k8s-app": "tigera-operator" } },
        spec: {
          replicas: 1,
          template: {
            metadata: { labels: { name: "tigera-operator", "k8s-app": "tigera-operator" } },
            spec: {
              hostNetwork: true,
              terminationGracePeriodSeconds: 60,
              serviceAccountName: "tigera-operator",
              containers: [
                {
                  name: "tigera-operator",
                  image: "quay.io/tigera/operator:v1.36.5",
                  command: ["operator"],
                  env: [{ name: "WATCH_NAMESPACE", value: "" }],
                  volumeMounts: [{ name: "var-lib-calico", readOnly: true, mountPath: "/var/lib/calico" }],
                },
              ],
              volumes: [{ name: "var-lib-calico", hostPath: { path: "/var/lib/calico" } }],
            },
          },
        },
      },
    };
    const all = await analyze([operator], loadPolicyConfig("prod"));
    expect(all.map(format)).toEqual([]);
    // Without the exemptions, most of the baseline would fail it.
    expect(names(await analyze([operator], strictConfig)).length).toBeGreaterThan(10);
  });
});

test("every rule states its factor, severity and remediation", () => {
  const factors = new Set(rules.map((r) => r.meta.factor));
  expect(factors.size).toBe(12);
  expect(new Set(rules.map((r) => r.policy.name)).size).toBe(rules.length);
  for (const { meta, policy } of rules) {
    expect(policy.description).toBe(`[${meta.factor}] ${meta.checks}${meta.choice ? ` Choice: ${meta.choice}` : ""} Remediation: ${meta.remediation}`);
    expect(policy.remediationSteps).toBe(meta.remediation);
    expect(policy.severity).toMatch(/^(low|medium|high|critical)$/);
  }
});

test("the pack's entry point starts the analyzer and prints its port, as the CLI expects", async () => {
  const child = spawn(process.execPath, ["-r", path.join(ROOT, "node_modules/ts-node/register/transpile-only"), "index.ts"], {
    cwd: path.join(ROOT, "policy"),
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (b) => (out += b) && /^\d+\n/.test(out) && resolve(out.trim()));
      child.stderr.on("data", (b) => (err += b));
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    expect(Number(port)).toBeGreaterThan(0);
  } finally {
    child.kill();
  }
});
