// The dev stack's life through the real engine: a blue-green flip by config and back, the live-color
// guard, config changes that must not touch stateful objects, bad config, and destroy.
import * as fs from "fs";
import * as path from "path";
import { exportState, json, newProject, ok, platform, pulumi, ROOT, runEdited, SKIP, withEdit } from "./support/project";

const describeE2E = SKIP ? describe.skip : describe;
const STATEFUL = /:(PersistentVolumeClaim|StatefulSet|Namespace|Secret)$/;
const DESTRUCTIVE = new Set(["replace", "create-replacement", "delete-replaced", "delete", "discard", "remove-pending-replace"]);

interface Op {
  urn: string;
  type: string;
  op: string;
  paths: string[];
}

const preview = (dir: string): { changes: Record<string, number>; operations: Op[] } => json(ok(platform(dir, "preview", "--stack", "dev", "--json")));
const kubernetesOps = (ops: Op[]) => ops.filter((o) => o.type.startsWith("kubernetes:"));
const nameOf = (urn: string) => urn.split("::").pop()!;

/** The project's Jenkins plugin list plus one plugin, as a file in the project copy. */
function morePlugins(dir: string): string {
  const file = path.join(dir, "plugins.txt");
  fs.writeFileSync(file, `${fs.readFileSync(path.join(ROOT, "images/jenkins/plugins.txt"), "utf8")}\nprometheus:819.v50953a_c560dd\n`);
  return file;
}

describeE2E("dev stack lifecycle", () => {
  const dir = newProject("lifecycle");
  const setColor = (color: string) => ok(pulumi(dir, "config", "set", "--path", "platform:apps[0].activeColor", color, "--stack", "dev"));

  beforeAll(() => {
    ok(platform(dir, "up", "--stack", "dev", "--yes"));
  });

  test("a no-change preview changes nothing", () => {
    const { operations } = preview(dir);
    expect(operations).toEqual([]);
  });

  test.each([["green"], ["blue"]])("flip to %s: only the live and preview Services' selectors change", (color) => {
    setColor(color);
    const { operations } = preview(dir);
    const k8sOps = kubernetesOps(operations);
    expect(k8sOps.map((o) => `${o.op} ${nameOf(o.urn)}`).sort()).toEqual(["update payments-web", "update payments-web-preview"]);
    for (const op of k8sOps) {
      expect(op.type).toBe("kubernetes:core/v1:Service");
      expect(op.paths.length).toBeGreaterThan(0);
      for (const p of op.paths) expect(p).toMatch(/^spec\.selector/);
    }
    // Besides the two Services only the guard's record of the live release (and its provider) may change.
    for (const op of operations.filter((o) => !k8sOps.includes(o))) {
      expect(`${op.op} ${op.type}`).toMatch(/^update (pulumi-nodejs:dynamic\/platform:LiveReleaseGuard|pulumi:providers:pulumi-nodejs)$/);
    }
    const up = json(ok(platform(dir, "up", "--stack", "dev", "--yes", "--json")));
    expect(
      kubernetesOps(up.operations)
        .map((o: Op) => nameOf(o.urn))
        .sort(),
    ).toEqual(["payments-web", "payments-web-preview"]);
    expect(preview(dir).operations).toEqual([]);
  });

  test("a change of the live color's image is refused at preview, with nothing changed", () => {
    const newLiveImage = (c: Record<string, any>) => (c["platform:apps"][0].images.blue = "harbor.dev.example.com/payments/web:9.9.9");
    const { result, before, after } = runEdited(dir, "dev", newLiveImage, "preview", "--stack", "dev");
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/live color/i);
    expect(after).toEqual(before);
  });

  test.each<[string, (c: Record<string, any>) => void]>([
    ["the idle color's image", (c) => (c["platform:apps"][0].images.green = "harbor.dev.example.com/payments/web:1.6.0")],
    ["a team quota", (c) => (c["platform:teams"][0].quota.cpu = "6")],
    ["the Jenkins plugin list", (c) => (c["platform:jenkins"].pluginsFile = morePlugins(dir))],
    ["a Harbor volume size", (c) => (c["platform:harbor"].persistence.registry = "20Gi")],
    ["a new team", (c) => c["platform:teams"].push({ name: "billing", quota: { cpu: "1", memory: "1Gi", pods: 5, services: 2, persistentVolumeClaims: 1 } })],
  ])("changing %s replaces or deletes no volume, StatefulSet, namespace or Secret", (_what, edit) => {
    const { operations } = withEdit(dir, "dev", edit, () => preview(dir));
    expect(operations.length).toBeGreaterThan(0); // the change is seen
    const lost = operations.filter((o) => DESTRUCTIVE.has(o.op) && STATEFUL.test(o.type));
    expect(lost).toEqual([]);
  });

  test("bad config: one message from the config module, and the state is unchanged", () => {
    const breakConfig = (c: Record<string, any>) => {
      c["platform:teams"][1].name = "Bad_Name";
      c["platform:apps"][0].activeColor = "purple";
    };
    const { result, before, after } = runEdited(dir, "dev", breakConfig, "preview", "--stack", "dev");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/platform:teams\[1\]\.name/);
    expect(result.stderr).toMatch(/platform:apps\[0\]\.activeColor/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(after).toEqual(before);
  });

  test("destroy empties the stack", () => {
    ok(platform(dir, "destroy", "--stack", "dev", "--yes"));
    const resources = exportState(dir, "dev").deployment.resources ?? [];
    expect(resources).toEqual([]);
  });
});
