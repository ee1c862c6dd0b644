// StatefulService from typed args: stable identity, per-pod volumes that are never lost, generated
// credentials; then the stacks' database: prod protection, a password from config, bad config by key.
import * as pulumi from "@pulumi/pulumi";
import { StatefulService, StatefulServiceArgs } from "../components/statefulService";
import { runComponents } from "../testing/components";
import { find, isSecret, loadStackConfig, plainStrings, problemsOf, reveal, runProgram, StackConfig, withConfig } from "../testing/harness";
import { statefulArgs } from "./support/componentArgs";

const dev = loadStackConfig("dev");
const setDb = (base: StackConfig, edit: (a: Record<string, any>) => void, secrets: Record<string, string> = {}) =>
  withConfig(base, (c) => edit(c.apps.find((a: any) => a.kind === "stateful")), secrets);
// Jenkins and Harbor generate passwords too; the database's is named after the app.
const isDbPassword = (r: { type: string; name: string }) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "search-db-password";
const build = (over: Partial<StatefulServiceArgs> = {}) => runComponents(() => new StatefulService("search-db", statefulArgs(over)));
const dbIndex = dev.config["platform:apps"] ? JSON.parse(dev.config["platform:apps"]).findIndex((a: any) => a.kind === "stateful") : -1;

describe("the database StatefulSet", () => {
  test("stable identity, per-pod volumes kept on scale-down and delete, rolling update with partition", async () => {
    const rs = await build();
    const sts = find(rs, "StatefulSet", "db", "search").inputs.spec;
    expect(sts.serviceName).toBe("db-headless");
    expect(sts.podManagementPolicy).toBe("OrderedReady");
    expect(sts.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
    expect(sts.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(sts.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "100Gi" } },
    });
    const pod = sts.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999, fsGroupChangePolicy: "OnRootMismatch" });
    const c = pod.containers[0];
    expect(c.volumeMounts).toContainEqual({ name: "data", mountPath: "/var/lib/postgresql/data" });
    expect(c.env).toEqual([
      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
      { name: "POSTGRES_USER", valueFrom: { secretKeyRef: { name: "db-credentials", key: "PGUSER" } } },
      { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "PGPASSWORD" } } },
    ]);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: "db" });
    expect(JSON.stringify(c.readinessProbe)).not.toEqual(JSON.stringify(c.livenessProbe));
    expect(find(rs, "Service", "db-headless").inputs.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    expect(find(rs, "Service", "db").inputs.spec.ports).toEqual([{ name: "db", port: 5432, targetPort: "db", protocol: "TCP" }]);
  });

  test("prod protects the StatefulSet, its credentials and the generated password; dev does not", async () => {
    const prodRs = await runProgram("prod");
    for (const r of [find(prodRs, "StatefulSet", "db"), find(prodRs, "Secret", "db-credentials"), prodRs.find(isDbPassword)!]) {
      expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
    }
    const devRs = await runProgram("dev");
    expect(find(devRs, "StatefulSet", "db").protect).toBe(false);
  });

  test("image, resources and replica changes leave the volume claim template untouched", async () => {
    const claim = async (over: Partial<StatefulServiceArgs>) => JSON.stringify(find(await build(over), "StatefulSet", "db").inputs.spec.volumeClaimTemplates);
    const before = await claim({ protect: true });
    const resources = { requests: { cpu: "1", memory: "512Mi" }, limits: { cpu: "2", memory: "4Gi" } };
    const after = await claim({ protect: true, image: "postgres@sha256:" + "1".repeat(64), resources, replicas: 3 });
    expect(after).toEqual(before);
  });
});

describe("database credentials", () => {
  test("generated with @pulumi/random, only ever a secret, handed to apps as a Secret", async () => {
    const rs = await build();
    expect(rs.find(isDbPassword)!.inputs).toMatchObject({ length: 32, special: false });
    const secret = find(rs, "Secret", "db-credentials", "search").inputs;
    expect(isSecret(secret.stringData)).toBe(true);
    expect(Object.keys(reveal(secret.stringData)).sort()).toEqual(["PGDATABASE", "PGHOST", "PGPASSWORD", "PGPORT", "PGUSER"]);
    const values = reveal(secret.stringData);
    expect(values.PGHOST).toBe("db.search.svc.cluster.local");
    expect(values.PGPASSWORD).toHaveLength(32);
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(values.PGPASSWORD);
  });

  test("a supplied password is used, and never appears in plain inputs", async () => {
    const rs = await build({ password: pulumi.secret("supplied-pw-123") });
    expect(rs.find(isDbPassword)).toBeUndefined();
    expect(reveal(find(rs, "Secret", "db-credentials").inputs.stringData).PGPASSWORD).toBe("supplied-pw-123");
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("supplied-pw-123");
  });

  test("platform:appPasswords supplies the database's password by team/app, never in plain inputs", async () => {
    const rs = await runProgram(
      "dev",
      withConfig(dev, () => undefined, { appPasswords: JSON.stringify({ "search/db": "supplied-pw-123" }) }),
    );
    expect(rs.find(isDbPassword)).toBeUndefined();
    expect(reveal(find(rs, "Secret", "db-credentials", "search").inputs.stringData).PGPASSWORD).toBe("supplied-pw-123");
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("supplied-pw-123");
  });

  test.each<[string, StackConfig, string]>([
    ["runs as root", setDb(dev, (a) => (a.runAsUser = 0)), `platform:apps[${dbIndex}].runAsUser: must not be 0: stateful services run as non-root`],
    [
      "bad storage size",
      setDb(dev, (a) => (a.storage.size = "big")),
      `platform:apps[${dbIndex}].storage.size: expected a Kubernetes quantity like "500m" or "2", got "big"`,
    ],
    [
      "unknown access mode",
      setDb(dev, (a) => (a.storage.accessModes = ["ReadWriteSometimes"])),
      `platform:apps[${dbIndex}].storage.accessModes[0]: expected one of "ReadWriteOnce" | "ReadWriteOncePod" | "ReadWriteMany" | "ReadOnlyMany", got "ReadWriteSometimes"`,
    ],
    [
      "password for an unknown app",
      withConfig(dev, () => undefined, { appPasswords: JSON.stringify({ "search/cache": "x" }) }),
      'platform:appPasswords.search/cache: no app "search/cache" is configured',
    ],
  ])("%s is refused, naming the key", (_what, cfg, expected) => {
    expect(problemsOf(cfg)).toContain(expected);
  });

  test("a password stored in plain text is refused", () => {
    const cfg = withConfig(dev, () => undefined);
    cfg.config["platform:appPasswords"] = JSON.stringify({ "search/db": "plain" });
    expect(problemsOf(cfg)).toContain(
      "platform:appPasswords: holds a credential and must be stored encrypted: pulumi config set --secret platform:appPasswords <value>",
    );
  });
});
