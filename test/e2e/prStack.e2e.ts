// A per-PR stack through the real engine in render mode: pr-123 made from dev's config (an encrypted
// robot account included), beside dev without a collision, then destroyed and removed as a CI
// machine would do it: without the stack file that `up` wrote.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { GENERATED_HEADER } from "../../runner/prConfig";
import { editStack, exportState, json, newProject, ok, platform, pulumi, renderedObjects, ROOT, SKIP } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;
const key = (o: { kind: string; namespace: string; name: string }) => `${o.kind} ${o.namespace || "-"}/${o.name}`;
const ROBOTS = JSON.stringify({ payments: { username: "robot$payments+ci", password: "robot-password-e2e" } });

describeE2E("per-PR stack pr-123", () => {
  const dir = newProject("pr-stack");
  const stackFile = path.join(dir, "Pulumi.pr-123.yaml");
  const stacks = () =>
    JSON.parse(ok(pulumi(dir, "stack", "ls", "--json")).stdout)
      .map((s: { name: string }) => s.name)
      .sort();
  let upOutput = "";

  beforeAll(() => {
    // The project copy has no images/ folder: name the plugin list by its full path (dev's default is relative).
    editStack(dir, "dev", (c) => (c["platform:jenkins"].pluginsFile = path.join(ROOT, "images/jenkins/plugins.txt")));
    // Dev first, with an encrypted value the PR stack can only get through dev's stack.
    ok(pulumi(dir, "stack", "init", "dev"));
    ok(pulumi(dir, "config", "set", "--secret", "platform:registryRobots", ROBOTS, "--stack", "dev"));
    ok(platform(dir, "up", "--stack", "dev", "--yes"));
    const result = ok(platform(dir, "pr-stack", "up", "--pr", "123"));
    upOutput = `${result.stdout}${result.stderr}`;
  });

  test("up creates pr-123 from dev's config, in a generated stack file, rendered to rendered/pr-123", () => {
    expect(stacks()).toEqual(["dev", "pr-123"]);
    const text = fs.readFileSync(stackFile, "utf8");
    expect(text.startsWith(GENERATED_HEADER)).toBe(true);
    const config = YAML.parse(text).config;
    expect(config["platform:teams"].map((t: { name: string }) => t.name)).toEqual(["pr-123-payments", "pr-123-search"]);
    expect(config["platform:registryRobots"]).toHaveProperty("secure"); // still encrypted, with pr-123's key
    expect(upOutput).toMatch(/pr-123: \d+ Kubernetes objects rendered to rendered\/pr-123\//);
    expect(upOutput).toContain("payments -> pr-123-payments");
  });

  test("every namespaced object sits in a pr-123- namespace; cluster-scoped, only its own namespaces", () => {
    const objects = renderedObjects(dir, "pr-123");
    expect(objects.length).toBeGreaterThan(20);
    const outside = objects.filter((o) => o.namespace && !o.namespace.startsWith("pr-123-")).map(key);
    expect(outside).toEqual([]);
    const clusterScoped = objects
      .filter((o) => !o.namespace)
      .map(key)
      .sort();
    // Dev's own namespaces, prefixed; the CNI's, the log collector's and the log store's stay dev's.
    const devNamespaces = renderedObjects(dir, "dev").filter((o) => o.kind === "Namespace" && !["kube-flannel", "logging", "log-store"].includes(o.name));
    expect(devNamespaces.map((o) => o.name)).toEqual(expect.arrayContaining(["payments", "search", "jenkins", "jenkins-agents"]));
    expect(clusterScoped).toEqual(devNamespaces.map((o) => `Namespace -/pr-123-${o.name}`).sort());
    // No CNI, no log collector: those stay dev's on a shared cluster.
    expect(objects.filter((o) => o.kind === "DaemonSet")).toEqual([]);
  });

  test("no (kind, namespace, name) collides with dev's rendered set", () => {
    const dev = new Set(renderedObjects(dir, "dev").map(key));
    expect(dev.size).toBeGreaterThan(20);
    expect(
      renderedObjects(dir, "pr-123")
        .map(key)
        .filter((k) => dev.has(k)),
    ).toEqual([]);
  });

  test("dev's encrypted robot account reached the PR stack, under the PR's team name", () => {
    const secrets = renderedObjects(dir, "pr-123")
      .filter((o) => o.kind === "Secret")
      .map(key);
    expect(secrets).toEqual(expect.arrayContaining(["Secret pr-123-jenkins-agents/registry-push-pr-123-payments"]));
    const pull = renderedObjects(dir, "pr-123").filter(
      (o) => o.kind === "Secret" && o.namespace === "pr-123-payments" && o.obj.type === "kubernetes.io/dockerconfigjson",
    );
    expect(pull.length).toBe(1);
  });

  test("a second up regenerates the same stack: the preview shows no change", () => {
    ok(platform(dir, "pr-stack", "up", "--pr", "123"));
    const preview = json(ok(platform(dir, "preview", "--stack", "pr-123", "--json")));
    expect(preview.operations).toEqual([]);
  });

  test("destroy on a machine without the stack file: the stack, its state, file and rendered files are gone; dev is untouched", () => {
    const devBefore = exportState(dir, "dev").deployment.resources;
    fs.rmSync(stackFile); // a fresh CI runner has only the repository
    const result = platform(dir, "pr-stack", "destroy", "--pr", "123");
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(stacks()).toEqual(["dev"]);
    expect(fs.existsSync(stackFile)).toBe(false);
    expect(fs.existsSync(path.join(dir, "rendered", "pr-123"))).toBe(false);
    expect(exportState(dir, "dev").deployment.resources).toEqual(devBefore);
    // Again: nothing left to destroy, and that is not an error (a PR closed twice).
    const again = ok(platform(dir, "pr-stack", "destroy", "--pr", "123"));
    expect(again.stderr).toContain("pr-123 has no state: nothing to destroy");
  });

  test("bad input changes nothing: exit 2 and the usage", () => {
    const before = stacks();
    const result = platform(dir, "pr-stack", "up", "--pr", "12x");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('positive whole number like 123 (got "12x")');
    expect(stacks()).toEqual(before);
    expect(fs.existsSync(path.join(dir, "Pulumi.pr-12x.yaml"))).toBe(false);
  });
});
