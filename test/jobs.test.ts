// Admin processes (Twelve-Factor XII) from config: one-off Jobs and CronJobs from an app's own release
// and settings, waiting for the app; a new release a new Job (never a patch of an immutable one); bad
// config naming the key. The component from typed args (naming, limits, the policy pack's rules on
// them): test/adminProcessComponent.test.ts.
import { changes } from "./support/diff";
import { find, loadStackConfig, ofKind, problemsOf, Registered, runProgram, StackConfig, withConfig } from "../testing/harness";
import { expectPurgeSessionsCron, RESTRICTED_CONTAINER } from "./support/componentArgs";
import { schemaProblems } from "./support/schema";

const dev = loadStackConfig("dev");
const API_IMAGE = "harbor.dev.example.com/search/api:2.3.1";
const jobs = (rs: Registered[]) =>
  [...ofKind(rs, "Job"), ...ofKind(rs, "CronJob")].filter((j) => j.inputs.metadata.labels["app.kubernetes.io/component"] === "admin-process");
const oneOff = (rs: Registered[], name: string) => ofKind(rs, "Job").find((j) => j.inputs.metadata.name.startsWith(`${name}-`))!;
const setJobs = (edit: (jobs: any[], c: Record<string, any>) => void, base: StackConfig = dev) => withConfig(base, (c) => edit(c.jobs, c));

describe("dev's admin processes", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await runProgram("dev");
  });

  test("a one-off Job named after what it runs, with the app's image, env references and ServiceAccount", () => {
    const job = oneOff(rs, "migrate").inputs;
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.metadata.namespace).toBe("search");
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 600, backoffLimit: 1 });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined(); // kept as the record that it ran
    const pod = job.spec.template.spec;
    const api = find(rs, "Deployment", "api", "search").inputs.spec.template.spec;
    expect(pod).toMatchObject({ restartPolicy: "Never", serviceAccountName: api.serviceAccountName, automountServiceAccountToken: false });
    expect(pod.securityContext).toEqual(api.securityContext);
    const [container] = pod.containers;
    expect(container).toMatchObject({
      image: API_IMAGE,
      command: ["/app/api", "migrate"],
      args: [],
      envFrom: api.containers[0].envFrom,
      resources: api.containers[0].resources,
    });
    expect(container.securityContext).toEqual(api.containers[0].securityContext);
    expect(container.securityContext).toMatchObject(RESTRICTED_CONTAINER);
    expect(job.spec.template.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "api",
      "app.kubernetes.io/version": "2.3.1",
      "app.kubernetes.io/part-of": "search",
    });
    expect(job.spec.template.metadata.annotations).toBeUndefined(); // no mesh in dev
  });

  test("a CronJob with its schedule, concurrency, history limits and deadlines", () => {
    const cron = find(rs, "CronJob", "purge-sessions", "search").inputs.spec;
    expectPurgeSessionsCron(cron, API_IMAGE);
  });

  test("both wait for their app and pass the strict schema check", () => {
    const app = rs.find((r) => r.type === "platform:workloads:AutoscaledService" && r.name === "search-api")!;
    for (const j of jobs(rs)) {
      expect(schemaProblems(j.inputs)).toEqual([]);
      const component = rs.find((r) => r.urn === j.parent)!;
      expect(component.type).toBe("platform:workloads:AdminProcess");
      expect(component.dependsOn).toEqual(expect.arrayContaining(rs.filter((r) => r.parent === app.urn).map((r) => r.urn)));
    }
    expect(jobs(rs)).toHaveLength(2);
  });
});

