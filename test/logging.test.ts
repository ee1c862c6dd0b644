// LogCollector: fluent-bit on every node, output chosen by its args, credentials only via a Secret;
// and the stack's logging config reaching it.
import * as pulumi from "@pulumi/pulumi";
import { fluentBitConfig, LogCollector, LogCollectorArgs } from "../components/logCollector";
import { runComponents } from "../testing/components";
import { find, isSecret, loadStackConfig, plainStrings, reveal, runProgram, withConfig } from "../testing/harness";
import { logCollectorArgs } from "./support/componentArgs";

const dev = loadStackConfig("dev");
const PASSWORD = "s3cret-from-config";
const build = (over: Partial<LogCollectorArgs> = {}) => runComponents(() => new LogCollector("logging", logCollectorArgs(over)));

describe("fluent-bit configuration", () => {
  test("tails container logs with the cri and docker parsers and enriches with kubernetes metadata", () => {
    const conf = fluentBitConfig({ backend: "loki", host: "loki.logging.svc", port: 3100 });
    expect(conf).toMatch(/\[INPUT\]\n\s+Name\s+tail\n\s+Tag\s+kube\.\*\n\s+Path\s+\/var\/log\/containers\/\*\.log\n\s+multiline\.parser\s+cri, docker/);
    expect(conf).toMatch(/\[FILTER\]\n\s+Name\s+kubernetes\n\s+Match\s+kube\.\*/);
    expect(conf).toMatch(/HTTP_Server\s+On/);
    expect(conf).toMatch(/Health_Check\s+On/);
  });

  test.each([
    ["elasticsearch", /Name\s+es\n/, /HTTP_User\s+shipper\n\s+HTTP_Passwd\s+\$\{LOG_BACKEND_PASSWORD\}/],
    ["loki", /Name\s+loki\n/, /http_user\s+shipper\n\s+http_passwd\s+\$\{LOG_BACKEND_PASSWORD\}/],
  ] as const)("%s output with basic auth from the environment", (backend, name, auth) => {
    const conf = fluentBitConfig({ backend, host: "logs.example.com", port: 443, user: "shipper", password: PASSWORD });
    expect(conf).toMatch(name);
    expect(conf).toMatch(auth);
    expect(conf).toMatch(/Host\s+logs\.example\.com\n\s+Port\s+443\n\s+tls\s+On\n\s+tls\.verify\s+On/);
    expect(conf).not.toContain(PASSWORD);
  });

  test("forward output uses a shared key", () => {
    const conf = fluentBitConfig({ backend: "forward", host: "fluentd.logging.svc", port: 24224, tls: false, password: PASSWORD });
    expect(conf).toMatch(/Name\s+forward\n/);
    expect(conf).toMatch(/Shared_Key\s+\$\{LOG_BACKEND_PASSWORD\}/);
    expect(conf).toMatch(/tls\s+Off\n\s+tls\.verify\s+Off/);
    expect(conf).not.toContain(PASSWORD);
  });
});

describe("log collector resources", () => {
  test("the password reaches the pod only through a Secret, and only as a secret value", async () => {
    const rs = await build({ password: pulumi.secret(PASSWORD) });
    const secret = find(rs, "Secret", "fluent-bit-backend", "logging");
    // The SDK marks the whole stringData map secret when any value in it is.
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect(reveal(secret.inputs.stringData).password).toBe(PASSWORD);
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(PASSWORD);

    const container = find(rs, "DaemonSet", "fluent-bit", "logging").inputs.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: "LOG_BACKEND_PASSWORD", valueFrom: { secretKeyRef: { name: "fluent-bit-backend", key: "password" } } });
    expect(find(rs, "ConfigMap", "fluent-bit", "logging").inputs.data["fluent-bit.conf"]).toMatch(/Name\s+es\n/);
  });

  test("no Secret when the backend needs no credentials", async () => {
    const rs = await build({ backend: "loki", host: "loki-gateway.logging.svc.cluster.local", port: 80, tls: false, user: undefined, index: "dev" });
    expect(rs.filter((r) => r.inputs.kind === "Secret" && r.inputs.metadata.namespace === "logging")).toEqual([]);
    expect(find(rs, "ConfigMap", "fluent-bit", "logging").inputs.data["fluent-bit.conf"]).toMatch(/Name\s+loki\n[\s\S]*tls\s+Off/);
  });

  test("DaemonSet runs on every node, read-only, with probes and resources", async () => {
    const rs = await build();
    const ds = find(rs, "DaemonSet", "fluent-bit", "logging").inputs;
    const pod = ds.spec.template.spec;
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
    expect(pod.priorityClassName).toBe("system-node-critical");
    const c = pod.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/", port: "http" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/api/v1/health", port: "http" });
    expect(c.ports).toEqual([{ name: "http", containerPort: 2020, protocol: "TCP" }]);
    const hostPaths = pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.name);
    expect(hostPaths.sort()).toEqual(["docker-containers", "varlog"]);
    for (const m of c.volumeMounts.filter((m: any) => hostPaths.includes(m.name))) expect(m.readOnly).toBe(true);
    expect(ds.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": "fluent-bit" });
    expect(ds.spec.template.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
  });

  test("read-only RBAC on pods and namespaces", async () => {
    const rs = await build();
    expect(find(rs, "ClusterRole", "fluent-bit-read").inputs.rules).toEqual([
      { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
    ]);
    expect(find(rs, "ClusterRoleBinding", "fluent-bit-read").inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "fluent-bit", namespace: "logging" }]);
  });
});

describe("logging config in the stack", () => {
  test("an external backend from config, with platform:loggingPassword reaching the collector only as a secret", async () => {
    const withCredentials = withConfig(
      dev,
      (c) => {
        c.logging = { backend: "elasticsearch", host: "logs.example.com", port: 9243, user: "shipper" };
      },
      { loggingPassword: PASSWORD },
    );
    const rs = await runProgram("dev", withCredentials);
    const secret = find(rs, "Secret", "fluent-bit-backend", "logging");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect(reveal(secret.inputs.stringData).password).toBe(PASSWORD);
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(PASSWORD);
    expect(find(rs, "ConfigMap", "fluent-bit", "logging").inputs.data["fluent-bit.conf"]).toMatch(
      /Name\s+es\n[\s\S]*Host\s+logs\.example\.com\n\s+Port\s+9243/,
    );
  });
});
