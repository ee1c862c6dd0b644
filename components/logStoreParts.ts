// Pure builders for the in-cluster log store: the Elasticsearch container, its settings and the
// one-off setup script. Kept apart so components/logStore.ts reads as the list of objects.
import * as k8s from "@pulumi/kubernetes";
import { restrictedContainer } from "./podSecurity";

export const ES_HOME = "/usr/share/elasticsearch";
export const ES_PORT = 9200;
export const KIBANA_PORT = 5601;
/** Elasticsearch's built-in user Kibana connects as (the superuser `elastic` is refused by Kibana 8). */
export const KIBANA_USER = "kibana_system";
/** The log collector's own user: it may only create its indices and write documents to them. */
export const SHIPPER_USER = "log-shipper";
export const SHIPPER_ROLE = "log-writer";

/** Secret keys of the store's credentials. */
export const CREDENTIAL_KEYS = {
  elastic: "elastic-password",
  kibana: "kibana-password",
  shipper: "shipper-password",
  kibanaEncryptionKey: "kibana-encryption-key",
};

/**
 * Elasticsearch settings as env vars (the official image maps dotted names). Security is on; a single
 * node needs no transport TLS, and in-cluster HTTP stays plain (the NetworkPolicy limits who reaches it).
 * `node.store.allow_mmap: false` replaces the usual privileged init container that raises the node's
 * vm.max_map_count: with mmap off, Elasticsearch uses NIO file access and does not need the sysctl.
 */
export function elasticsearchSettings(heap: string): Record<string, string> {
  return {
    "discovery.type": "single-node",
    "cluster.name": "log-store",
    "xpack.security.enabled": "true",
    "xpack.security.http.ssl.enabled": "false",
    "xpack.security.transport.ssl.enabled": "false",
    "node.store.allow_mmap": "false",
    "bootstrap.memory_lock": "false",
    "xpack.ml.enabled": "false",
    // The JVM's own logs (GC included) go to stderr, not to files under logs/ (its jvm.options default).
    ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap} -Xlog:disable -Xlog:all=warning:stderr:utctime,level,tags -Xlog:gc=info:stderr:utctime`,
    ES_TMPDIR: "/tmp",
  };
}

/** Waits for the node, then sets Kibana's password and creates the shipper's role and user. Idempotent. */
export function setupScript(esUrl: string, indexPrefix: string): string {
  const call = (method: string, path: string, body: string) =>
    `curl -fsS -u "elastic:\${ELASTIC_PASSWORD}" -H 'Content-Type: application/json' -X ${method} "${esUrl}${path}" -d "${body}"`;
  const role = JSON.stringify({
    cluster: ["monitor"],
    indices: [{ names: [`${indexPrefix}-*`], privileges: ["create_index", "create_doc", "auto_configure"] }],
  }).replace(/"/g, '\\"');
  return [
    "set -eu",
    `until curl -fsS -o /dev/null -u "elastic:\${ELASTIC_PASSWORD}" "${esUrl}/_cluster/health?wait_for_status=yellow&timeout=30s"; do sleep 5; done`,
    call("POST", `/_security/user/${KIBANA_USER}/_password`, '{\\"password\\":\\"${KIBANA_PASSWORD}\\"}'),
    call("PUT", `/_security/role/${SHIPPER_ROLE}`, role),
    call("PUT", `/_security/user/${SHIPPER_USER}`, `{\\"password\\":\\"\${SHIPPER_PASSWORD}\\",\\"roles\\":[\\"${SHIPPER_ROLE}\\"]}`),
    "echo log store users ready",
    "",
  ].join("\n");
}

type Env = k8s.types.input.core.v1.EnvVar;
type Resources = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };

/** The Elasticsearch container: non-root, read-only root (config copied to an emptyDir), probes. */
export function elasticsearchContainer(image: string, heap: string, resources: Resources, passwordEnv: Env): k8s.types.input.core.v1.Container {
  const health = `curl -fsS -o /dev/null -u "elastic:\${ELASTIC_PASSWORD}" "http://localhost:${ES_PORT}/_cluster/health?local=true"`;
  return {
    name: "elasticsearch",
    image,
    ports: [
      { name: "http", containerPort: ES_PORT, protocol: "TCP" },
      { name: "transport", containerPort: 9300, protocol: "TCP" },
    ],
    env: [...Object.entries(elasticsearchSettings(heap)).map(([name, value]) => ({ name, value })), passwordEnv],
    resources,
    startupProbe: { tcpSocket: { port: "http" }, periodSeconds: 10, failureThreshold: 30 },
    readinessProbe: { exec: { command: ["bash", "-c", health] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: "http" }, periodSeconds: 20, failureThreshold: 3 },
    securityContext: restrictedContainer(),
    volumeMounts: [
      { name: "data", mountPath: `${ES_HOME}/data` },
      { name: "config", mountPath: `${ES_HOME}/config` },
      { name: "tmp", mountPath: "/tmp" },
    ],
  };
}

/** Copies the image's config into a writable emptyDir: the entrypoint writes the keystore there at start. */
export function configCopyContainer(image: string): k8s.types.input.core.v1.Container {
  return {
    name: "copy-config",
    image,
    command: ["bash", "-c", `cp -a ${ES_HOME}/config/. /config/`],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    securityContext: restrictedContainer(),
    volumeMounts: [{ name: "config", mountPath: "/config" }],
  };
}
