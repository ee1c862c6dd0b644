// The platform's own Jenkins pipeline: the Jenkinsfile has the declarative structure we expect (read
// with a small block parser), calls only commands that exist, runs on the pod template the Jenkins
// component defines; and the JCasC seed job (Job DSL) renders from config.
import * as fs from "fs";
import * as path from "path";
import { SEED_JOB_DEFAULTS } from "../components/jenkins/seedJob";
import { parseArgs } from "../runner/args";
import { Block, child, isBlock, literal, parseBlocks, statements } from "./support/groovyBlocks";
import { find, loadStackConfig, problemsOf, Registered, ROOT, runProgram, withConfig } from "../testing/harness";

const text = fs.readFileSync(path.join(ROOT, "Jenkinsfile"), "utf8");
const pipeline = child(parseBlocks(text), "pipeline")!;
const stageList = (parent: Block): Block[] =>
  child(parent, "stages")
    ?.body.filter(isBlock)
    .filter((b) => b.name === "stage") ?? [];
const stage = (...names: string[]): Block =>
  names.reduce<Block>((parent, name) => {
    const found = stageList(parent).find((s) => literal(s.args) === name);
    if (!found) throw new Error(`no stage "${name}"`);
    return found;
  }, pipeline);
const casc = (rs: Registered[]) => JSON.parse(find(rs, "ConfigMap", "jenkins-casc", "jenkins").inputs.data["jenkins.yaml"]);
const dev = loadStackConfig("dev");
const robots = { registryRobots: JSON.stringify({ payments: { username: "robot$payments+ci", password: "pw" } }) };
const withSeed = (seedJob: unknown, edit: (j: any) => void = () => undefined, secrets = {}) =>
  withConfig(
    dev,
    (c) => {
      c.jenkins.seedJob = seedJob;
      edit(c.jenkins);
    },
    secrets,
  );

describe("the block parser", () => {
  test("reads blocks, statements and strings with braces in them", () => {
    const [b] = parseBlocks("a('x{') {\n  b 'y}' ; c { d }\n}\n") as Block[];
    expect(b).toMatchObject({ name: "a", args: "('x{')" });
    expect(statements(b)).toEqual(["b 'y}'", "d"]);
    expect(child(b, "c")).toBeDefined();
  });

  test.each([["a {"], ["a { } }"], ["a { 'open }"]])("refuses malformed input %j", (bad) => {
    expect(() => parseBlocks(bad)).toThrow();
  });
});

