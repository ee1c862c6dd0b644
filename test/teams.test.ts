// TeamNamespace: quota, limits, RBAC, isolation, pull secret, protection in prod.
import * as pulumi from "@pulumi/pulumi";
import { TeamNamespace } from "../components/teamNamespace";
import { find, isSecret, loadStackConfig, ofKind, plainStrings, reveal, runProgram } from "../testing/harness";

describe("team namespaces from the dev config", () => {
  let rs: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    rs = await runProgram("dev");
  });

  test("one namespace per team, named exactly, labelled for Pod Security", () => {
    const ns = find(rs, "Namespace", "payments");
    expect(ns.inputs.metadata.labels).toMatchObject({
      "platform.k8s/team": "payments",
      "app.kubernetes.io/managed-by": "pulumi",
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    expect(ns.inputs.metadata.annotations["platform.k8s/network-policy-enforced"]).toBe("false");
    expect(find(rs, "Namespace", "search")).toBeDefined();
  });

  test("quota and default container resources", () => {
    expect(find(rs, "ResourceQuota", "payments-quota", "payments").inputs.spec.hard).toEqual({
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "4",
      "limits.memory": "8Gi",
      pods: "30",
      services: "10",
      persistentvolumeclaims: "5",
    });
    expect(find(rs, "LimitRange", "payments-limits", "payments").inputs.spec.limits).toEqual([
      { type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } },
    ]);
  });

  test("editors and viewers are bound to the built-in ClusterRoles", () => {
    const editors = find(rs, "RoleBinding", "search-editors", "search").inputs;
    expect(editors.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(editors.subjects).toEqual([
      { kind: "Group", name: "search-devs", apiGroup: "rbac.authorization.k8s.io" },
      { kind: "User", name: "alice@example.com", apiGroup: "rbac.authorization.k8s.io" },
    ]);
    expect(find(rs, "RoleBinding", "payments-viewers", "payments").inputs.roleRef.name).toBe("view");
    // search has no viewers configured: no empty binding.
    expect(rs.find((r) => r.inputs.metadata?.name === "search-viewers")).toBeUndefined();
  });

  test("network policies: default deny, same namespace, DNS, configured ingress", () => {
    const policies = ofKind(rs, "NetworkPolicy").filter((p) => p.inputs.metadata.namespace === "search");
    expect(policies.map((p) => p.inputs.metadata.name).sort()).toEqual([
      "search-allow-dns",
      "search-allow-ingress-from",
      "search-allow-same-namespace",
      "search-default-deny",
    ]);
    expect(find(rs, "NetworkPolicy", "search-default-deny").inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const dns = find(rs, "NetworkPolicy", "search-allow-dns").inputs.spec.egress[0];
    expect(dns.to[0].namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "kube-system" });
    expect(dns.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    const from = find(rs, "NetworkPolicy", "search-allow-ingress-from").inputs.spec.ingress[0].from[0];
    expect(from.namespaceSelector.matchExpressions).toEqual([
      { key: "kubernetes.io/metadata.name", operator: "In", values: ["ingress", "payments", "monitoring"] },
    ]); // monitoring scrapes the api
  });

  test("the team ServiceAccount does not mount an API token", () => {
    const sa = find(rs, "ServiceAccount", "payments-workload", "payments").inputs;
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test("dev namespaces are not protected", () => {
    const ns = find(rs, "Namespace", "payments");
    expect(ns.protect).toBe(false);
    expect(ns.retainOnDelete).toBe(false);
  });
});

describe("team namespaces in prod", () => {
  test("protected and retained, restricted, calico-enforced", async () => {
    const rs = await runProgram("prod");
    for (const team of ["payments", "search", "identity"]) {
      const ns = find(rs, "Namespace", team);
      expect(ns.protect).toBe(true);
      expect(ns.retainOnDelete).toBe(true);
      expect(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      expect(ns.inputs.metadata.annotations["platform.k8s/network-policy-enforced"]).toBe("true");
    }
    // Everything in a team namespace is protected too: removing a team must delete nothing.
    const inTeams = rs.filter((r) => ["payments", "search", "identity"].includes(r.inputs?.metadata?.namespace) && r.type.startsWith("kubernetes:"));
    expect(inTeams.length).toBeGreaterThan(15);
    expect(inTeams.filter((r) => !r.protect && r.parent?.includes("TeamNamespace")).map((r) => r.name)).toEqual([]);
    expect(find(rs, "ResourceQuota", "payments-quota", "payments").inputs.spec.hard).toMatchObject({
      "limits.cpu": "32",
      "limits.memory": "48Gi",
      "requests.storage": "500Gi",
    });
  });
});

describe("registry pull secret", () => {
  test("a dockerconfigjson Secret, secret content, listed on the team ServiceAccount", async () => {
    const registered: Awaited<ReturnType<typeof runProgram>> = [];
    await runProgram("dev", loadStackConfig("dev"), registered);
    const before = registered.length;
    new TeamNamespace("ci", {
      name: "ci",
      quota: { cpu: "1", memory: "1Gi", pods: 5, services: 1, persistentVolumeClaims: 0 },
      registry: { server: "harbor.example.com", username: "robot$ci", password: pulumi.secret("robot-token") },
    });
    const settings = await import("@pulumi/pulumi/runtime/settings");
    await (settings as any).waitForRPCs();
    const rs = registered.slice(before);
    const secret = find(rs, "Secret", "ci-registry", "ci").inputs;
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    expect(isSecret(secret.stringData)).toBe(true);
    const config = JSON.parse(reveal(secret.stringData)[".dockerconfigjson"]);
    expect(config.auths["harbor.example.com"]).toEqual({
      username: "robot$ci",
      password: "robot-token",
      auth: Buffer.from("robot$ci:robot-token").toString("base64"),
    });
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("robot-token");
    expect(find(rs, "ServiceAccount", "ci-workload", "ci").inputs.imagePullSecrets).toEqual([{ name: "ci-registry" }]);
  });
});
