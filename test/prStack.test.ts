// Per-PR stacks without the engine: arguments, bad input refused before anything runs, and dev's
// config renamed so the PR stack's objects (run under mocks) cannot collide with dev's.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { UsageError } from "../runner/args";
import { GENERATED_HEADER, PR_STACK, prConfig } from "../runner/prConfig";
import { parsePrStackArgs } from "../runner/prStack";
import { kubernetesObjects, problemsOf, Registered, ROOT, runProgram, StackConfig } from "../testing/harness";

const devValues = (): Record<string, any> =>
  Object.fromEntries(
    Object.entries<any>(YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config).map(([k, v]) => [k.replace(/^platform:/, ""), v]),
  );
const asStackConfig = (values: Record<string, any>, secrets: string[] = []): StackConfig => ({
  config: Object.fromEntries(Object.entries(values).map(([k, v]) => [`platform:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
  secretKeys: secrets.map((k) => `platform:${k}`),
});
const key = (r: Registered) => `${r.inputs.kind} ${r.inputs.metadata?.namespace ?? "-"}/${r.inputs.metadata?.name}`;

describe("pr-stack arguments", () => {
  test("up and destroy with a PR number", () => {
    expect(parsePrStackArgs(["up", "--pr", "123"])).toEqual({ action: "up", pr: 123, withClusterComponents: false, policy: false, json: false });
    expect(parsePrStackArgs(["up", "--pr=7", "--with-cluster-components", "--policy", "--json", "--yes"])).toEqual({
      action: "up",
      pr: 7,
      withClusterComponents: true,
      policy: true,
      json: true,
    });
    expect(parsePrStackArgs(["destroy", "--pr", "123"])).toMatchObject({ action: "destroy", pr: 123 });
  });

  test.each<[string[], RegExp]>([
    [[], /pr-stack needs an action: up or destroy/],
    [["preview", "--pr", "1"], /needs an action: up or destroy \(got "preview"\)/],
    [["up"], /--pr N is required/],
    [["up", "--pr"], /--pr needs a pull request number/],
    [["up", "--pr", "0"], /positive whole number like 123 \(got "0"\)/],
    [["up", "--pr", "-4"], /\(got "-4"\)/],
    [["up", "--pr", "1.5"], /\(got "1.5"\)/],
    [["up", "--pr", "007"], /\(got "007"\)/],
    [["up", "--pr", "dev"], /\(got "dev"\)/],
    [["up", "--pr", "pr-12"], /\(got "pr-12"\)/],
    [["up", "--pr", "1", "--pr", "2"], /--pr is given twice/],
    [["destroy", "--stack", "dev"], /only on its own pr-<n> stacks: give --pr N, not --stack/],
    [["up", "--pr", "1", "--stack=prod"], /not --stack/],
    [["up", "--pr", "1", "--force"], /unknown argument "--force"/],
    [["destroy", "--pr", "1", "--policy"], /--policy applies to pr-stack up, not destroy/],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parsePrStackArgs(argv)).toThrow(UsageError);
    expect(() => parsePrStackArgs(argv)).toThrow(message);
  });

  test("PR stack names are pr-<positive integer>", () => {
    expect(["pr-1", "pr-123", "pr-999999999"].every((s) => PR_STACK.test(s))).toBe(true);
    expect(["pr-0", "pr-01", "dev", "prod", "pr-", "pr-1a", "xpr-1"].some((s) => PR_STACK.test(s))).toBe(false);
  });
});

describe("bad input through the runner: exit 2, a clear message, nothing changed", () => {
  const runner = path.join(ROOT, "bin/runner/main.js");
  beforeAll(() => {
    expect(spawnSync(process.execPath, [path.join(ROOT, "scripts/build.js")], { cwd: ROOT }).status).toBe(0);
  });
  const project = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-stack-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    return dir;
  };
  const snapshot = (dir: string) =>
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => `${f}:${fs.readFileSync(path.join(dir, f), "utf8")}`);
  const run = (dir: string, cache: string, ...args: string[]) =>
    spawnSync(process.execPath, [runner, "pr-stack", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PLATFORM_WORK_DIR: dir, XDG_CACHE_HOME: cache },
    });

  test.each([["abc"], ["0"], ["-3"]])("--pr %s", (pr) => {
    const [dir, cache] = [project(), fs.mkdtempSync(path.join(os.tmpdir(), "cache-"))];
    const before = snapshot(dir);
    const result = run(dir, cache, "up", "--pr", pr);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`platform: --pr needs a pull request number, a positive whole number like 123 (got "${pr}")`);
    expect(result.stderr).toContain("npm run platform -- pr-stack <up|destroy> --pr N");
    expect(snapshot(dir)).toEqual(before);
    expect(fs.readdirSync(cache)).toEqual([]); // no toolchain work either
  });

  test("a hand-written stack file named like a PR stack is not a PR stack: neither destroyed nor overwritten", () => {
    const [dir, cache] = [project(), fs.mkdtempSync(path.join(os.tmpdir(), "cache-"))];
    fs.writeFileSync(path.join(dir, "Pulumi.pr-7.yaml"), "config:\n  platform:environment: dev\n");
    const before = snapshot(dir);
    for (const action of ["destroy", "up"]) {
      const result = run(dir, cache, action, "--pr", "7");
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("Pulumi.pr-7.yaml was not written by pr-stack");
      expect(result.stderr).toContain("Nothing was changed.");
    }
    expect(snapshot(dir)).toEqual(before);
    expect(fs.readdirSync(cache)).toEqual([]);
  });
});

describe("a PR stack's config from dev's", () => {
  test("every namespace dev creates is prefixed, and every reference to one; outside namespaces are kept", () => {
    const dev = devValues();
    dev.harbor = { ...dev.harbor, enabled: true };
    const { values, namespaces, problems } = prConfig(dev, { pr: 123, withClusterComponents: false });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(namespaces)).toEqual({
      payments: "pr-123-payments",
      search: "pr-123-search",
      jenkins: "pr-123-jenkins",
      "jenkins-agents": "pr-123-jenkins-agents",
      harbor: "pr-123-harbor",
      monitoring: "pr-123-monitoring",
    });
    expect(values.teams.map((t: any) => t.name)).toEqual(["pr-123-payments", "pr-123-search"]);
    // "ingress" is the ingress controller's namespace, not the stack's: it stays.
    expect(values.teams[1].allowIngressFrom).toEqual(["ingress", "pr-123-payments"]);
    expect(values.apps.map((a: any) => a.team)).toEqual(["pr-123-payments", "pr-123-search", "pr-123-search"]);
    expect(values.jenkins).toMatchObject({ namespace: "pr-123-jenkins", agentNamespace: "pr-123-jenkins-agents" });
    expect(values.harbor.namespace).toBe("pr-123-harbor");
    // Cluster-wide components stay dev's.
    expect(values.cluster.installCni).toBe(false);
    expect(values.logging).toMatchObject({ enabled: false });
    expect(values.logging.namespace).toBeUndefined();
    expect(values.environment).toBe("dev");
  });

  test("a disabled service claims no namespace", () => {
    const dev = devValues();
    dev.harbor = { ...dev.harbor, enabled: false };
    dev.jenkins = { ...dev.jenkins, enabled: false };
    const { values, namespaces } = prConfig(dev, { pr: 1, withClusterComponents: false });
    expect([...namespaces.keys()]).toEqual(["payments", "search", "monitoring"]);
    expect(values.harbor.namespace).toBeUndefined();
    expect(values.jenkins.namespace).toBeUndefined();
  });

  test("dev's own values are not touched", () => {
    const dev = devValues();
    const copy = structuredClone(dev);
    prConfig(dev, { pr: 5, withClusterComponents: true });
    expect(dev).toEqual(copy);
  });

  test("--with-cluster-components keeps the CNI and log collector, the collector in a prefixed namespace", () => {
    const { values } = prConfig(devValues(), { pr: 9, withClusterComponents: true });
    expect(values.cluster.installCni).toBeUndefined();
    expect(values.logging).toMatchObject({ namespace: "pr-9-logging" });
    expect(values.logging.enabled).toBeUndefined();
  });

  test("team-keyed settings follow their team: robots, app passwords, pod templates; routes and UI hosts get the prefix", () => {
    const dev = devValues();
    dev.registryRobots = { payments: { username: "robot$payments+ci", password: "p" } };
    dev.appPasswords = { "search/db": "pw" };
    dev.jenkins.podTemplates = [{ name: "payments", team: "payments" }, { name: "plain" }];
    dev.jenkins.ingress = { host: "jenkins.dev.example.com" };
    dev.jenkins.allowIngressFrom = ["ingress-nginx", "payments"];
    dev.apps[0].route = { gateway: { name: "public", namespace: "gateway-system" }, hostnames: ["web.dev.example.com"] };
    const { values } = prConfig(dev, { pr: 42, withClusterComponents: false });
    expect(values.registryRobots).toEqual({ "pr-42-payments": { username: "robot$payments+ci", password: "p" } });
    expect(values.appPasswords).toEqual({ "pr-42-search/db": "pw" });
    expect(values.jenkins.podTemplates).toEqual([{ name: "payments", team: "pr-42-payments" }, { name: "plain" }]);
    expect(values.jenkins.ingress.host).toBe("pr-42-jenkins.dev.example.com");
    expect(values.jenkins.allowIngressFrom).toEqual(["ingress-nginx", "pr-42-payments"]);
    expect(values.apps[0].route).toEqual({ gateway: { name: "public", namespace: "gateway-system" }, hostnames: ["pr-42-web.dev.example.com"] });
  });

  test("admin processes follow their app's team; the mesh control plane is dev's unless cluster components come along", () => {
    const dev = devValues();
    dev.mesh = { istio: { revision: "1-24", controlPlane: { base: { path: "b" }, istiod: { path: "i" }, cni: { path: "c" } } } };
    const { values } = prConfig(dev, { pr: 7, withClusterComponents: false });
    expect(values.jobs.map((j: any) => j.app)).toEqual(["pr-7-search/api", "pr-7-search/api"]);
    expect(values.mesh).toEqual({ istio: { revision: "1-24" } });
    const own = prConfig(dev, { pr: 7, withClusterComponents: true });
    expect(own.values.mesh.istio.controlPlane.namespace).toBe("pr-7-istio-system");
    expect(own.namespaces.get("istio-system")).toBe("pr-7-istio-system");
  });

  test("a name that would not fit once prefixed is reported, with its config key", () => {
    const dev = devValues();
    dev.teams[0].name = "a".repeat(60);
    dev.apps = [];
    const { problems } = prConfig(dev, { pr: 123, withClusterComponents: false });
    expect(problems).toEqual([
      expect.stringMatching(/^platform:teams\[0\]\.name: "a{60}" becomes "pr-123-a{60}" in pr-123, 67 characters; a namespace name holds at most 63$/),
    ]);
  });

  test("the generated header marks the file", () => {
    expect(GENERATED_HEADER).toMatch(/^# Generated by `npm run platform -- pr-stack up`/);
  });
});

describe("a PR stack beside dev (the real program, under mocks)", () => {
  let dev: Registered[];
  let pr: Registered[];
  beforeAll(async () => {
    const values = prConfig(devValues(), { pr: 123, withClusterComponents: false }).values;
    expect(problemsOf(asStackConfig(values))).toEqual([]);
    dev = kubernetesObjects(await runProgram("dev"));
    pr = kubernetesObjects(await runProgram("pr-123", asStackConfig(values)));
  });

  test("every namespaced object sits in a pr-123- namespace; the only cluster-scoped objects are its own namespaces", () => {
    expect(pr.length).toBeGreaterThan(20);
    for (const r of pr) {
      const ns = r.inputs.metadata?.namespace;
      if (ns) expect(`${key(r)}`).toMatch(/^\S+ pr-123-/);
      else expect(`${r.inputs.kind} ${r.inputs.metadata?.name}`).toMatch(/^Namespace pr-123-/);
    }
  });

  test("no (kind, namespace, name) collides with dev's", () => {
    const devKeys = new Set(dev.map(key));
    expect(pr.map(key).filter((k) => devKeys.has(k))).toEqual([]);
  });
});
