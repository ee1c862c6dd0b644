// Kubeconfigs for token users of the loopback cluster, and reading one back (server, CA, token)
// for the small API client the cluster script and the tests use.
import * as fs from "fs";
import YAML from "yaml";
import { ClusterError } from "./errors";

export interface KubeAccess {
  server: string;
  /** PEM of the CA that signed the server's certificate. */
  ca: string;
  token: string;
}

/** A self-contained kubeconfig (the CA is embedded), so it can be copied or pointed to from anywhere. */
export function kubeconfigText(name: string, user: string, access: KubeAccess): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: access.server, "certificate-authority-data": Buffer.from(access.ca).toString("base64") } }],
    users: [{ name: user, user: { token: access.token } }],
    contexts: [{ name, context: { cluster: name, user } }],
    "current-context": name,
  };
  return YAML.stringify(doc);
}

export function writeKubeconfig(file: string, name: string, user: string, access: KubeAccess): void {
  fs.writeFileSync(file, kubeconfigText(name, user, access), { mode: 0o600 });
}

/** The current context's server, CA and token from a kubeconfig of ours. */
export function readKubeconfig(file: string): KubeAccess {
  if (!fs.existsSync(file)) throw new ClusterError(`no kubeconfig at ${file}: is the cluster started? (npm run cluster -- start)`);
  const doc = YAML.parse(fs.readFileSync(file, "utf8"));
  const context = doc.contexts?.find((c: any) => c.name === doc["current-context"])?.context;
  const cluster = doc.clusters?.find((c: any) => c.name === context?.cluster)?.cluster;
  const user = doc.users?.find((u: any) => u.name === context?.user)?.user;
  if (!cluster?.server || !cluster["certificate-authority-data"] || !user?.token) {
    throw new ClusterError(`${file} is not a token kubeconfig of the loopback cluster (no server, CA data or token in its current context)`);
  }
  return { server: cluster.server, ca: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"), token: user.token };
}
