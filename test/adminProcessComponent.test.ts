// AdminProcess built from typed args alone: a one-off Job named after what it runs, a CronJob with
// its schedule and limits, the restricted context, the policy pack's rules on them. Which release
// and app settings the stack hands it is in test/jobs.test.ts.
import { AdminProcess, AdminProcessArgs } from "../components/adminProcess";
import { runComponents } from "../testing/components";
import { find, ofKind, Registered } from "../testing/harness";
import { adminProcessArgs, expectPurgeSessionsCron, RESTRICTED_CONTAINER } from "./support/componentArgs";
import { analyze, format, fromProgram } from "./support/policy";
import { schemaProblems } from "./support/schema";

const API_IMAGE = "harbor.dev.example.com/search/api:2.3.1";
const purge: Partial<AdminProcessArgs> = {
  name: "purge-sessions",
  schedule: "30 2 * * *",
  timeZone: "Europe/Berlin",
  command: ["/app/api", "purge-sessions", "--older-than=720h"],
  concurrencyPolicy: "Forbid",
  startingDeadlineSeconds: 300,
  ttlSecondsAfterFinished: 86400,
  activeDeadlineSeconds: undefined,
  backoffLimit: undefined,
};
const build = (...each: Partial<AdminProcessArgs>[]) =>
  runComponents(() => each.forEach((over, i) => new AdminProcess(`search-${over.name ?? i}`, adminProcessArgs(over))));
const oneOff = (rs: Registered[]) => ofKind(rs, "Job")[0];
const jobName = async (over: Partial<AdminProcessArgs>) => oneOff(await build(over)).inputs.metadata.name;

describe("a one-off Job", () => {
  test("named after what it runs, with the given image, env references and ServiceAccount, restricted", async () => {
    const job = oneOff(await build({})).inputs;
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.metadata.namespace).toBe("search");
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 600, backoffLimit: 1 });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined(); // kept as the record that it ran
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ restartPolicy: "Never", serviceAccountName: "search-workload", automountServiceAccountToken: false });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    expect(container).toMatchObject({
      image: API_IMAGE,
      command: ["/app/api", "migrate"],
      args: [],
      envFrom: [{ configMapRef: { name: "api-config" } }, { secretRef: { name: "db-credentials" } }],
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    });
    expect(container.securityContext).toMatchObject(RESTRICTED_CONTAINER);
    expect(job.spec.template.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "api",
      "app.kubernetes.io/instance": "migrate.job",
      "app.kubernetes.io/version": "2.3.1",
      "app.kubernetes.io/part-of": "search",
    });
    expect(job.spec.template.metadata.annotations).toBeUndefined();
  });

  test("in the mesh its pods get a native sidecar, so they end when their command does", async () => {
    expect(oneOff(await build({ meshSidecar: true })).inputs.spec.template.metadata.annotations).toEqual({ "sidecar.istio.io/nativeSidecar": "true" });
  });

  test("a new image, command or deadline is a new Job under a new name; the same args, the same name", async () => {
    const base = await jobName({});
    expect(await jobName({})).toBe(base);
    for (const change of [
      { image: "harbor.dev.example.com/search/api:2.4.0" },
      { command: ["/app/api", "migrate", "--dry-run"] },
      { activeDeadlineSeconds: 900 },
    ]) {
      expect(await jobName(change)).not.toBe(base);
    }
  });
});

describe("a CronJob", () => {
  test("its schedule, concurrency, history limits and deadlines; the name stays across releases", async () => {
    const rs = await build(purge);
    const cron = find(rs, "CronJob", "purge-sessions", "search").inputs.spec;
    expectPurgeSessionsCron(cron, API_IMAGE);
    expect(ofKind(await build({ ...purge, image: "harbor.dev.example.com/search/api:2.4.0" }), "CronJob")[0].inputs.metadata.name).toBe("purge-sessions");
  });
});

describe("the policy pack", () => {
  test("its rules on jobs, security and release labels pass on them as mandatory, and catch a tampered copy", async () => {
    const rules = [
      "no-naked-pods",
      "migrations-as-jobs",
      "jobs-bounded",
      "release-labels",
      "resource-requests",
      "run-as-non-root",
      "drop-all-capabilities",
      "no-privilege-escalation",
      "read-only-root-filesystem",
      "seccomp-profile-restricted",
      "memory-limits",
      "secret-env-from-secret-ref",
      "no-default-namespace",
    ];
    const config = Object.fromEntries([["all", "disabled"], ...rules.map((r) => [r, "mandatory"])]);
    const rs = await build({}, purge);
    const admin = [...ofKind(rs, "Job"), ...ofKind(rs, "CronJob")];
    expect(admin).toHaveLength(2);
    for (const j of admin) expect(schemaProblems(j.inputs)).toEqual([]);
    expect((await analyze(fromProgram(admin), config)).map(format)).toEqual([]);
    const tampered: Registered = JSON.parse(JSON.stringify(oneOff(rs)));
    delete tampered.inputs.spec.backoffLimit;
    delete tampered.inputs.spec.template.metadata.labels["app.kubernetes.io/version"];
    const found = [...new Set((await analyze(fromProgram([tampered]), config)).map((d) => d.policyName))].sort();
    expect(found).toEqual(["jobs-bounded", "release-labels"]);
  });
});
