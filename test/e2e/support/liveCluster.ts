// The loopback cluster for the live end-to-end suite: started in a temp folder through the same
// command users run (`npm run cluster -- start`), read back through the API server (not state),
// and its audit log read to count what the engine wrote.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeApi } from "../../../cluster/api";
import { ROOT } from "./project";

export interface LiveCluster {
  dir: string;
  kubeconfig: string;
  auditLog: string;
  api: KubeApi;
  startSeconds: number;
}

function cluster(...args: string[]): { status: number; output: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/cluster/main.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PLATFORM_TOOLCHAIN_NO_BUILD: "1" },
    timeout: 5 * 60 * 1000,
  });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

export function startLiveCluster(): LiveCluster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-live-cluster-"));
  const started = Date.now();
  const result = cluster("start", "--dir", dir);
  if (result.status !== 0) throw new Error(`cluster start failed:\n${result.output}`);
  const kubeconfig = path.join(dir, "kubeconfig");
  return {
    dir,
    kubeconfig,
    auditLog: path.join(dir, "logs", "audit.log"),
    api: KubeApi.fromKubeconfig(kubeconfig),
    startSeconds: (Date.now() - started) / 1000,
  };
}

export function stopLiveCluster(c: LiveCluster | undefined): void {
  if (c) cluster("stop", "--dir", c.dir);
}

/** Everything that can carry our managed-by label: [list path, namespaced]. */
const KINDS: [string, boolean][] = [
  ["/api/v1/namespaces", false],
  ["/api/v1/serviceaccounts", true],
  ["/api/v1/services", true],
  ["/api/v1/configmaps", true],
  ["/api/v1/secrets", true],
  ["/api/v1/resourcequotas", true],
  ["/api/v1/limitranges", true],
  ["/api/v1/persistentvolumeclaims", true],
  ["/apis/apps/v1/deployments", true],
  ["/apis/apps/v1/statefulsets", true],
  ["/apis/apps/v1/daemonsets", true],
  ["/apis/batch/v1/jobs", true],
  ["/apis/autoscaling/v2/horizontalpodautoscalers", true],
  ["/apis/policy/v1/poddisruptionbudgets", true],
  ["/apis/networking.k8s.io/v1/networkpolicies", true],
  ["/apis/networking.k8s.io/v1/ingresses", true],
  ["/apis/rbac.authorization.k8s.io/v1/roles", true],
  ["/apis/rbac.authorization.k8s.io/v1/rolebindings", true],
  ["/apis/rbac.authorization.k8s.io/v1/clusterroles", false],
  ["/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", false],
];

export interface LiveObject {
  kind: string;
  id: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
}

/** Every object on the server with `app.kubernetes.io/managed-by=pulumi`, by "kind namespace/name". */
export async function managedObjects(api: KubeApi): Promise<Map<string, LiveObject>> {
  const found = new Map<string, LiveObject>();
  for (const [list] of KINDS) {
    const kind = list.split("/").pop()!;
    for (const o of await api.list(`${list}?labelSelector=${encodeURIComponent("app.kubernetes.io/managed-by=pulumi")}`)) {
      const id = `${kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
      found.set(id, { kind, id, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, generation: o.metadata.generation });
    }
  }
  return found;
}

export interface AuditWrite {
  verb: string;
  object: string;
  code: number;
}

/** Where the audit log ends now: writes after this mark belong to what runs next. */
export function auditMark(c: LiveCluster): number {
  return fs.existsSync(c.auditLog) ? fs.statSync(c.auditLog).size : 0;
}

/** Successful writes by the engine (the admin user) since `mark`; dry runs (previews) excluded. */
export function auditWritesSince(c: LiveCluster, mark: number): AuditWrite[] {
  const text = fs.readFileSync(c.auditLog, "utf8").slice(mark); // ASCII JSON lines: byte offsets are character offsets
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((e) => e.stage === "ResponseComplete" && !/[?&]dryRun=/.test(e.requestURI) && (e.responseStatus?.code ?? 500) < 300)
    .map((e) => {
      const ref = e.objectRef ?? {};
      return {
        verb: e.verb,
        object: `${ref.resource}${ref.subresource ? `/${ref.subresource}` : ""} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name ?? ""}`,
        code: e.responseStatus.code,
      };
    });
}

/** A copy of `kubeconfig` pointing at a port where nothing listens (an unreachable server). */
export function unreachableKubeconfig(kubeconfig: string, port: number): string {
  const file = path.join(path.dirname(kubeconfig), "unreachable.kubeconfig");
  fs.writeFileSync(file, fs.readFileSync(kubeconfig, "utf8").replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (for what controllers finish after the engine returns, e.g. namespace deletion). */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}