test("no app's Service or budget selects an admin process's pods, even a job named like its app", async () => {
  const rs = await runProgram(
    "dev",
    setJobs((js) => js.push({ name: "api", app: "search/api", command: ["/app/api", "check"] })),
  );
  const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  const selectors = [
    ...ofKind(rs, "Service").map((s) => s.inputs.spec.selector),
    ...ofKind(rs, "PodDisruptionBudget").map((p) => p.inputs.spec.selector.matchLabels),
  ];
  const pods = jobs(rs).map((j) => (j.inputs.kind === "Job" ? j.inputs.spec : j.inputs.spec.jobTemplate.spec).template.metadata.labels);
  expect(pods).toHaveLength(3);
  for (const labels of pods) expect(selectors.filter((s) => s && selects(s, labels))).toEqual([]);
  expect(pods.map((l) => l["app.kubernetes.io/instance"]).sort()).toEqual(["api.job", "migrate.job", "purge-sessions.job"]);
});

describe("a new release is a new Job; nothing patches a Job in place", () => {
  const jobChanges = async (after: StackConfig) =>
    Object.fromEntries(Object.entries(changes(await runProgram("dev"), await runProgram("dev", after))).filter(([id]) => /batch\/v1:(Job|CronJob)::/.test(id)));

  test("a new image of the app: the one-off Job is replaced by a new one under a new name; the CronJob is updated", async () => {
    const diff = await jobChanges(withConfig(dev, (c) => (c.apps[1].image = "harbor.dev.example.com/search/api:2.4.0")));
    const oneOffs = Object.entries(diff).filter(([id]) => id.includes("batch/v1:Job::"));
    expect(oneOffs.map(([, what]) => what).sort()).toEqual([["created"], ["deleted"]]);
    expect(diff["kubernetes:batch/v1:CronJob::search-purge-sessions"]).toEqual(
      expect.arrayContaining(["spec.jobTemplate.spec.template.spec.containers.0.image"]),
    );
  });

  test("a changed command in config is a new Job too; an unrelated change leaves it alone", async () => {
    const diff = await jobChanges(setJobs((js) => (js[0].command = ["/app/api", "migrate", "--dry-run"])));
    expect(Object.values(diff).sort()).toEqual([["created"], ["deleted"]]);
    expect(await jobChanges(withConfig(dev, (c) => (c.teams[0].quota.pods = 31)))).toEqual({});
  });

  test("a blue-green app's job runs the live color's release unless a color is named", async () => {
    const web = (extra: Record<string, unknown> = {}, edit: (c: any) => void = () => undefined) =>
      setJobs((js, c) => {
        js.push({ name: "warm-cache", app: "payments/web", command: ["/app/web", "warm"], ...extra });
        edit(c);
      });
    const image = async (cfg: StackConfig) => oneOff(await runProgram("dev", cfg), "warm-cache").inputs.spec.template.spec.containers[0];
    expect(await image(web())).toMatchObject({ image: "harbor.dev.example.com/payments/web:1.4.0", envFrom: [{ configMapRef: { name: "web-config" } }] });
    expect((await image(web({}, (c) => (c.apps[0].activeColor = "green")))).image).toBe("harbor.dev.example.com/payments/web:1.5.0");
    expect(await image(web({ color: "green" }))).toMatchObject({ image: "harbor.dev.example.com/payments/web:1.5.0" });
  });
});

