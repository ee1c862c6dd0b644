// The in-cluster log store built from typed args alone: single-node Elasticsearch + Kibana, security on,
// generated credentials, data that survives. Its place in the stack is in test/logStore.test.ts.
import { spawnSync } from "child_process";
import { LogStore } from "../components/logStore";
import { setupScript } from "../components/logStoreParts";
import { runComponents } from "../testing/components";
import { find, isSecret, plainStrings, Registered, reveal } from "../testing/harness";
import { logStoreArgs } from "./support/componentArgs";

describe("log store resources", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await runComponents(() => new LogStore("log-store", logStoreArgs()));
  });
  const es = () => find(rs, "StatefulSet", "elasticsearch", "log-store").inputs;

  test("Elasticsearch: one node, security on, mmap off instead of a privileged sysctl, official image pinned", () => {
    const pod = es().spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe("elasticsearch:8.17.4");
    const env = Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      "discovery.type": "single-node",
      "xpack.security.enabled": "true",
      "node.store.allow_mmap": "false",
      ES_JAVA_OPTS: expect.stringMatching(/^-Xms1g -Xmx1g -Xlog:disable /),
    });
    expect(c.env).toContainEqual({ name: "ELASTIC_PASSWORD", valueFrom: { secretKeyRef: { name: "log-store-credentials", key: "elastic-password" } } });
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.resources).toEqual({ requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } });
    expect(c.startupProbe.tcpSocket).toEqual({ port: "http" });
    expect(c.readinessProbe.exec.command.join(" ")).toContain("/_cluster/health");
    expect(c.livenessProbe.tcpSocket).toEqual({ port: "http" });
  });

  test("its data is a volume claim template that outlives the set", () => {
    const spec = es().spec;
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: "data" }),
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
      }),
    ]);
  });

  test("generated passwords live only in a Secret, as secret values", () => {
    const secret = find(rs, "Secret", "log-store-credentials", "log-store");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    const values = reveal(secret.inputs.stringData);
    expect(Object.keys(values).sort()).toEqual(["elastic-password", "kibana-encryption-key", "kibana-password", "shipper-password"]);
    for (const v of Object.values<string>(values)) {
      expect(v).toMatch(/^[A-Za-z0-9]{32}$/);
      for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(v);
    }
  });

  test("Kibana connects as kibana_system; a setup Job sets that password and the shipper's write-only role", () => {
    const kibana = find(rs, "Deployment", "kibana", "log-store").inputs.spec.template.spec.containers[0];
    expect(kibana.image).toBe("kibana:8.17.4");
    expect(kibana.env).toContainEqual({ name: "ELASTICSEARCH_USERNAME", value: "kibana_system" });
    expect(kibana.env).toContainEqual({
      name: "ELASTICSEARCH_PASSWORD",
      valueFrom: { secretKeyRef: { name: "log-store-credentials", key: "kibana-password" } },
    });
    expect(kibana.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    const job = find(rs, "Job", "log-store-setup", "log-store").inputs.spec.template.spec;
    const script = job.containers[0].command[2];
    expect(script).toContain("/_security/user/kibana_system/_password");
    expect(script).toContain('\\"names\\":[\\"dev-*\\"],\\"privileges\\":[\\"create_index\\",\\"create_doc\\",\\"auto_configure\\"]');
    expect(job.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test("restricted namespace; only the collector reaches Elasticsearch, allowed namespaces reach Kibana", () => {
    expect(find(rs, "Namespace", "log-store").inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const ingress = find(rs, "NetworkPolicy", "log-store-ingress", "log-store").inputs.spec.ingress;
    const peer = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
    expect(ingress).toEqual([
      { from: [{ podSelector: {} }] },
      { from: [peer("logging")], ports: [{ protocol: "TCP", port: 9200 }] },
      { from: [peer("ingress")], ports: [{ protocol: "TCP", port: 5601 }] },
    ]);
  });
});

describe("the setup script", () => {
  test("the setup script is valid bash and sends valid JSON", () => {
    const script = setupScript("http://es:9200", "dev");
    expect(spawnSync("bash", ["-n", "-c", script]).status).toBe(0);
    // Run it with curl replaced by a stand-in that prints each request body.
    const out = spawnSync("bash", ["-c", `curl() { while [ $# -gt 0 ]; do [ "$1" = -d ] && echo "$2"; shift; done; }\n${script}`], {
      env: { PATH: process.env.PATH, ELASTIC_PASSWORD: "e", KIBANA_PASSWORD: "k", SHIPPER_PASSWORD: "s" },
      encoding: "utf8",
    });
    const bodies = out.stdout
      .trim()
      .split("\n")
      .slice(0, 3)
      .map((l) => JSON.parse(l));
    expect(bodies).toEqual([
      { password: "k" },
      { cluster: ["monitor"], indices: [{ names: ["dev-*"], privileges: ["create_index", "create_doc", "auto_configure"] }] },
      { password: "s", roles: ["log-writer"] },
    ]);
  });
});

describe("protect", () => {
  test("protects the data, its set, the credentials and the generated passwords; without it none is", async () => {
    const rs = await runComponents(() => new LogStore("log-store", logStoreArgs({ protect: true })));
    for (const r of [find(rs, "StatefulSet", "elasticsearch", "log-store"), find(rs, "Secret", "log-store-credentials", "log-store")]) {
      expect(r.protect && r.retainOnDelete).toBe(true);
    }
    const passwords = rs.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords).toHaveLength(4);
    for (const p of passwords) expect(p.protect && p.retainOnDelete).toBe(true);
    const unprotected = await runComponents(() => new LogStore("log-store", logStoreArgs()));
    expect(unprotected.filter((r) => r.protect)).toEqual([]);
  });
});
