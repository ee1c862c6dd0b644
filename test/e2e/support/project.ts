// End-to-end tests drive the user-facing commands (`npm run platform`, `npm run pulumi`) on a copy
// of the project's stack files in a temporary folder, so they never touch the repo's own state.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";

export const ROOT = path.resolve(__dirname, "../../..");
const FIXTURE_CHARTS = path.join(ROOT, "test/e2e/fixtures/charts");

/** Set to 1 to skip the end-to-end suites on a machine without the toolchain; CI never sets it. */
export const SKIP = process.env.PLATFORM_E2E_SKIP === "1";

export interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

/** A folder with Pulumi.yaml and every stack file, charts pointed at the local fixtures (no network here). */
export function newProject(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-e2e-${label}-`));
  for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  // Files the stacks name by project-relative path (the Jenkins plugin list and image context).
  fs.symlinkSync(path.join(ROOT, "images"), path.join(dir, "images"));
  for (const stack of ["dev", "prod"]) editStack(dir, stack, useFixtureCharts);
  return dir;
}

/** Points a stack config's charts at the local fixtures; dev's own Harbor and Prometheus stack (off offline) are turned on so both stacks run the chart path. */
export function useFixtureCharts(config: Record<string, any>): void {
  const harbor = config["platform:harbor"];
  if (harbor) Object.assign(harbor, { enabled: true, chart: { path: path.join(FIXTURE_CHARTS, "harbor") } });
  const calico = config["platform:cluster"]?.calico;
  if (calico) calico.chart = { path: path.join(FIXTURE_CHARTS, "tigera-operator") };
  // Dev leaves the Prometheus Operator off (no chart repository offline); here it installs the fixture.
  const prometheusStack = config["platform:monitoring"]?.prometheusStack;
  if (prometheusStack) Object.assign(prometheusStack, { install: true, chart: { path: path.join(FIXTURE_CHARTS, "kube-prometheus-stack") } });
  const controlPlane = config["platform:mesh"]?.istio?.controlPlane;
  if (controlPlane) Object.assign(controlPlane, istioFixtureCharts());
}

/** The Istio control plane's charts from the local fixtures. */
export function istioFixtureCharts(): Record<"base" | "istiod" | "cni", { path: string }> {
  const at = (dir: string) => ({ path: path.join(FIXTURE_CHARTS, dir) });
  return { base: at("istio-base"), istiod: at("istiod"), cni: at("istio-cni") };
}

/** Edits a stack file's `config:` map in place (for setup; tests of user flows use `config set`). */
export function editStack(dir: string, stack: string, edit: (config: Record<string, any>) => void): void {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const doc = YAML.parse(fs.readFileSync(file, "utf8"));
  edit(doc.config);
  fs.writeFileSync(file, YAML.stringify(doc));
}

/** Copies one stack file to another name (e.g. a prod variant), returning the new stack name. */
export function copyStack(dir: string, from: string, to: string): string {
  fs.copyFileSync(path.join(dir, `Pulumi.${from}.yaml`), path.join(dir, `Pulumi.${to}.yaml`));
  return to;
}

function node(script: string, dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Result {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, PLATFORM_WORK_DIR: dir, PLATFORM_TOOLCHAIN_NO_BUILD: "1", ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `npm run platform -- <args>` against the project copy in `dir`. */
export function platform(dir: string, ...args: string[]): Result {
  return node("runner/main.js", dir, args);
}

/** `npm run pulumi -- <args>` against the project copy in `dir`. */
export function pulumi(dir: string, ...args: string[]): Result {
  return node("runner/pulumi.js", dir, args);
}

/** Like `platform`, but fails the test with the command's output when it did not succeed. */
export function ok(result: Result): Result {
  if (result.status !== 0) throw new Error(`command failed (${result.status})\n${result.stderr}\n${result.stdout.slice(-4000)}`);
  return result;
}

/** The JSON a `--json` run printed. */
export function json(result: Result): any {
  const text = result.stdout.trim();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (status ${result.status}):\n${text.slice(0, 2000)}\n${result.stderr}`);
  }
}

export interface RenderedObject {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  obj: Record<string, any>;
  file: string;
}

/** Every manifest render mode wrote for `stack`, parsed. */
export function renderedObjects(dir: string, stack: string): RenderedObject[] {
  const root = path.join(dir, "rendered", stack);
  const files: string[] = [];
  const walk = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".yaml") && files.push(path.join(d, e.name))));
  walk(root);
  return files.flatMap((file) =>
    YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
      .map((doc) => doc.toJS())
      .filter((obj) => obj && obj.kind)
      .map((obj) => ({
        kind: obj.kind,
        apiVersion: obj.apiVersion,
        namespace: obj.metadata?.namespace ?? "",
        name: obj.metadata?.name,
        obj,
        file,
      })),
  );
}

/** The stack's state as `stack export` prints it. */
export function exportState(dir: string, stack: string): any {
  return JSON.parse(ok(pulumi(dir, "stack", "export", "--stack", stack)).stdout);
}

/** Resource URNs by type in the stack's state. */
export function stateResources(dir: string, stack: string): { urn: string; type: string }[] {
  return (exportState(dir, stack).deployment.resources ?? []).map((r: any) => ({ urn: r.urn, type: r.type }));
}

/** Runs `fn` with a stack file edited, then puts the file back as it was. */
export function withEdit<T>(dir: string, stack: string, edit: (config: Record<string, any>) => void, fn: () => T): T {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const original = fs.readFileSync(file, "utf8");
  editStack(dir, stack, edit);
  try {
    return fn();
  } finally {
    fs.writeFileSync(file, original);
  }
}

/** `platform <args>` with the stack file edited (then put back), and the stack's resources before and after it. */
export function runEdited(
  dir: string,
  stack: string,
  edit: (config: Record<string, any>) => void,
  ...args: string[]
): { result: Result; before: any[]; after: any[] } {
  const before = exportState(dir, stack).deployment.resources;
  const result = withEdit(dir, stack, edit, () => platform(dir, ...args));
  return { result, before, after: exportState(dir, stack).deployment.resources };
}