describe("bad jobs config names the key", () => {
  const job = (extra: Record<string, unknown>) => setJobs((js) => js.push({ name: "task", app: "search/api", command: ["/app/api", "task"], ...extra }));
  test.each<[string, StackConfig, string | RegExp]>([
    ["an unknown app", job({ app: "search/apii" }), 'platform:jobs[2].app: no app "search/apii" is configured (apps: payments/web, search/api, search/db)'],
    ["an app not written <team>/<app>", job({ app: "api" }), 'platform:jobs[2].app: expected "<team>/<app>" like "payments/web", got "api"'],
    [
      "a stateful app",
      job({ app: "search/db" }),
      'platform:jobs[2].app: "search/db" is a stateful app; admin processes run the image of a blueGreen or autoscaled app',
    ],
    ["a color on an autoscaled app", job({ color: "green" }), 'platform:jobs[2].color: only applies to blueGreen apps; "search/api" is autoscaled'],
    [
      "a color without an image",
      setJobs((js, c) => {
        delete c.apps[0].images.green;
        js.push({ name: "t", app: "payments/web", command: ["x"], color: "green" });
      }),
      'platform:jobs[2].color: "payments/web" has no green image (apps[].images.green)',
    ],
    ["no command", job({ command: [] }), 'platform:jobs[2].command: give the command to run, e.g. ["./manage", "migrate"]'],
    [
      "six cron fields",
      job({ schedule: "0 30 2 * * *" }),
      'platform:jobs[2].schedule: expected 5 fields (minute hour day-of-month month day-of-week), like "30 2 * * *", got 6',
    ],
    ["an hour out of range", job({ schedule: "0 24 * * *" }), 'platform:jobs[2].schedule: hour "24" is not 0-23'],
    [
      "a weekday name that is not one",
      job({ schedule: "0 2 * * mon-fry" }),
      'platform:jobs[2].schedule: day of week "mon-fry" is not 0-6 or a name (sun, mon, ...)',
    ],
    ["a backwards range", job({ schedule: "0 5-2 * * *" }), 'platform:jobs[2].schedule: hour "5-2": the range runs backwards'],
    ["a bad step", job({ schedule: "*/0 * * * *" }), 'platform:jobs[2].schedule: minute "*/0": a step is a whole number after one "/"'],
    [
      "a time zone inside the schedule",
      job({ schedule: "TZ=UTC 0 2 * * *" }),
      "platform:jobs[2].schedule: put the time zone in timeZone, not in the schedule (the API server refuses TZ= here)",
    ],
    ["an unknown macro", job({ schedule: "@fortnightly" }), /^platform:jobs\[2\]\.schedule: "@fortnightly" is not a schedule macro/],
    [
      "a cron setting on a one-off Job",
      job({ concurrencyPolicy: "Forbid" }),
      "platform:jobs[2].concurrencyPolicy: only applies to a scheduled job: set schedule, or remove it",
    ],
    [
      "a bad concurrency policy",
      job({ schedule: "@daily", concurrencyPolicy: "Never" }),
      'platform:jobs[2].concurrencyPolicy: expected one of "Allow" | "Forbid" | "Replace", got "Never"',
    ],
    [
      "a zero deadline",
      job({ activeDeadlineSeconds: 0 }),
      "platform:jobs[2].activeDeadlineSeconds: expected a whole number of seconds, 1 or more, got number 0",
    ],
    ["a negative backoff limit", job({ backoffLimit: -1 }), "platform:jobs[2].backoffLimit: expected zero or more, got number -1"],
    ["a duplicate name in the team", job({ name: "migrate" }), 'platform:jobs[2].name: "migrate" is already used by jobs[0] in team "search"'],
    [
      "a one-off Job name too long for its hash",
      job({ name: "a".repeat(53) }),
      /^platform:jobs\[2\]\.name: "a{53}" derives a name the API server would refuse: Job "a{53}-0123456789" \(64 characters\)/,
    ],
    [
      "a CronJob name over 52",
      job({ name: "c".repeat(53), schedule: "@daily" }),
      /^platform:jobs\[2\]\.name: .*CronJob "c{53}" \(53 characters\) must be at most 52 characters/,
    ],
    ["a misspelt key", job({ shedule: "@daily" }), "platform:jobs[2].shedule: unknown key (check the spelling)"],
  ])("%s", (_what, cfg, expected) => {
    const problems = problemsOf(cfg);
    if (typeof expected === "string") expect(problems).toContain(expected);
    else expect(problems).toContainEqual(expect.stringMatching(expected));
  });

  test("names at the limit fit: 52 characters for both kinds", () => {
    expect(problemsOf(job({ name: "a".repeat(52) }))).toEqual([]);
    expect(problemsOf(job({ name: "c".repeat(52), schedule: "*/15 9-17 * jan-jun mon-fri" }))).toEqual([]);
  });

  test("nothing is registered on bad jobs config", async () => {
    const registered: Registered[] = [];
    await expect(runProgram("dev", job({ app: "search/apii" }), registered)).rejects.toThrow(/platform:jobs\[2\]\.app/);
    expect(registered.filter((r) => r.custom)).toEqual([]);
  });
});
