// What a fresh control plane lacks to run workloads: a node (fake, kept by kwok) and volumes for
// claims to bind to (in place of a storage provisioner). Then waits until the cluster works.
import { KubeApi } from "./api";
import { KWOK_NODE_ANNOTATION } from "./components";
import { ClusterError } from "./errors";

export const NODE_NAME = "kwok-node-0";
/** Volumes for the claims of StatefulSets and charts; a claim binds the smallest that fits, once. */
export const VOLUME_COUNT = 20;
export const VOLUME_SIZE = "500Gi";
/** Marks the seeded objects, which are the cluster's and not any stack's. */
const SEED_LABEL = { "platform.local/loopback-cluster": "seed" };

export async function seedCluster(api: KubeApi): Promise<void> {
  // No taints, so DaemonSets and every workload schedule onto it; allocatable is generous: the
  // deploy benchmarks put up to 1000 generated teams (about 7,000 pods) on it.
  await api.create(
    "/api/v1/nodes",
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: NODE_NAME,
        annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value, "node.alpha.kubernetes.io/ttl": "0" },
        labels: { ...SEED_LABEL, "kubernetes.io/hostname": NODE_NAME, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok" },
      },
      status: {
        capacity: { cpu: "512", memory: "2Ti", pods: "10000", "ephemeral-storage": "8Ti" },
        allocatable: { cpu: "512", memory: "2Ti", pods: "10000", "ephemeral-storage": "8Ti" },
      },
    },
    true,
  );
  for (let i = 0; i < VOLUME_COUNT; i++) {
    await api.create(
      "/api/v1/persistentvolumes",
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `loopback-volume-${i}`, labels: SEED_LABEL },
        spec: {
          capacity: { storage: VOLUME_SIZE },
          accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: "",
          // Never mounted: kwok runs no containers.
          hostPath: { path: `/nonexistent/loopback-volume-${i}` },
        },
      },
      true,
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true; `alive` is asked between tries and may throw (a process died). */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, alive: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    alive();
    try {
      if (await check()) return;
      lastError = "";
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(250);
  }
  throw new ClusterError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`);
}

/** The fake node is Ready and leased (kwok works) and the default ServiceAccount exists (the controller manager works). */
export async function clusterWorks(api: KubeApi): Promise<boolean> {
  const node = await api.find(`/api/v1/nodes/${NODE_NAME}`);
  const ready = node?.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True");
  if (!ready) return false;
  // kwok renews the node's Lease: without it the node lifecycle controller would soon mark pods not ready.
  if ((await api.find(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE_NAME}`)) === undefined) return false;
  return (await api.find("/api/v1/namespaces/default/serviceaccounts/default")) !== undefined;
}
