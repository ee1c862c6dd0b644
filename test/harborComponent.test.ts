// Harbor built from typed args alone: the official chart and its values, generated or supplied secrets
// only ever secret, protection. What the stacks pass it, and team registry access, are in test/harbor.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { Harbor, HarborArgs } from "../components/harbor";
import { runComponents } from "../testing/components";
import { find, isSecret, plainStrings, Registered, reveal } from "../testing/harness";
import { harborArgs, prodHarbor } from "./support/componentArgs";

const build = (over: Partial<HarborArgs> = {}) => runComponents(() => new Harbor("harbor", harborArgs(over)));
const chart = (rs: Registered[]) => rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "harbor")!;
const values = (rs: Registered[]) => reveal(chart(rs).inputs.values);
const password = (rs: Registered[], name: string) => rs.find((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === name);

describe("the Harbor chart", () => {
  test("the official chart through Helm Chart v4, repo and version pinned, in its own namespace", async () => {
    const rs = await build();
    expect(chart(rs).inputs).toMatchObject({ chart: "harbor", version: "1.16.2", repositoryOpts: { repo: "https://helm.goharbor.io" }, namespace: "harbor" });
    expect(find(rs, "Namespace", "harbor").inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  test("a local chart path for air-gapped clusters", async () => {
    const rs = await build({ chart: { path: "./charts/harbor" } });
    expect(chart(rs).inputs.chart).toBe("./charts/harbor");
    expect(chart(rs).inputs.version).toBeUndefined();
    expect(chart(rs).inputs.repositoryOpts).toBeUndefined();
  });

  test("clusterIP with a generated certificate, small volumes kept on delete, internal database and redis, no trivy, metrics off by default", async () => {
    const v = values(await build());
    expect(v.expose).toEqual({
      type: "clusterIP",
      tls: { enabled: true, certSource: "auto", auto: { commonName: "harbor.dev.example.com" } },
      ingress: { hosts: { core: "harbor.dev.example.com" } },
    });
    expect(v.externalURL).toBe("https://harbor.dev.example.com");
    expect(v.persistence).toEqual({
      enabled: true,
      resourcePolicy: "keep",
      persistentVolumeClaim: {
        registry: { size: "10Gi" },
        jobservice: { jobLog: { size: "1Gi" } },
        database: { size: "2Gi" },
        redis: { size: "1Gi" },
        trivy: { size: "2Gi" },
      },
    });
    expect(v.database).toEqual({ type: "internal" });
    expect(v.redis).toEqual({ type: "internal" });
    expect(v.trivy).toEqual({ enabled: false });
    expect(v.metrics).toEqual({ enabled: false });
    expect(values(await build({ metrics: true })).metrics).toEqual({ enabled: true });
  });

  test("ingress with a TLS Secret and class, storage class, external database by Secret, trivy, metrics", async () => {
    const v = values(await build(prodHarbor));
    expect(v.expose).toMatchObject({
      type: "ingress",
      tls: { enabled: true, certSource: "secret", secret: { secretName: "harbor-tls" } },
      ingress: { hosts: { core: "harbor.prod.example.com" }, className: "nginx" },
    });
    expect(v.persistence.persistentVolumeClaim.registry).toEqual({ size: "500Gi", storageClass: "fast-ssd" });
    // The database volume was not given: the documented default size, in the given class.
    expect(v.persistence.persistentVolumeClaim.database).toEqual({ size: "5Gi", storageClass: "fast-ssd" });
    expect(v.database).toEqual({
      type: "external",
      external: {
        host: "pg.prod.example.com",
        port: "5432",
        username: "harbor",
        coreDatabase: "registry",
        sslmode: "verify-full",
        existingSecret: "harbor-db",
      },
    });
    expect(v.trivy).toEqual({ enabled: true });
    expect(v.metrics).toEqual({ enabled: true });
  });

  test.each(["nodePort", "loadBalancer"] as const)("expose type %s, and TLS off gives an http:// external URL", async (type) => {
    const v = values(await build({ expose: { type, tls: false } }));
    expect(v.expose).toMatchObject({ type, tls: { enabled: false, certSource: "none" } });
    expect(v.externalURL).toBe("http://harbor.dev.example.com");
  });

  test("external database and redis with given passwords, only ever secret", async () => {
    const rs = await build({
      externalDatabase: { host: "pg.example.com", port: 5432, username: "harbor", coreDatabase: "registry", sslmode: "verify-full", password: "db-pw-123" },
      externalRedis: { addr: "redis.example.com:6379", password: "redis-pw-456" },
    });
    const v = values(rs);
    expect(v.database.external).toMatchObject({ host: "pg.example.com", username: "harbor", password: "db-pw-123" });
    expect(v.redis).toEqual({ type: "external", external: { addr: "redis.example.com:6379", password: "redis-pw-456" } });
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toMatch(/db-pw-123|redis-pw-456/);
  });
});

describe("Harbor secrets", () => {
  test("admin password and a 16-character secret key are generated with @pulumi/random and only ever secret", async () => {
    let harbor!: Harbor;
    const rs = await runComponents(() => (harbor = new Harbor("harbor", harborArgs())));
    expect(password(rs, "harbor-admin-password")!.inputs).toMatchObject({ length: 24, special: false, minUpper: 1, minLower: 1, minNumeric: 1 });
    expect(password(rs, "harbor-secret-key")!.inputs).toMatchObject({ length: 16, special: false });
    const raw = chart(rs).inputs.values;
    expect(isSecret(raw) || (isSecret(raw.harborAdminPassword) && isSecret(raw.secretKey))).toBe(true);
    const v = reveal(raw);
    expect(v.secretKey).toHaveLength(16);
    for (const r of rs) {
      const plain = plainStrings(r.inputs);
      expect(plain).not.toContain(v.harborAdminPassword);
      expect(plain).not.toContain(v.secretKey);
    }
    expect(await (harbor.adminPassword as any).isSecret).toBe(true);
    expect(harbor.externalURL).toBe("https://harbor.dev.example.com");
  });

  test("supplied admin password and secret key are used, nothing is generated, and they never appear in plain inputs", async () => {
    const rs = await build({ adminPassword: pulumi.secret("Supplied-Admin-1"), secretKey: pulumi.secret("0123456789abcdef") });
    expect(password(rs, "harbor-admin-password")).toBeUndefined();
    expect(password(rs, "harbor-secret-key")).toBeUndefined();
    expect(values(rs)).toMatchObject({ harborAdminPassword: "Supplied-Admin-1", secretKey: "0123456789abcdef" });
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toMatch(/Supplied-Admin-1|0123456789abcdef/);
  });

  test("protect: the release (its volume claims included) and the generated secrets; without it none", async () => {
    const rs = await build({ protect: true });
    for (const r of [chart(rs), password(rs, "harbor-admin-password")!, password(rs, "harbor-secret-key")!]) {
      expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
    }
    expect(chart(await build()).protect).toBe(false);
  });
});
