// One namespace per team: quota, default container resources, RBAC, isolation and a pull secret.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TEAM_DEFAULTS } from "./defaults";
import { standardLabels } from "./labels";
import { podSecurityNamespace } from "./namespace";
import { keepOptions } from "./protection";
import { dockerConfigSecret, RegistryCredentials } from "./registry";
import { assertNoVerdicts, type CpuMemory, derivedNameProblems, type PodSecurityLevel, teamDerivedNames } from "./rules";

export { TEAM_DEFAULTS } from "./defaults";

export interface Subjects {
  groups: string[];
  users: string[];
}

export interface TeamNamespaceArgs {
  /** The namespace name, used exactly (no auto-suffix). */
  name: string;
  /** @default TEAM_DEFAULTS.podSecurity ("restricted") */
  podSecurity?: PodSecurityLevel;
  quota: {
    cpu: string;
    memory: string;
    limitsCpu?: string;
    limitsMemory?: string;
    pods: number;
    services: number;
    persistentVolumeClaims: number;
    storage?: string;
  };
  /** Requests and limits of containers that set none. @default TEAM_DEFAULTS.containerDefaults */
  containerDefaults?: { requests: CpuMemory; limits: CpuMemory };
  /** Bound to the built-in `edit` ClusterRole in this namespace. */
  editors?: Subjects;
  /** Bound to the built-in `view` ClusterRole in this namespace. */
  viewers?: Subjects;
  /** Namespaces whose pods may open connections into this one (e.g. the ingress controller). */
  allowIngressFrom?: string[];
  /** Whether the cluster's CNI enforces NetworkPolicy; recorded on the namespace so nobody assumes isolation. @default true */
  networkPolicyEnforced?: boolean;
  /** Registry credentials the team pulls images with (a Harbor robot account). */
  registry?: RegistryCredentials;
  /** Never delete the namespace or anything in it through Pulumi (prod): `protect` and `retainOnDelete`. */
  protect?: boolean;
  /** Extra Namespace labels, e.g. the mesh's sidecar injection label (Pod Security labels always win). @default {} */
  namespaceLabels?: Record<string, string>;
}

export class TeamNamespace extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly serviceAccountName: pulumi.Output<string>;
  public readonly pullSecretName?: pulumi.Output<string>;

  constructor(name: string, args: TeamNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:teams:TeamNamespace", name, {}, opts);
    const team = args.name;
    assertNoVerdicts(`TeamNamespace ${team}`, derivedNameProblems(team, teamDerivedNames(team)));
    const level = args.podSecurity ?? TEAM_DEFAULTS.podSecurity;
    const defaults = args.containerDefaults ?? TEAM_DEFAULTS.containerDefaults;
    const enforced = args.networkPolicyEnforced ?? TEAM_DEFAULTS.networkPolicyEnforced;
    const labels = { ...standardLabels({ name: "team-namespace", instance: team, component: "tenancy" }), "platform.k8s/team": team };
    const meta = (suffix: string) => ({ name: `${team}-${suffix}`, namespace: team, labels });

    const ns = podSecurityNamespace(
      name,
      {
        name: team,
        labels: { ...labels, ...args.namespaceLabels },
        level,
        annotations: { "platform.k8s/network-policy-enforced": String(enforced) },
      },
      keepOptions(this, args.protect),
    );
    // Its contents are protected with it: otherwise removing a prod team deletes its quota, RBAC and
    // network policies first, and only then stops at the namespace (seen on a real API server).
    const inNs = keepOptions(this, args.protect, { dependsOn: [ns] });

    const q = args.quota;
    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      {
        metadata: meta("quota"),
        spec: {
          hard: {
            "requests.cpu": q.cpu,
            "requests.memory": q.memory,
            "limits.cpu": q.limitsCpu ?? q.cpu,
            "limits.memory": q.limitsMemory ?? q.memory,
            pods: String(q.pods),
            services: String(q.services),
            persistentvolumeclaims: String(q.persistentVolumeClaims),
            ...(q.storage ? { "requests.storage": q.storage } : {}),
          },
        },
      },
      inNs,
    );

    // With a quota on cpu/memory, pods without requests/limits are rejected; the LimitRange fills them in.
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      {
        metadata: meta("limits"),
        spec: { limits: [{ type: "Container", defaultRequest: { ...defaults.requests }, default: { ...defaults.limits } }] },
      },
      inNs,
    );

    this.bindClusterRole(name, "edit", args.editors, meta, inNs);
    this.bindClusterRole(name, "view", args.viewers, meta, inNs);

    let pullSecret: k8s.core.v1.Secret | undefined;
    if (args.registry) {
      pullSecret = dockerConfigSecret(`${name}-pull`, meta("registry"), args.registry, inNs);
      this.pullSecretName = pullSecret.metadata.name;
    }

    // Workloads run as this account; it holds no API token unless a pod asks for one explicitly.
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-workload`,
      {
        metadata: meta("workload"),
        automountServiceAccountToken: false,
        imagePullSecrets: pullSecret ? [{ name: pullSecret.metadata.name }] : undefined,
      },
      inNs,
    );

    this.createNetworkPolicies(name, args.allowIngressFrom ?? [], meta, inNs);

    this.namespace = ns.metadata.name;
    this.serviceAccountName = sa.metadata.name;
    this.registerOutputs({ namespace: this.namespace, serviceAccountName: this.serviceAccountName, pullSecretName: this.pullSecretName });
  }

  private bindClusterRole(
    name: string,
    role: "edit" | "view",
    who: Subjects | undefined,
    meta: (s: string) => k8s.types.input.meta.v1.ObjectMeta,
    opts: pulumi.CustomResourceOptions,
  ): void {
    const subjects = [
      ...(who?.groups ?? []).map((g) => ({ kind: "Group", name: g, apiGroup: "rbac.authorization.k8s.io" })),
      ...(who?.users ?? []).map((u) => ({ kind: "User", name: u, apiGroup: "rbac.authorization.k8s.io" })),
    ];
    if (subjects.length === 0) return;
    new k8s.rbac.v1.RoleBinding(
      `${name}-${role}`,
      {
        metadata: meta(role === "edit" ? "editors" : "viewers"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
        subjects,
      },
      opts,
    );
  }

  private createNetworkPolicies(
    name: string,
    allowFrom: string[],
    meta: (s: string) => k8s.types.input.meta.v1.ObjectMeta,
    opts: pulumi.CustomResourceOptions,
  ): void {
    const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: meta(suffix), spec }, opts);
    const sameNamespace = [{ podSelector: {} }];

    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    policy("allow-same-namespace", {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: sameNamespace }],
      egress: [{ to: sameNamespace }],
    });
    policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
    if (allowFrom.length > 0) {
      policy("allow-ingress-from", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: allowFrom }] } }] }],
      });
    }
  }
}
