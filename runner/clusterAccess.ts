// Before the engine runs against a cluster: the kubeconfig exists and names a server, and that
// server answers on its port. Without this check a bad kubeconfig or an unreachable server gives
// one engine error per resource, after the engine has already created the stack's non-Kubernetes
// resources (passwords) in state.
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";

/** The cluster cannot be used: printed alone, exit code 1, nothing changed. */
export class ClusterAccessError extends Error {
  constructor(message: string) {
    super(`${message}\nNothing was changed.`);
    this.name = "ClusterAccessError";
  }
}

export interface ClusterTarget {
  kubeconfig?: string;
  context?: string;
}

/** The kubeconfig file the provider will read: the configured path (~ and relative to the project), else KUBECONFIG's first, else ~/.kube/config. */
export function kubeconfigFile(target: ClusterTarget, workDir: string): { file: string; from: string } {
  if (target.kubeconfig) {
    return { file: path.resolve(workDir, target.kubeconfig.replace(/^~(?=\/)/, os.homedir())), from: "platform:cluster.kubeconfig" };
  }
  const first = (process.env.KUBECONFIG ?? "").split(path.delimiter).find(Boolean);
  return first ? { file: first, from: "KUBECONFIG" } : { file: path.join(os.homedir(), ".kube", "config"), from: "the default kubeconfig" };
}

/** The API server URL of the context to use; a ClusterAccessError naming the file and key when it cannot be found. */
export function serverOf(target: ClusterTarget, workDir: string): { server: string; where: string } {
  const { file, from } = kubeconfigFile(target, workDir);
  if (!fs.existsSync(file)) throw new ClusterAccessError(`platform: the kubeconfig ${file} (from ${from}) does not exist: fix ${from} or start the cluster`);
  let doc: any;
  try {
    doc = YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ClusterAccessError(`platform: the kubeconfig ${file} (from ${from}) is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const contextName = target.context ?? doc?.["current-context"];
  const contexts: any[] = Array.isArray(doc?.contexts) ? doc.contexts : [];
  const context = contexts.find((c) => c?.name === contextName)?.context;
  if (!context) {
    const names =
      contexts
        .map((c) => c?.name)
        .filter(Boolean)
        .join(", ") || "none";
    throw new ClusterAccessError(`platform: the kubeconfig ${file} has no context "${contextName ?? ""}" (contexts: ${names})`);
  }
  const server = (Array.isArray(doc.clusters) ? doc.clusters : []).find((c: any) => c?.name === context.cluster)?.cluster?.server;
  if (typeof server !== "string" || !server) {
    throw new ClusterAccessError(`platform: the kubeconfig ${file} names no server for cluster "${context.cluster}" (context "${contextName}")`);
  }
  return { server, where: `context "${contextName}" in ${file}` };
}

/** Resolves when something accepts a TCP connection at the server's host and port. */
export function reachable(server: string, timeoutMs = 5000): Promise<void> {
  const url = new URL(server);
  const port = Number(url.port || (url.protocol === "http:" ? 80 : 443));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
    socket.once("error", (err: NodeJS.ErrnoException) => reject(new Error(err.code ?? err.message)));
  });
}

/** Throws a ClusterAccessError when the stack's cluster cannot be used. */
export async function checkClusterAccess(target: ClusterTarget, workDir: string): Promise<void> {
  const { server, where } = serverOf(target, workDir);
  try {
    await reachable(server);
  } catch (err) {
    throw new ClusterAccessError(`platform: the Kubernetes API server ${server} (${where}) is unreachable: ${(err as Error).message}`);
  }
}
