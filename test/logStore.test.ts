// The in-cluster log store: the component from typed args alone (single-node Elasticsearch + Kibana,
// security on, generated credentials, data that survives, the setup script), then the stacks (config
// rules, the log collector pointed at it, dev unprotected, prod's acknowledged store warned about and
// protected).
import { spawnSync } from "child_process";
import { LogStore } from "../components/logStore";
import { setupScript } from "../components/logStoreParts";
import { runComponents } from "../testing/components";
import { find, isSecret, loadStackConfig, plainStrings, problemsOf, Registered, reveal, runProgram, runStack, withConfig } from "../testing/harness";
import { logStoreArgs } from "./support/componentArgs";

describe("the log store component, from typed args", () => {
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
});

describe("the log store in the stacks", () => {
  const dev = loadStackConfig("dev");
  const prod = loadStackConfig("prod");
  const PASSWORD = "not-for-the-store";

  /** Prod with the in-cluster store: acknowledged, images mirrored by digest. */
  const prodWithStore = (ack: boolean) =>
    withConfig(prod, (c) => {
      c.logging = {
        backend: "elasticsearch",
        index: "prod",
        image: c.logging.image,
        store: {
          inCluster: true,
          acknowledgeSingleNode: ack,
          images: {
            elasticsearch: "harbor.prod.example.com/mirror/elasticsearch@sha256:" + "a".repeat(64),
            kibana: "harbor.prod.example.com/mirror/kibana@sha256:" + "b".repeat(64),
          },
        },
      };
    });

  describe("log store config", () => {
    test.each<[string, (c: any) => void, string]>([
      [
        "another backend",
        (c) => (c.logging.backend = "loki"),
        "platform:logging.backend: the in-cluster store (logging.store.inCluster: true) is Elasticsearch",
      ],
      ["a host beside it", (c) => (c.logging.host = "logs.example.com"), "platform:logging.host: is derived from the in-cluster store"],
      ["a user beside it", (c) => (c.logging.user = "shipper"), "platform:logging.user: is derived from the in-cluster store"],
      [
        "the collector's namespace",
        (c) => (c.logging.store.namespace = "logging"),
        'platform:logging.store.namespace: "logging" is the log collector\'s namespace',
      ],
      ["a team's namespace", (c) => (c.teams[0].name = "log-store"), 'platform:teams[0].name: "log-store" is the in-cluster log store\'s namespace'],
      ["a heap that is not a JVM size", (c) => (c.logging.store.heap = "lots"), 'platform:logging.store.heap: expected a JVM size like "1g"'],
      ["a missing switch", (c) => delete c.logging.store.inCluster, "platform:logging.store.inCluster: is required"],
    ])("rejects %s, naming the key", (_what, edit, fragment) => {
      const problems = problemsOf(withConfig(dev, edit));
      expect(problems).toContainEqual(expect.stringContaining(fragment));
    });

    test("a supplied logging password is refused: the store's are generated", () => {
      expect(problemsOf(withConfig(dev, () => undefined, { loggingPassword: PASSWORD }))).toEqual([
        expect.stringMatching(/^platform:loggingPassword: the in-cluster store's credentials are generated/),
      ]);
    });

    test("without the store, host and port are required, by key", () => {
      const problems = problemsOf(withConfig(dev, (c) => delete c.logging.store));
      expect(problems).toEqual(["platform:logging.host: is required (expected string)", "platform:logging.port: is required (expected number)"]);
    });

    test("prod refuses it unless acknowledged, then asks for digests", () => {
      expect(problemsOf(prodWithStore(false))).toEqual([
        expect.stringMatching(/^platform:logging\.store\.inCluster: the in-cluster store is a single Elasticsearch node .*acknowledgeSingleNode: true$/),
      ]);
      expect(problemsOf(prodWithStore(true))).toEqual([]);
      const tagged = withConfig(prodWithStore(true), (c) => (c.logging.store.images = { elasticsearch: "elasticsearch:8.17.4" }));
      expect(problemsOf(tagged)).toEqual([
        expect.stringMatching(/^platform:logging\.store\.images\.elasticsearch: prod pins images by digest/),
        expect.stringMatching(/^platform:logging\.store\.images\.kibana: is required in prod: the default "kibana:8\.17\.4"/),
      ]);
    });
  });

  describe("the log store in dev's stack", () => {
    let rs: Registered[];
    beforeAll(async () => {
      rs = await runProgram("dev");
    });

    test("the collector ships to it as its own user, with the shipper's password from a Secret", () => {
      const conf = find(rs, "ConfigMap", "fluent-bit", "logging").inputs.data["fluent-bit.conf"];
      expect(conf).toMatch(/Name\s+es\n\s+Match\s+kube\.\*\n\s+Host\s+elasticsearch\.log-store\.svc\.cluster\.local\n\s+Port\s+9200\n\s+tls\s+Off/);
      expect(conf).toMatch(/HTTP_User\s+log-shipper\n\s+HTTP_Passwd\s+\$\{LOG_BACKEND_PASSWORD\}/);
      const shipper = reveal(find(rs, "Secret", "fluent-bit-backend", "logging").inputs.stringData).password;
      expect(shipper).toBe(reveal(find(rs, "Secret", "log-store-credentials", "log-store").inputs.stringData)["shipper-password"]);
    });

    test("logging.index is the shipper's index prefix; store.allowIngressFrom reaches Kibana", () => {
      const script = find(rs, "Job", "log-store-setup", "log-store").inputs.spec.template.spec.containers[0].command[2];
      expect(script).toContain('\\"names\\":[\\"dev-*\\"]');
      const ingress = find(rs, "NetworkPolicy", "log-store-ingress", "log-store").inputs.spec.ingress;
      expect(ingress).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }],
        ports: [{ protocol: "TCP", port: 5601 }],
      });
    });

    test("dev does not protect it; the stack outputs Kibana's address", async () => {
      expect(find(rs, "StatefulSet", "elasticsearch", "log-store").protect).toBe(false);
    });
  });

  describe("an acknowledged in-cluster store in prod", () => {
    test("warns once, and protects the data, its set and the credentials", async () => {
      const { resources, warnings } = await runStack("prod", prodWithStore(true));
      expect(warnings).toEqual([expect.stringMatching(/^logging\.store: the in-cluster Elasticsearch is a single node/)]);
      for (const r of [find(resources, "StatefulSet", "elasticsearch", "log-store"), find(resources, "Secret", "log-store-credentials", "log-store")]) {
        expect(r.protect && r.retainOnDelete).toBe(true);
      }
      const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name.startsWith("log-store-"));
      expect(passwords).toHaveLength(4);
      for (const p of passwords) expect(p.protect && p.retainOnDelete).toBe(true);
    });
  });
});
