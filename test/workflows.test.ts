// The GitHub Actions workflows: actionlint (built by `npm run toolchain`) finds nothing, and the
// rules this project holds them to: actions pinned by commit, least privilege, one update per stack.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { builtBinary } from "../toolchain";
import { ACTIONLINT } from "../toolchain/pieces";
import { ROOT } from "../testing/harness";

const WORKFLOWS = path.join(ROOT, ".github/workflows");
const files = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const load = (file: string) => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
const workflows = Object.fromEntries(files.map((f) => [f, load(f)]));

/** The built actionlint; a missing build fails the suite (it is never skipped). */
function actionlint(): string {
  const binary = builtBinary(ACTIONLINT);
  if (!binary) throw new Error(`actionlint ${ACTIONLINT.version} is not built: run \`npm run toolchain\` (or \`npm run toolchain -- --tools-only\`)`);
  return binary;
}

interface Finding {
  filepath: string;
  line: number;
  message: string;
  kind: string;
}

/** actionlint's findings for the given files, as JSON. shellcheck and pyflakes are off so the result never depends on what else is installed. */
function lint(cwd: string, paths: string[]): { status: number | null; findings: Finding[]; stderr: string } {
  const result = spawnSync(actionlint(), ["-format", "{{json .}}", "-shellcheck=", "-pyflakes=", ...paths], { cwd, encoding: "utf8", timeout: 60_000 });
  const findings = result.stdout.trim() ? (JSON.parse(result.stdout) as Finding[]) : [];
  return { status: result.status, findings, stderr: result.stderr };
}

describe("actionlint", () => {
  test("the workflows are the ones this project runs", () => {
    expect(files).toEqual(["deploy-dev.yml", "pull-request.yml", "release.yml", "unit-tests.yml"]);
  });

  test(`actionlint ${ACTIONLINT.version} reports nothing on any workflow`, () => {
    const { status, findings, stderr } = lint(
      ROOT,
      files.map((f) => path.join(".github/workflows", f)),
    );
    expect(findings.map((f) => `${f.filepath}:${f.line}: ${f.message} [${f.kind}]`)).toEqual([]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  test("it does find problems: a broken workflow fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    fs.writeFileSync(
      path.join(dir, "broken.yml"),
      [
        "on: push",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-24.04",
        "    steps:",
        "      - run: echo ${{ github.event.no_such_thing.x }}",
        "      - uses: actions/checkout@v4",
        "        with: { no-such-input: true }",
      ].join("\n"),
    );
    const { status, findings } = lint(dir, ["broken.yml"]);
    expect(status).toBe(1);
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe("project rules for workflows", () => {
  const jobs = Object.entries(workflows).flatMap(([file, wf]) => Object.entries<any>(wf.jobs).map(([id, job]) => ({ file, id, job })));
  const steps = jobs.flatMap(({ file, id, job }) => (job.steps ?? []).map((step: any) => ({ where: `${file} ${id}`, step })));

  test("every action is pinned by a full commit SHA, with the release named in a comment", () => {
    const uses = Object.keys(workflows).flatMap((file) =>
      fs
        .readFileSync(path.join(WORKFLOWS, file), "utf8")
        .split("\n")
        .filter((line) => /^\s*(-\s+)?uses:/.test(line) && !/uses:\s*\.\//.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(uses.length).toBeGreaterThan(10);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test("least privilege: nothing by default at the top, each job asks for what it needs", () => {
    for (const [file, wf] of Object.entries(workflows)) {
      if (file === "unit-tests.yml") expect(wf.permissions).toEqual({ contents: "read" });
      else expect({ file, permissions: wf.permissions }).toEqual({ file, permissions: {} });
    }
    for (const { file, id, job } of jobs.filter((j) => j.file !== "unit-tests.yml")) {
      const granted = Object.entries(job.permissions ?? {})
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope);
      // Only the preview writes: its PR comment.
      expect({ job: `${file} ${id}`, granted }).toEqual({ job: `${file} ${id}`, granted: id === "preview" ? ["pull-requests"] : [] });
    }
  });

  test("checkouts keep no credentials", () => {
    const checkouts = steps.filter(({ step }) => String(step.uses ?? "").startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const { where, step } of checkouts) expect({ where, persist: step.with?.["persist-credentials"] }).toEqual({ where, persist: false });
  });

  test("unit tests run before any preview or update", () => {
    for (const { file, id, job } of jobs.filter((j) => j.file !== "unit-tests.yml" && j.id !== "unit-tests" && j.id !== "pr-stack-destroy")) {
      expect({ job: `${file} ${id}`, needs: job.needs }).toEqual({ job: `${file} ${id}`, needs: "unit-tests" });
    }
  });

  test("updates of one stack never overlap, and are never cancelled; superseded previews are", () => {
    const changesAStack = (job: any) =>
      (job.steps ?? []).some(
        (s: any) => (String(s.uses).startsWith("pulumi/actions@") && ["up", "destroy"].includes(s.with?.command)) || /pr-stack (up|destroy)/.test(s.run ?? ""),
      );
    const updates = jobs.filter(({ job }) => changesAStack(job));
    expect(updates.map((u) => `${u.file} ${u.id}`).sort()).toEqual([
      "deploy-dev.yml up",
      "pull-request.yml pr-stack",
      "pull-request.yml pr-stack-destroy",
      "release.yml up",
    ]);
    for (const { job } of updates) expect(job.concurrency).toEqual({ group: expect.stringMatching(/^stack-/), "cancel-in-progress": false });
    expect(workflows["deploy-dev.yml"].jobs.up.concurrency.group).toBe("stack-dev");
    expect(workflows["release.yml"].jobs.up.concurrency.group).toBe("stack-prod");
    expect(workflows["pull-request.yml"].jobs.preview.concurrency["cancel-in-progress"]).toBe(true);
  });

  test("previews run the policy pack with the stack's own levels and comment on the PR", () => {
    const preview = workflows["pull-request.yml"].jobs.preview;
    expect(preview.strategy.matrix.stack).toEqual(["dev", "prod"]);
    const pulumi = preview.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@")).with;
    expect(pulumi).toMatchObject({
      command: "preview",
      policyPacks: "policy",
      policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
      "comment-on-pr": true,
    });
    // The pack runs from policy/bin, which `npm run build` writes.
    expect(preview.steps.map((s: any) => s.run).filter(Boolean)).toContain("npm run build");
  });

  test("prod is updated only from a release tag, behind the prod environment; dev from main", () => {
    expect(workflows["release.yml"].on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(workflows["release.yml"].jobs.up.environment).toBe("prod");
    expect(workflows["deploy-dev.yml"].on).toEqual({ push: { branches: ["main"] } });
    const stackOf = (file: string) => workflows[file].jobs.up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@")).with["stack-name"];
    expect([stackOf("deploy-dev.yml"), stackOf("release.yml")]).toEqual(["dev", "prod"]);
  });

  test("state secrets and the backend come from repository settings, never from the files", () => {
    for (const { file, id, job } of jobs.filter((j) => j.job.env?.PULUMI_CONFIG_PASSPHRASE)) {
      expect({ job: `${file} ${id}`, env: job.env }).toMatchObject({
        job: `${file} ${id}`,
        env: { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}" },
      });
    }
    expect(jobs.filter((j) => j.job.env?.PULUMI_CONFIG_PASSPHRASE).length).toBe(5);
  });

  test("every npm script a workflow runs exists", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
    const called = steps.flatMap(({ step }) => [...String(step.run ?? "").matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(called.length).toBeGreaterThan(0);
    for (const name of called) expect(scripts).toContain(name);
  });
});
