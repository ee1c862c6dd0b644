// The in-cluster log store in the stacks: its config rules, the log collector pointed at it, dev unprotected,
// prod's acknowledged store warned about and protected. The component itself: test/logStoreComponent.test.ts.
import { find, loadStackConfig, problemsOf, Registered, reveal, runProgram, runStack, withConfig } from "../testing/harness";

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
    ["another backend", (c) => (c.logging.backend = "loki"), "platform:logging.backend: the in-cluster store (logging.store.inCluster: true) is Elasticsearch"],
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
