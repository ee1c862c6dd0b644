// A fluent-bit DaemonSet: reads every container's stdout/stderr from the node and ships it.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOG_DEFAULTS } from "./defaults";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { nodeAgentAccess } from "./nodeAgent";

export type LogBackend = "elasticsearch" | "loki" | "forward";

export interface LogCollectorArgs {
  backend: LogBackend;
  host: string;
  port: number;
  /** @default LOG_DEFAULTS.tls (true) */
  tls?: boolean;
  /** @default LOG_DEFAULTS.tlsVerify (true) */
  tlsVerify?: boolean;
  /** Basic-auth user (elasticsearch, loki). */
  user?: string;
  /** Basic-auth password, or the forward shared key. Stored in a Secret, never in the ConfigMap. */
  password?: pulumi.Input<string>;
  /** Elasticsearch index prefix, or the Loki tenant label. @default LOG_DEFAULTS.index ("kubernetes") */
  index?: string;
  /** @default LOG_DEFAULTS.namespace ("logging") */
  namespace?: string;
  /** @default LOG_DEFAULTS.image */
  image?: string;
}

export { LOG_DEFAULTS } from "./defaults";

const CREDENTIAL_ENV = "LOG_BACKEND_PASSWORD";

/** One `Key value` line of a fluent-bit section, keys padded so the values line up. */
const setting = ([key, value]: [string, string | number]) => `    ${key.padEnd(14)} ${value}`;

/** The fluent-bit [OUTPUT] section for a backend. Credentials are referenced by env var, never inlined. */
export function outputSection(a: LogCollectorArgs): string {
  const tls = a.tls ?? LOG_DEFAULTS.tls;
  const index = a.index ?? LOG_DEFAULTS.index;
  const credential = `\${${CREDENTIAL_ENV}}`;
  // Per backend: fluent-bit's plugin, its own settings, and its keys for the basic-auth user and the credential.
  const backends: Record<LogBackend, { plugin: string; own: [string, string][]; userKey?: string; secret: [string, string][] }> = {
    elasticsearch: {
      plugin: "es",
      own: [
        ["Logstash_Format", "On"],
        ["Logstash_Prefix", index],
        ["Suppress_Type_Name", "On"],
        ["Replace_Dots", "On"],
      ],
      userKey: "HTTP_User",
      secret: [["HTTP_Passwd", credential]],
    },
    loki: {
      plugin: "loki",
      own: [
        ["tenant_id", index],
        ["labels", "job=fluent-bit"],
        ["auto_kubernetes_labels", "on"],
      ],
      userKey: "http_user",
      secret: [["http_passwd", credential]],
    },
    forward: {
      plugin: "forward",
      own: [],
      secret: [
        ["Shared_Key", credential],
        ["Self_Hostname", "${NODE_NAME}"],
      ],
    },
  };
  const b = backends[a.backend];
  const settings: [string, string | number][] = [
    ["Name", b.plugin],
    ["Match", "kube.*"],
    ["Host", a.host],
    ["Port", a.port],
    ["tls", tls ? "On" : "Off"],
    ["tls.verify", tls && (a.tlsVerify ?? LOG_DEFAULTS.tlsVerify) ? "On" : "Off"],
    ["Retry_Limit", "False"],
    ...b.own,
    ...(b.userKey && a.user ? [[b.userKey, a.user] as [string, string]] : []),
    ...(a.password !== undefined ? b.secret : []),
  ];
  return ["[OUTPUT]", ...settings.map(setting)].join("\n");
}

export function fluentBitConfig(a: LogCollectorArgs): string {
  return [
    "[SERVICE]",
    "    Flush          1",
    "    Log_Level      info",
    "    Daemon         off",
    "    Parsers_File   /fluent-bit/etc/parsers.conf",
    "    HTTP_Server    On",
    "    HTTP_Listen    0.0.0.0",
    `    HTTP_Port      ${LOG_DEFAULTS.httpPort}`,
    "    Health_Check   On",
    "",
    "[INPUT]",
    "    Name              tail",
    "    Tag               kube.*",
    "    Path              /var/log/containers/*.log",
    "    multiline.parser  cri, docker",
    "    DB                /var/fluent-bit/state/tail.db",
    "    Mem_Buf_Limit     16MB",
    "    Skip_Long_Lines   On",
    "    Refresh_Interval  10",
    "",
    "[FILTER]",
    "    Name                kubernetes",
    "    Match               kube.*",
    "    Kube_URL            https://kubernetes.default.svc:443",
    "    Merge_Log           On",
    "    Keep_Log            Off",
    "    K8S-Logging.Parser  On",
    "    K8S-Logging.Exclude On",
    "",
    outputSection(a),
    "",
  ].join("\n");
}

