// Cluster-wide read rights for a platform agent (CNI, log shipper, metrics-server): a ClusterRole
// with exactly the rules it needs and its binding to the agent's ServiceAccount, under one name.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterGrant {
  /** The ClusterRole's and the binding's object name. */
  name: string;
  labels: Record<string, string>;
  rules: k8s.types.input.rbac.v1.PolicyRule[];
  serviceAccount: { name: pulumi.Input<string>; namespace: pulumi.Input<string> };
}

/** A ClusterRole of `rules` bound to one ServiceAccount; `resourceName` names both Pulumi resources. */
export function grantClusterRole(resourceName: string, g: ClusterGrant, opts: pulumi.CustomResourceOptions): k8s.rbac.v1.ClusterRole {
  const metadata = { name: g.name, labels: g.labels };
  const role = new k8s.rbac.v1.ClusterRole(resourceName, { metadata, rules: g.rules }, opts);
  new k8s.rbac.v1.ClusterRoleBinding(
    resourceName,
    {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: g.serviceAccount.name, namespace: g.serviceAccount.namespace }],
    },
    opts,
  );
  return role;
}
