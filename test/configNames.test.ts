// Names derived from config fit the API server's limits: config validation refuses a team or app
// name whose derived names would not, and the program run at the limits registers only names and
// labels the API server accepts (checked here with Kubernetes' own rules, independently of components/rules/names.ts).
import { longestAppName } from "../components/rules/names";
import { kubernetesObjects, loadStackConfig, problemsOf, runProgram, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kubernetes' rule for an object name of this kind (and what its controllers derive from it). */
function nameRefused(kind: string, name: string): boolean {
  const label = (max: number) => !(name.length <= max && DNS_LABEL.test(name));
  switch (kind) {
    case "Namespace":
      return label(63);
    case "Service":
      return label(63) || !/^[a-z]/.test(name); // DNS-1035
    case "StatefulSet":
      return label(52); // pods carry controller-revision-hash: <name>-<hash>
    case "Job":
      return label(63); // pods carry batch.kubernetes.io/job-name: <name>
    case "CronJob":
      return label(52); // its Jobs are <name>-<timestamp>
    default:
      return !(name.length <= 253 && name.split(".").every((p) => DNS_LABEL.test(p)));
  }
}

const a = (n: number) => "a".repeat(n);
const LONGEST = { team: 63, blueGreen: 55, blueGreenSmoke: 46, autoscaled: 63, stateful: 52 };

/** The dev config with a team and one app of each kind named as long as `extra` + the limit. */
function atLimits(extra = 0) {
  return withConfig(dev, (c) => {
    c.teams[0].name = a(LONGEST.team);
    for (const app of c.apps) app.team = c.teams[0].name;
    c.apps[0].name = a(LONGEST.blueGreenSmoke + extra);
    c.apps[0].smokeTest = { path: "/healthz" };
    c.apps[0].trafficSplit = { green: 10 };
    c.apps[0].route = { gateway: { name: "public", namespace: "ingress" } };
    c.apps[1].name = "b".repeat(LONGEST.autoscaled);
    c.apps[2].name = "c".repeat(LONGEST.stateful + extra);
    // Admin processes of the autoscaled app, at their own limit (52: jobs.test.ts refuses 53).
    const api = `${c.teams[0].name}/${c.apps[1].name}`;
    c.jobs = [
      { name: "j".repeat(52), app: api, command: ["x"] },
      { name: "k".repeat(52), app: api, command: ["x"], schedule: "@daily" },
    ];
  });
}

test("the longest names that fit, per kind", () => {
  expect(longestAppName("blueGreen")).toBe(LONGEST.blueGreen);
  expect(longestAppName("blueGreen", true)).toBe(LONGEST.blueGreenSmoke);
  expect(longestAppName("autoscaled")).toBe(LONGEST.autoscaled);
  expect(longestAppName("stateful")).toBe(LONGEST.stateful);
});

test("at the limits, config is valid and every registered name and label value is one the API server accepts", async () => {
  const cfg = atLimits();
  expect(problemsOf(cfg)).toEqual([]);
  const objects = kubernetesObjects(await runProgram("dev", cfg));
  const refused: string[] = [];
  for (const o of objects) {
    const { kind, metadata, spec } = o.inputs;
    if (nameRefused(kind, metadata.name)) refused.push(`${kind} ${metadata.name}`);
    const labelSets = [metadata.labels, spec?.template?.metadata?.labels, spec?.jobTemplate?.spec?.template?.metadata?.labels];
    for (const labels of labelSets) {
      for (const [k, v] of Object.entries<string>(labels ?? {})) {
        if (!(v.length <= 63 && LABEL_VALUE.test(v))) refused.push(`${kind} ${metadata.name} label ${k}=${v}`);
      }
    }
  }
  expect(refused).toEqual([]);
  // The names at the limit really were derived (the test would prove nothing otherwise).
  const names = objects.map((o) => `${o.inputs.kind} ${o.inputs.metadata.name}`);
  expect(names).toEqual(
    expect.arrayContaining([
      `Service ${a(46)}-preview`,
      `Service ${a(46)}-green`,
      expect.stringMatching(new RegExp(`^Job ${a(46)}-smoke-[0-9a-f]{10}$`)),
      `StatefulSet ${"c".repeat(52)}`,
      `Service ${"c".repeat(52)}-headless`,
      `Service ${"b".repeat(63)}`,
      `Namespace ${a(63)}`,
    ]),
  );
});

test("one character longer, each app name is refused, naming the key and the derived name", () => {
  const problems = problemsOf(atLimits(1));
  expect(problems).toEqual([
    expect.stringMatching(
      new RegExp(
        `^platform:apps\\[0\\]\\.name: "${a(47)}" derives names the API server would refuse: Job "${a(47)}-smoke-\\d+" \\(64 characters\\) must be a Job name .* of at most 63 characters; at most 46 characters fit a blueGreen app with a smoke test$`,
      ),
    ),
    `platform:apps[2].name: "${"c".repeat(53)}" derives names the API server would refuse: StatefulSet "${"c".repeat(53)}" (53 characters) must be a StatefulSet name (its pods' controller-revision-hash label adds 11 characters) of at most 52 characters; at most 52 characters fit a stateful app`,
  ]);
});

test.each([
  [
    "the issue's 58-character blue-green app",
    (c: any) => (c.apps[0].name = a(58)),
    [
      `Service "${a(58)}-preview" (66 characters)`,
      `label app.kubernetes.io/instance "${a(58)}-green" (64 characters)`,
      "at most 55 characters fit a blueGreen app",
    ],
  ],
  ["a blue-green app one past its limit", (c: any) => (c.apps[0].name = a(56)), [`Service "${a(56)}-preview" (64 characters) must be a DNS-1035 label`]],
  [
    "an app name starting with a digit (Services are DNS-1035 labels)",
    (c: any) => (c.apps[1].name = "2fa"),
    ['platform:apps[1].name: "2fa" derives names the API server would refuse: Service "2fa" (3 characters) must be a DNS-1035 label (starting with a letter)'],
  ],
  ["a team name one past the namespace limit", (c: any) => (c.teams[1].name = a(64)), ["platform:teams[1].name: expected a DNS-1123 label"]],
])("%s is refused", (_what, edit, fragments) => {
  const problems = problemsOf(withConfig(dev, edit));
  for (const f of fragments) expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(f)]));
});

test("an image tag that cannot be a version label is refused; the same length by digest is fine", () => {
  const tag = "1.0.0-" + "x".repeat(60);
  const problems = problemsOf(withConfig(dev, (c) => (c.apps[1].image = `harbor.dev.example.com/search/api:${tag}`)));
  expect(problems).toEqual([
    `platform:apps[1].image: the tag "${tag}" (66 characters) would become the label app.kubernetes.io/version, which must be at most 63 characters and start and end with a letter or digit; use a shorter tag or pin by digest`,
  ]);
  expect(problemsOf(withConfig(dev, (c) => (c.apps[1].image = `harbor.dev.example.com/search/api:${tag.slice(0, 63)}`)))).toEqual([]);
  expect(problemsOf(withConfig(dev, (c) => (c.apps[1].image = `harbor.dev.example.com/search/api@sha256:${"a".repeat(64)}`)))).toEqual([]);
});