export class LogCollector extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly daemonSetName: pulumi.Output<string>;

  constructor(name: string, args: LogCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:logging:LogCollector", name, {}, opts);
    const namespace = args.namespace ?? LOG_DEFAULTS.namespace;
    const image = args.image ?? LOG_DEFAULTS.image;
    const labels = standardLabels({ name: "fluent-bit", component: "log-collector", version: imageVersion(image) });
    const meta = { name: "fluent-bit", namespace, labels };

    // Reading the node's log directory needs hostPath, which only the privileged level admits.
    // The kubernetes filter enriches records with pod and namespace metadata: read-only access.
    const agent = nodeAgentAccess(
      {
        resourceNames: { namespace: `${name}-ns`, serviceAccount: `${name}-sa`, grant: `${name}-reader` },
        meta,
        roleName: "fluent-bit-read",
        rules: [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }],
      },
      this,
    );
    const inNs = agent.inNamespace;

    const conf = fluentBitConfig(args);
    const config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta, data: { "fluent-bit.conf": conf } }, inNs);

    let credentials: k8s.core.v1.Secret | undefined;
    if (args.password !== undefined) {
      credentials = new k8s.core.v1.Secret(
        `${name}-credentials`,
        {
          metadata: { ...meta, name: "fluent-bit-backend" },
          type: "Opaque",
          stringData: { password: pulumi.secret(args.password) },
        },
        inNs,
      );
    }

    const port = LOG_DEFAULTS.httpPort;
    const ds = new k8s.apps.v1.DaemonSet(
      `${name}-ds`,
      {
        metadata: meta,
        spec: {
          selector: { matchLabels: selectorLabels({ name: "fluent-bit" }) },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
          template: {
            metadata: { labels, annotations: { "checksum/config": crypto.createHash("sha256").update(conf).digest("hex") } },
            spec: {
              serviceAccountName: agent.serviceAccount.metadata.name,
              priorityClassName: "system-node-critical",
              // Every node, including tainted control-plane nodes, has logs to ship.
              tolerations: [{ operator: "Exists" }],
              terminationGracePeriodSeconds: 30,
              containers: [
                {
                  name: "fluent-bit",
                  image,
                  args: ["--config=/fluent-bit/etc/conf/fluent-bit.conf"],
                  ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
                  env: [
                    { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                    ...(credentials ? [{ name: CREDENTIAL_ENV, valueFrom: { secretKeyRef: { name: credentials.metadata.name, key: "password" } } }] : []),
                  ],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                  // Root only to read root-owned log files; no capabilities, no escalation, read-only image.
                  securityContext: {
                    runAsUser: 0,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                  },
                  livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
                  readinessProbe: { httpGet: { path: "/api/v1/health", port: "http" }, periodSeconds: 10 },
                  volumeMounts: [
                    { name: "config", mountPath: "/fluent-bit/etc/conf", readOnly: true },
                    { name: "varlog", mountPath: "/var/log", readOnly: true },
                    { name: "docker-containers", mountPath: "/var/lib/docker/containers", readOnly: true },
                    { name: "state", mountPath: "/var/fluent-bit/state" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: config.metadata.name } },
                { name: "varlog", hostPath: { path: "/var/log" } },
                { name: "docker-containers", hostPath: { path: "/var/lib/docker/containers" } },
                // Tail positions survive container restarts; host paths stay read-only.
                { name: "state", emptyDir: { sizeLimit: "64Mi" } },
              ],
            },
          },
        },
      },
      inNs,
    );

    this.namespace = agent.namespace.metadata.name;
    this.daemonSetName = ds.metadata.name;
    this.registerOutputs({ namespace: this.namespace, daemonSetName: this.daemonSetName });
  }
}