describe("Jenkinsfile: declarative structure", () => {
  test("a pipeline with these stages, unit tests before any preview or update", () => {
    expect(pipeline).toBeDefined();
    expect(stageList(pipeline).map((s) => literal(s.args))).toEqual(["Checks", "Up prod"]);
    expect(stageList(stage("Checks")).map((s) => literal(s.args))).toEqual(["Install", "Unit tests", "Preview dev and prod", "Up dev"]);
    expect(statements(stage("Checks", "Unit tests"))).toEqual(
      expect.arrayContaining(["sh 'npm run typecheck'", expect.stringMatching(/^sh 'npm run test:unit/)]),
    );
  });

  test("every stage with steps runs on the pod template the Jenkins component defines, in its node container", async () => {
    // No pipeline-wide agent: the approval of prod holds no pod.
    expect(pipeline.body.filter((n) => !isBlock(n)).map((n) => (n as { statement: string }).statement)).toEqual(["agent none"]);
    const agents = [stage("Checks"), stage("Up prod")].map((s) => child(s, "agent")!);
    for (const agent of agents) {
      expect(statements(child(agent, "kubernetes")!).sort()).toEqual([
        `defaultContainer '${SEED_JOB_DEFAULTS.container}'`,
        `inheritFrom '${SEED_JOB_DEFAULTS.podTemplate}'`,
      ]);
    }
    // What the component defines: a template of that name with that container (dev, seed job on).
    const templates = casc(await runProgram("dev", withSeed({ repo: "https://git.example.com/platform.git" }))).jenkins.clouds[0].kubernetes.templates;
    const template = templates.find((t: any) => t.name === SEED_JOB_DEFAULTS.podTemplate);
    expect(JSON.parse(template.yaml).spec.containers.map((c: any) => c.name)).toContain(SEED_JOB_DEFAULTS.container);
  });

  test("change requests preview dev and prod with the policy pack; main updates dev; a release tag updates prod after an input", () => {
    const preview = stage("Checks", "Preview dev and prod");
    expect(statements(child(preview, "when")!)).toEqual(["changeRequest()"]);
    expect(statements(preview)).toEqual(
      expect.arrayContaining([
        "withPulumi('npm run platform -- preview --stack dev --policy')",
        "withPulumi('npm run platform -- preview --stack prod --policy')",
      ]),
    );
    const upDev = stage("Checks", "Up dev");
    expect(statements(child(upDev, "when")!)).toEqual(["branch 'main'"]);
    expect(statements(upDev)).toContain("withPulumi('npm run platform -- up --stack dev --policy --yes')");
    const upProd = stage("Up prod");
    expect(statements(child(upProd, "when")!)).toEqual(["beforeInput true", expect.stringMatching(/^tag pattern: 'v.+', comparator: 'REGEXP'$/)]);
    expect(statements(child(upProd, "input")!)).toEqual(expect.arrayContaining([expect.stringMatching(/^message '/), expect.stringMatching(/^ok '/)]));
    expect(statements(child(upProd, "steps")!)).toContain("withPulumi('npm run platform -- up --stack prod --policy --yes')");
    // The input comes before the agent: no pod waits for the approval.
    const order = upProd.body.filter(isBlock).map((b) => b.name);
    expect(order.indexOf("input")).toBeLessThan(order.indexOf("agent"));
  });

  test("state secrets come from Jenkins credentials, in every stage that runs Pulumi", () => {
    for (const s of [stage("Checks"), stage("Up prod")]) {
      expect(statements(child(s, "environment")!)).toEqual([
        "PULUMI_CONFIG_PASSPHRASE = credentials('pulumi-config-passphrase')",
        "PULUMI_BACKEND_URL = credentials('pulumi-backend-url')",
      ]);
    }
  });

  test("every npm script it runs exists, and every runner command line is valid", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
    const calls = [...text.matchAll(/npm run ([\w:-]+)( -- ([^'"]*))?/g)];
    expect(calls.length).toBeGreaterThan(8);
    for (const [, script] of calls) expect(scripts).toContain(script);
    const platformCalls = calls.filter(([, script]) => script === "platform").map(([, , , args]) => args.trim().split(/\s+/));
    expect(platformCalls.length).toBe(4);
    for (const argv of platformCalls) expect(() => parseArgs(argv)).not.toThrow();
  });
});

describe("the seed job, from JCasC", () => {
  test("without jenkins.seedJob there is no job", async () => {
    expect(casc(await runProgram("dev")).jobs).toBeUndefined();
  });

  test("a git repository: a multibranch pipeline over branches and tags, building the repository's Jenkinsfile", async () => {
    const [job, ...rest] = casc(await runProgram("dev", withSeed({ repo: "https://git.example.com/acme/platform.git", credentialsId: "git-ci" }))).jobs;
    expect(rest).toEqual([]);
    const dsl = parseBlocks(job.script);
    const mb = child(dsl, "multibranchPipelineJob", /'k8s-devops-platform'/)!;
    const git = child(child(child(child(mb, "branchSources")!, "branchSource")!, "source")!, "git")!;
    expect(statements(git)).toEqual(
      expect.arrayContaining(["remote('https://git.example.com/acme/platform.git')", "credentialsId('git-ci')", "gitBranchDiscovery()", "gitTagDiscovery()"]),
    );
    expect(statements(child(child(mb, "branchSources")!, "branchSource")!)).toEqual(expect.arrayContaining(["buildRegularBranches()", "atMostDays('3')"]));
    expect(statements(mb)).toContain("scriptPath('Jenkinsfile')");
    expect(fs.existsSync(path.join(ROOT, "Jenkinsfile"))).toBe(true);
  });

  test("a GitHub repository: pull requests are discovered as change requests", async () => {
    const [job] = casc(await runProgram("dev", withSeed({ repo: "https://github.com/acme/k8s-platform" }))).jobs;
    const github = child(child(child(child(parseBlocks(job.script)[0] as Block, "branchSources")!, "branchSource")!, "source")!, "github")!;
    expect(statements(github)).toEqual(expect.arrayContaining(["repoOwner('acme')", "repository('k8s-platform')", "gitHubTagDiscovery()"]));
    expect(statements(child(child(github, "traits")!, "gitHubPullRequestDiscovery")!)).toEqual(["strategyId(1)"]);
    expect(statements(github).some((s) => s.startsWith("credentialsId"))).toBe(false);
  });

  test('team templates from robot accounts keep a "default" one beside them for the Jenkinsfile', async () => {
    const names = (rs: Registered[]) => casc(rs).jenkins.clouds[0].kubernetes.templates.map((t: any) => t.name);
    expect(
      names(
        await runProgram(
          "dev",
          withSeed({ repo: "git@git.example.com:acme/platform.git" }, () => undefined, robots),
        ),
      ),
    ).toEqual(["payments", "default"]);
    expect(
      names(
        await runProgram(
          "dev",
          withConfig(dev, () => undefined, robots),
        ),
      ),
    ).toEqual(["payments"]);
  });

  test("the plugins the job needs are in the pinned plugin list", () => {
    const plugins = fs
      .readFileSync(path.join(ROOT, "images/jenkins/plugins.txt"), "utf8")
      .split("\n")
      .map((l) => l.split(":")[0]);
    expect(plugins).toEqual(expect.arrayContaining(["job-dsl", "github-branch-source", "basic-branch-build-strategies", "workflow-aggregator", "kubernetes"]));
  });

  test.each<[string, unknown, (j: any) => void, RegExp]>([
    ["a repository that is not a git URL", { repo: "platform" }, () => undefined, /^platform:jenkins\.seedJob\.repo: expected a git repository URL/],
    ["quotes in the URL", { repo: "https://git.example.com/a'b.git" }, () => undefined, /^platform:jenkins\.seedJob\.repo: /],
    [
      "a bad credentials id",
      { repo: "https://git.example.com/p.git", credentialsId: "my creds" },
      () => undefined,
      /^platform:jenkins\.seedJob\.credentialsId: a credentials id is/,
    ],
    ["an unknown key", { repo: "https://git.example.com/p.git", branch: "main" }, () => undefined, /^platform:jenkins\.seedJob/],
    [
      'own templates without "default"',
      { repo: "https://git.example.com/p.git" },
      (j) => (j.podTemplates = [{ name: "java" }]),
      /^platform:jenkins\.seedJob: the Jenkinsfile runs on the pod template "default"/,
    ],
    [
      'a "default" template without node',
      { repo: "https://git.example.com/p.git" },
      (j) => (j.podTemplates = [{ name: "default", containers: [{ name: "maven", image: "maven:3.9.9" }] }]),
      /^platform:jenkins\.podTemplates\[0\]\.containers: the seed job's Jenkinsfile runs in a "node" container/,
    ],
  ])("refused: %s", (_what, seedJob, edit, message) => {
    expect(problemsOf(withSeed(seedJob, edit))).toEqual([expect.stringMatching(message)]);
  });
});
