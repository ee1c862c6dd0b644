// TeamNamespace from typed args: quota, limits, RBAC, isolation, pull secret, protection; then the
// teams the stacks make from their config (dev's two, prod's protected and enforced).
import * as pulumi from "@pulumi/pulumi";
import { TeamNamespace, TeamNamespaceArgs } from "../components/teamNamespace";
import { runComponents } from "../testing/components";
import { find, isSecret, ofKind, plainStrings, Registered, reveal, runProgram } from "../testing/harness";
import { teamArgs } from "./support/componentArgs";

const build = (over: Partial<TeamNamespaceArgs> = {}) => runComponents(() => new TeamNamespace(over.name ?? "payments", teamArgs(over)));
// search as dev has it: a user among its editors, no viewers, two namespaces and monitoring allowed in.
const search: Partial<TeamNamespaceArgs> = {
  name: "search",
  editors: { groups: ["search-devs"], users: ["alice@example.com"] },
  viewers: undefined,
  allowIngressFrom: ["ingress", "payments", "monitoring"],
};

describe("a team namespace", () => {
  test("named exactly, labelled for Pod Security, recording whether NetworkPolicy is enforced", async () => {
    const ns = find(await build(), "Namespace", "payments");
    expect(ns.inputs.metadata.labels).toMatchObject({
      "platform.k8s/team": "payments",
      "app.kubernetes.io/managed-by": "pulumi",
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    expect(ns.inputs.metadata.annotations["platform.k8s/network-policy-enforced"]).toBe("false");
  });

  test("quota and default container resources", async () => {
    const rs = await build();
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

  test("editors and viewers are bound to the built-in ClusterRoles", async () => {
    const rs = await build(search);
    const editors = find(rs, "RoleBinding", "search-editors", "search").inputs;
    expect(editors.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(editors.subjects).toEqual([
      { kind: "Group", name: "search-devs", apiGroup: "rbac.authorization.k8s.io" },
      { kind: "User", name: "alice@example.com", apiGroup: "rbac.authorization.k8s.io" },
    ]);
    expect(find(await build(), "RoleBinding", "payments-viewers", "payments").inputs.roleRef.name).toBe("view");
    // search has no viewers: no empty binding.
    expect(rs.find((r) => r.inputs.metadata?.name === "search-viewers")).toBeUndefined();
  });

  test("network policies: default deny, same namespace, DNS, the given ingress", async () => {
    const rs = await build(search);
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
    ]);
  });

  test("the team ServiceAccount does not mount an API token", async () => {
    const sa = find(await build(), "ServiceAccount", "payments-workload", "payments").inputs;
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test("unprotected unless asked; with protect, the namespace and everything in it is protected and retained", async () => {
    const ns = find(await build(), "Namespace", "payments");
    expect(ns.protect).toBe(false);
    expect(ns.retainOnDelete).toBe(false);
    const rs = await build({ protect: true });
    const kept = rs.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kept.length).toBeGreaterThan(6);
    expect(kept.filter((r) => !r.protect || !r.retainOnDelete).map((r) => r.name)).toEqual([]);
  });

  test("registry pull secret: a dockerconfigjson Secret, secret content, listed on the team ServiceAccount", async () => {
    const rs = await runComponents(
      () =>
        new TeamNamespace("ci", {
          name: "ci",
          quota: { cpu: "1", memory: "1Gi", pods: 5, services: 1, persistentVolumeClaims: 0 },
          registry: { server: "harbor.example.com", username: "robot$ci", password: pulumi.secret("robot-token") },
        }),
    );
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

describe("team namespaces from the dev config", () => {
  let rs: Registered[];
  beforeAll(async () => {
    rs = await runProgram("dev");
  });

  test("one namespace per team, at its configured level, flannel recorded as not enforcing, not protected", () => {
    for (const team of ["payments", "search"]) {
      const ns = find(rs, "Namespace", team);
      expect(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
      expect(ns.inputs.metadata.annotations["platform.k8s/network-policy-enforced"]).toBe("false");
      expect([ns.protect, ns.retainOnDelete]).toEqual([false, false]);
    }
    expect(find(rs, "ResourceQuota", "search-quota", "search").inputs.spec.hard).toMatchObject({ "requests.cpu": "2", "limits.cpu": "5" });
  });

  test("a team's allow list from config, plus monitoring when it scrapes one of the team's apps", () => {
    const from = find(rs, "NetworkPolicy", "search-allow-ingress-from").inputs.spec.ingress[0].from[0];
    expect(from.namespaceSelector.matchExpressions[0].values).toEqual(["ingress", "payments", "monitoring"]); // monitoring scrapes the api
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
