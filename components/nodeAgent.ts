// Where a node agent (a CNI daemon, the log shipper) runs: its namespace at the privileged Pod
// Security level (host paths, host network), its ServiceAccount, and the cluster rights it reads with.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityNamespace } from "./namespace";
import { grantClusterRole } from "./rbac";

export interface NodeAgentAccessArgs {
  /** Pulumi names of the Namespace, the ServiceAccount and the grant (ClusterRole and binding). */
  resourceNames: { namespace: string; serviceAccount: string; grant: string };
  /** The ServiceAccount's metadata; `namespace` is created with these labels. */
  meta: { name: string; namespace: string; labels: Record<string, string> };
  /** The ClusterRole's and the binding's object name. */
  roleName: string;
  rules: k8s.types.input.rbac.v1.PolicyRule[];
}

export interface NodeAgentAccess {
  namespace: k8s.core.v1.Namespace;
  serviceAccount: k8s.core.v1.ServiceAccount;
  /** Options for the agent's namespaced objects: parented, created after the namespace. */
  inNamespace: pulumi.CustomResourceOptions;
}

/** The namespace, ServiceAccount and cluster grant of a node agent, children of `parent`. */
export function nodeAgentAccess(a: NodeAgentAccessArgs, parent: pulumi.Resource): NodeAgentAccess {
  const { namespace: namespaceName, labels } = a.meta;
  const namespace = podSecurityNamespace(a.resourceNames.namespace, { name: namespaceName, labels, level: "privileged" }, { parent });
  const inNamespace: pulumi.CustomResourceOptions = { parent, dependsOn: [namespace] };
  const serviceAccount = new k8s.core.v1.ServiceAccount(a.resourceNames.serviceAccount, { metadata: a.meta }, inNamespace);
  grantClusterRole(
    a.resourceNames.grant,
    { name: a.roleName, labels, rules: a.rules, serviceAccount: { name: serviceAccount.metadata.name, namespace: namespaceName } },
    { parent },
  );
  return { namespace, serviceAccount, inNamespace };
}
