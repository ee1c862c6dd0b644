// Harbor in the stacks: values and credentials from config, prod protection, the external URL output,
// team registry access, bad config by key. The component itself: test/harborComponent.test.ts.
import { schemaProblems } from "./support/schema";
import {
  find,
  isSecret,
  kubernetesObjects,
  loadStackConfig,
  plainStrings,
  problemsOf,
  Registered,
  reveal,
  runProgram,
  runStack,
  StackConfig,
  withConfig,
} from "../testing/harness";

// Dev pulls from a shared Harbor and runs none (harbor.enabled: false); these tests run dev's own.
const dev = withConfig(loadStackConfig("dev"), (c) => (c.harbor.enabled = true));
const prod = loadStackConfig("prod");
const robots = { registryRobots: JSON.stringify({ payments: { username: "robot$payments+ci", password: "robot-pw-payments" } }) };
const withHarbor = (base: StackConfig, edit: (h: Record<string, any>) => void, secrets: Record<string, string> = {}) =>
  withConfig(base, (c) => edit(c.harbor), secrets);
const chart = (rs: Registered[]) => rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "harbor")!;
const values = (rs: Registered[]) => reveal(chart(rs).inputs.values);
const password = (rs: Registered[], name: string) => rs.find((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === name);

describe("Harbor from each stack's config", () => {
  test("dev's own: the pinned chart, clusterIP for its host, its volume sizes, no trivy; metrics on because monitoring scrapes Harbor", async () => {
    const rs = await runProgram("dev", dev);
    expect(chart(rs).inputs).toMatchObject({ chart: "harbor", version: "1.16.2", repositoryOpts: { repo: "https://helm.goharbor.io" }, namespace: "harbor" });
    const v = values(rs);
    expect(v.expose).toMatchObject({ type: "clusterIP", ingress: { hosts: { core: "harbor.dev.example.com" } } });
    expect(v.persistence.persistentVolumeClaim).toMatchObject({ registry: { size: "10Gi" }, database: { size: "2Gi" }, trivy: { size: "2Gi" } });
    expect(v.trivy).toEqual({ enabled: false });
    // harbor.metrics is off in dev, but platform:monitoring scrapes Harbor, so the chart exposes them.
    expect(v.metrics).toEqual({ enabled: true });
  });

  test("prod: ingress with its TLS Secret and class, storage class, the external database by Secret, trivy, metrics", async () => {
    const v = values(await runProgram("prod"));
    expect(v.expose).toMatchObject({ type: "ingress", tls: { certSource: "secret", secret: { secretName: "harbor-tls" } }, ingress: { className: "nginx" } });
    expect(v.persistence.persistentVolumeClaim.registry).toEqual({ size: "500Gi", storageClass: "fast-ssd" });
    expect(v.database.external).toMatchObject({ host: "pg.prod.example.com", username: "harbor", existingSecret: "harbor-db" });
    expect([v.trivy, v.metrics]).toEqual([{ enabled: true }, { enabled: true }]);
  });

  test("credentials from config secrets reach the chart, nothing is generated, and they never appear in plain inputs", async () => {
    const cfg = withHarbor(
      dev,
      (h) => {
        h.database = { type: "external", host: "pg.example.com", username: "harbor" };
        h.redis = { type: "external", addr: "redis.example.com:6379" };
      },
      {
        harborDatabasePassword: "db-pw-123",
        harborRedisPassword: "redis-pw-456",
        harborAdminPassword: "Supplied-Admin-1",
        harborSecretKey: "0123456789abcdef",
      },
    );
    const rs = await runProgram("dev", cfg);
    const v = values(rs);
    expect(v).toMatchObject({ harborAdminPassword: "Supplied-Admin-1", secretKey: "0123456789abcdef" });
    expect(v.database.external).toMatchObject({ host: "pg.example.com", username: "harbor", password: "db-pw-123" });
    expect(v.redis.external).toMatchObject({ addr: "redis.example.com:6379", password: "redis-pw-456" });
    expect(rs.filter((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name.startsWith("harbor-"))).toEqual([]);
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toMatch(/db-pw-123|redis-pw-456|Supplied-Admin-1|0123456789abcdef/);
  });
});

describe("Harbor in the stacks", () => {
  test("prod protects the release (its volume claims included) and the generated secrets; dev does not", async () => {
    const rs = await runProgram("prod");
    for (const r of [chart(rs), password(rs, "harbor-admin-password")!, password(rs, "harbor-secret-key")!]) {
      expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
    }
    expect(chart(await runProgram("dev", dev)).protect).toBe(false);
  });

  test("the stack outputs Harbor's external URL", async () => {
    const { outputs } = await runStack("prod");
    expect(outputs.ciAndRegistry.harbor).toEqual({ externalURL: "https://harbor.prod.example.com" });
  });
});

describe("team registry access", () => {
  test("a team with a robot account gets a dockerconfigjson pull Secret for the Harbor host, listed on its ServiceAccount", async () => {
    const rs = await runProgram(
      "prod",
      withConfig(prod, () => undefined, robots),
    );
    const secret = find(rs, "Secret", "payments-registry", "payments").inputs;
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    expect(isSecret(secret.stringData[".dockerconfigjson"]) || isSecret(secret.stringData)).toBe(true);
    const auth = JSON.parse(reveal(secret.stringData)[".dockerconfigjson"]).auths["harbor.prod.example.com"];
    expect(auth).toEqual({
      username: "robot$payments+ci",
      password: "robot-pw-payments",
      auth: Buffer.from("robot$payments+ci:robot-pw-payments").toString("base64"),
    });
    expect(find(rs, "ServiceAccount", "payments-workload", "payments").inputs.imagePullSecrets).toEqual([{ name: "payments-registry" }]);
    // Teams without a robot get none.
    expect(find(rs, "ServiceAccount", "search-workload", "search").inputs.imagePullSecrets).toBeUndefined();
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("robot-pw-payments");
  });

  test("with robot accounts every object still passes the Kubernetes schema", async () => {
    const rs = await runProgram(
      "prod",
      withConfig(prod, () => undefined, robots),
    );
    expect(kubernetesObjects(rs).flatMap((r) => schemaProblems(reveal(r.inputs)))).toEqual([]);
  });

  test("disabled Harbor with a host: teams still pull from that (external) registry, no chart", async () => {
    const rs = await runProgram(
      "dev",
      withHarbor(dev, (h) => (h.enabled = false), robots),
    );
    expect(chart(rs)).toBeUndefined();
    expect(find(rs, "Secret", "payments-registry", "payments").inputs.type).toBe("kubernetes.io/dockerconfigjson");
  });
});

/** A case that sets `harbor.<key>` (a dotted path) to `value` and expects `problem` reported at that key. */
function atKey(what: string, key: string, value: unknown, problem: string): [string, StackConfig, string] {
  const path = key.split(".");
  const set = (h: Record<string, any>) => (path.slice(0, -1).reduce((o, k) => o[k], h)[path[path.length - 1]] = value);
  return [what, withHarbor(dev, set), `platform:harbor.${key}: ${problem}`];
}

describe("bad Harbor config is refused, naming the key", () => {
  test.each<[string, StackConfig, string]>([
    [
      "a secret key of the wrong length",
      withConfig(dev, () => undefined, { harborSecretKey: "too-short" }),
      "platform:harborSecretKey: must be exactly 16 characters (it has 9)",
    ],
    atKey("a bad external URL", "externalURL", "harbor.example.com", 'expected an http(s):// URL like "https://harbor.example.com", got "harbor.example.com"'),
    atKey("an unknown expose type", "expose.type", "route", 'expected one of "ingress" | "clusterIP" | "nodePort" | "loadBalancer", got "route"'),
    atKey("a negative volume size", "persistence.registry", "-5Gi", 'expected a Kubernetes quantity like "500m" or "2", got "-5Gi"'),
    atKey("a host that is not a DNS name", "host", "Harbor_Host", 'expected a DNS host name like "logs.example.com", got "Harbor_Host"'),
    atKey("a chart without a version", "chart", { repo: "https://charts.example.com/harbor" }, "set repo and version (pinned), or path to a local chart"),
    [
      "an external database without a password",
      withHarbor(dev, (h) => (h.database = { type: "external", host: "pg.example.com", username: "harbor" })),
      "platform:harborDatabasePassword: is required when harbor.database.type is external (or name harbor.database.existingSecret): pulumi config set --secret platform:harborDatabasePassword <password>",
    ],
    [
      "an external database without a host",
      withHarbor(dev, (h) => (h.database = { type: "external", username: "harbor" }), { harborDatabasePassword: "x" }),
      "platform:harbor.database.host: is required when database.type is external",
    ],
    [
      "an external redis without a password",
      withHarbor(dev, (h) => (h.redis = { type: "external", addr: "redis:6379" })),
      "platform:harborRedisPassword: is required when harbor.redis.type is external: pulumi config set --secret platform:harborRedisPassword <password>",
    ],
    [
      "a robot for an unknown team",
      withConfig(dev, () => undefined, { registryRobots: JSON.stringify({ billing: { username: "robot$billing", password: "x" } }) }),
      'platform:registryRobots.billing: "billing" is not a configured team (teams: payments, search)',
    ],
    [
      "a robot without a password",
      withConfig(dev, () => undefined, { registryRobots: JSON.stringify({ payments: { username: "robot$payments" } }) }),
      "platform:registryRobots.payments.password: is required (expected string)",
    ],
    [
      "robots without a registry host",
      withConfig(dev, (c) => delete c.harbor, robots),
      "platform:registryRobots: needs platform:harbor.host: robot accounts log in to that registry",
    ],
    atKey("a namespace a team owns", "namespace", "search", '"search" is already the namespace of team "search"'),
  ])("%s", (_what, cfg, expected) => {
    expect(problemsOf(cfg)).toContain(expected);
  });

  test("a secret key's message never echoes the value", () => {
    const problems = problemsOf(withConfig(dev, () => undefined, { harborSecretKey: "s3cr3t-value" }));
    expect(problems.join("\n")).not.toContain("s3cr3t-value");
  });

  test.each(["registryRobots", "harborSecretKey", "harborAdminPassword", "harborDatabasePassword", "harborRedisPassword"])(
    "%s stored in plain text is refused",
    (key) => {
      const cfg = withConfig(dev, () => undefined);
      cfg.config[`platform:${key}`] = key === "registryRobots" ? JSON.stringify({ payments: { username: "u", password: "p" } }) : "0123456789abcdef";
      expect(problemsOf(cfg)).toContain(`platform:${key}: holds a credential and must be stored encrypted: pulumi config set --secret platform:${key} <value>`);
    },
  );
});
