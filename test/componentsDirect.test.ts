// Components built from typed args alone (no stack file): their defaults, their own rules, their
// secure settings. Whole-stack behaviour stays in the stack tests.
import * as pulumi from "@pulumi/pulumi";
import { ClusterNetwork } from "../components/clusterNetwork";
import { LOG_DEFAULTS, NETWORK_DEFAULTS, STATEFUL_DEFAULTS } from "../components/defaults";
import { LogCollector } from "../components/logCollector";
import { Monitoring } from "../components/monitoring";
import { StatefulService } from "../components/statefulService";
import { TeamNamespace } from "../components/teamNamespace";
import { runComponents } from "../testing/components";
import { find, isSecret, ofKind, plainStrings, reveal } from "../testing/harness";
import { statefulArgs } from "./support/componentArgs";

describe("ClusterNetwork", () => {
  test("flannel without settings: the documented default backend, the given pod network", async () => {
    const rs = await runComponents(() => new ClusterNetwork("net", { cni: "flannel", podCidr: "10.10.0.0/16" }));
    const conf = JSON.parse(find(rs, "ConfigMap", "kube-flannel-cfg").inputs.data["net-conf.json"]);
    expect(conf).toMatchObject({ Network: "10.10.0.0/16", Backend: { Type: NETWORK_DEFAULTS.flannel.backend } });
    expect(ofKind(rs, "DaemonSet")).toHaveLength(1);
  });

  test("calico refuses a combination its own rules forbid, naming the setting, before registering anything", async () => {
    const registered: unknown[] = [];
    const build = () => {
      const bad = { chart: { path: "charts/tigera-operator" }, encapsulation: "IPIP" as const, bgp: "Disabled" as const };
      registered.push(new ClusterNetwork("net", { cni: "calico", podCidr: "10.10.0.0/16", calico: bad }));
    };
    await expect(runComponents(build)).rejects.toThrow(/ClusterNetwork calico.*(bgp|IPIP)/is);
    expect(registered).toEqual([]);
  });
});

describe("LogCollector", () => {
  test.each([["elasticsearch"], ["loki"], ["forward"]] as const)("%s: a DaemonSet on every node, the password only through a Secret", async (backend) => {
    const rs = await runComponents(
      () => new LogCollector("logs", { backend, host: "logs.example.com", port: 443, user: "shipper", password: pulumi.secret("s3cret") }),
    );
    const ds = find(rs, "DaemonSet", "fluent-bit", LOG_DEFAULTS.namespace).inputs.spec.template.spec;
    expect(ds.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ operator: "Exists" })]));
    expect(ds.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain("s3cret");
    const conf = find(rs, "ConfigMap", "fluent-bit", LOG_DEFAULTS.namespace).inputs.data["fluent-bit.conf"];
    expect(conf).toContain("Host           logs.example.com");
    expect(conf).not.toContain("s3cret");
  });
});

describe("StatefulService", () => {
  const args = statefulArgs({ storage: { size: "5Gi" } });

  test("the documented defaults; claims kept; a generated password, secret", async () => {
    const rs = await runComponents(() => new StatefulService("db", args));
    const spec = find(rs, "StatefulSet", "db", "search").inputs.spec;
    expect(spec.replicas).toBe(STATEFUL_DEFAULTS.replicas);
    expect(spec.podManagementPolicy).toBe(STATEFUL_DEFAULTS.podManagementPolicy);
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(spec.volumeClaimTemplates[0].spec.accessModes).toEqual(STATEFUL_DEFAULTS.accessModes);
    const password = rs.find((r) => r.type === "random:index/randomPassword:RandomPassword")!;
    expect(password.inputs.length).toBe(STATEFUL_DEFAULTS.passwordLength);
    expect(isSecret(find(rs, "Secret", "db-credentials", "search").inputs.stringData)).toBe(true);
  });

  test("protect marks the set, its credentials and the password protected", async () => {
    const rs = await runComponents(() => new StatefulService("db", { ...args, protect: true }));
    const kept = rs.filter((r) => r.protect).map((r) => r.inputs.kind ?? r.type);
    expect(kept).toEqual(expect.arrayContaining(["StatefulSet", "Secret", "random:index/randomPassword:RandomPassword"]));
  });

  test("a name the API server would refuse is refused by the component", async () => {
    await expect(runComponents(() => new StatefulService("bad", { ...args, name: "Bad_Name" }))).rejects.toThrow(/StatefulService Bad_Name/);
  });
});

describe("TeamNamespace", () => {
  test("quota, default deny and Pod Security from args alone", async () => {
    const quota = { cpu: "2", memory: "4Gi", pods: 10, services: 3, persistentVolumeClaims: 1 };
    const rs = await runComponents(() => new TeamNamespace("t", { name: "team-a", quota, podSecurity: "restricted", networkPolicyEnforced: true }));
    const labels = find(rs, "Namespace", "team-a").inputs.metadata.labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(reveal(ofKind(rs, "ResourceQuota")[0].inputs.spec.hard)).toMatchObject({ "requests.cpu": "2", "requests.memory": "4Gi", pods: "10" });
    const deny = ofKind(rs, "NetworkPolicy").find((p) => p.inputs.spec.podSelector && Object.keys(p.inputs.spec.podSelector).length === 0);
    expect(deny?.inputs.spec.policyTypes).toEqual(expect.arrayContaining(["Ingress"]));
  });
});

describe("Monitoring", () => {
  const targets = [{ name: "search-api", kind: "ServiceMonitor" as const, namespace: "search", selector: { app: "api" }, port: "metrics", path: "/metrics" }];

  test("with createNamespace false (a teams stack) only the monitors, in the namespace another stack owns", async () => {
    const rs = await runComponents(() => new Monitoring("mon", { targets, createNamespace: false }));
    expect(ofKind(rs, "Namespace")).toEqual([]);
    expect(ofKind(rs, "ServiceMonitor").map((m) => m.inputs.metadata)).toEqual([expect.objectContaining({ name: "search-api", namespace: "monitoring" })]);
  });

  test("the Prometheus stack is refused without its namespace", async () => {
    const chart = { chart: { path: "charts/kube-prometheus-stack" } };
    await expect(runComponents(() => new Monitoring("mon", { targets, createNamespace: false, prometheusStack: chart }))).rejects.toThrow(/owns the namespace/);
  });
});
