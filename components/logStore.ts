// An in-cluster, single-node Elasticsearch + Kibana for dev, so the EFK setup works out of the box.
// Security is on: generated passwords (in one Secret), Kibana and the log shipper as their own users.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOG_STORE_DEFAULTS } from "./defaults";
import * as random from "@pulumi/random";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { configCopyContainer, CREDENTIAL_KEYS, elasticsearchContainer, ES_PORT, KIBANA_PORT, KIBANA_USER, setupScript, SHIPPER_USER } from "./logStoreParts";
import { podSecurityNamespace } from "./namespace";
import { keepOptions } from "./protection";
import { restrictedContainer } from "./podSecurity";
import { claimTemplate, singleReplicaSetSpec } from "./statefulParts";
import type { Resources } from "./rules";

export interface LogStoreArgs {
  /** @default "log-store" */
  namespace?: string;
  /** @default LOG_STORE_DEFAULTS.images (official images, pinned by tag) */
  images?: { elasticsearch?: string; kibana?: string };
  /** The data volume (volume claim template `data`); changing it later needs a manual resize. @default 10Gi, cluster default class */
  storage?: { size?: string; storageClass?: string };
  /** JVM heap, at most half the memory limit. @default "1g" */
  heap?: string;
  /** Elasticsearch's container. @default 500m/2Gi requests, 2/2Gi limits */
  resources?: Resources;
  /** @default true */
  kibana?: boolean;
  /** The index prefix the shipper may write (`<prefix>-*`). @default "kubernetes" */
  indexPrefix?: string;
  /** The log collector's namespace: it may reach Elasticsearch past the NetworkPolicy. @default "logging" */
  collectorNamespace?: string;
  /** Namespaces that may reach Kibana. @default [] */
  allowIngressFrom?: string[];
  /** Never replace or delete the data, its StatefulSet or the credentials through Pulumi. @default false */
  protect?: boolean;
}

export class LogStore extends pulumi.ComponentResource {
  /** Elasticsearch's in-cluster Service host and port, for the log collector. */
  public readonly host: string;
  public readonly port = ES_PORT;
  public readonly shipperUser = SHIPPER_USER;
  /** Only ever a Pulumi secret. */
  public readonly shipperPassword: pulumi.Output<string>;
  public readonly credentialsSecretName: pulumi.Output<string>;
  public readonly kibanaUrl?: string;

  constructor(name: string, args: LogStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:logging:LogStore", name, {}, opts);
    const d = LOG_STORE_DEFAULTS;
    const ns = args.namespace ?? d.namespace;
    const esImage = args.images?.elasticsearch ?? d.images.elasticsearch;
    const kibanaImage = args.images?.kibana ?? d.images.kibana;
    const heap = args.heap ?? d.heap;
    const labels = (app: string, image?: string) => standardLabels({ name: app, component: "log-store", ...(image ? { version: imageVersion(image) } : {}) });
    const meta = (n: string, app = "elasticsearch") => ({ name: n, namespace: ns, labels: labels(app) });
    const keep = keepOptions(this, args.protect);

    const namespace = podSecurityNamespace(`${name}-ns`, { name: ns, labels: labels("log-store"), level: "restricted" }, { parent: this });
    const inNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: [namespace] };

    const generated = (suffix: string) =>
      pulumi.secret(new random.RandomPassword(`${name}-${suffix}`, { length: d.passwordLength, special: false }, keep).result);
    const passwords = {
      elastic: generated("elastic-password"),
      kibana: generated("kibana-password"),
      shipper: generated("shipper-password"),
      kibanaEncryptionKey: generated("kibana-encryption-key"),
    };
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: meta("log-store-credentials", "log-store"),
        type: "Opaque",
        stringData: Object.fromEntries(Object.entries(CREDENTIAL_KEYS).map(([k, key]) => [key, passwords[k as keyof typeof passwords]])),
      },
      { ...keep, dependsOn: [namespace] },
    );
    const fromSecret = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: credentials.metadata.name, key } } });

    const selector = selectorLabels({ name: "elasticsearch" });
    const headless = new k8s.core.v1.Service(
      `${name}-headless`,
      {
        metadata: meta("elasticsearch-headless"),
        spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: [{ name: "http", port: ES_PORT, targetPort: "http", protocol: "TCP" }] },
      },
      inNs,
    );
    new k8s.core.v1.Service(
      `${name}-es`,
      {
        metadata: meta("elasticsearch"),
        spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: ES_PORT, targetPort: "http", protocol: "TCP" }] },
      },
      inNs,
    );
    this.host = `elasticsearch.${ns}.svc.cluster.local`;

    const podSecurity = {
      runAsNonRoot: true,
      runAsUser: d.uid,
      runAsGroup: 0,
      fsGroup: d.uid,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    };
    const emptyDir = (n: string, sizeLimit: string) => ({ name: n, emptyDir: { sizeLimit } });
    const sts = new k8s.apps.v1.StatefulSet(
      `${name}-es`,
      {
        metadata: meta("elasticsearch"),
        spec: singleReplicaSetSpec({
          serviceName: headless.metadata.name,
          selector,
          template: {
            metadata: { labels: labels("elasticsearch", esImage) },
            spec: {
              automountServiceAccountToken: false,
              securityContext: podSecurity,
              initContainers: [configCopyContainer(esImage)],
              containers: [elasticsearchContainer(esImage, heap, args.resources ?? d.resources, fromSecret("ELASTIC_PASSWORD", CREDENTIAL_KEYS.elastic))],
              volumes: [emptyDir("config", "64Mi"), emptyDir("tmp", "1Gi")],
            },
          },
          // The claim template is immutable: a size or class edit would replace the set. Never from config;
          // resize the claim by hand instead (README, "Log store").
          claims: [claimTemplate("data", labels("elasticsearch"), { size: args.storage?.size ?? d.storage.size, storageClass: args.storage?.storageClass })],
        }),
      },
      { ...keep, dependsOn: [namespace], ignoreChanges: ["spec.volumeClaimTemplates"] },
    );

    // Sets Kibana's and the shipper's passwords once Elasticsearch answers (the image has bash and curl).
    const esUrl = `http://elasticsearch.${ns}.svc:${ES_PORT}`;
    const script = setupScript(esUrl, args.indexPrefix ?? d.indexPrefix);
    new k8s.batch.v1.Job(
      `${name}-setup`,
      {
        metadata: {
          ...meta("log-store-setup", "log-store-setup"),
          annotations: { "checksum/script": crypto.createHash("sha256").update(script).digest("hex") },
        },
        spec: {
          backoffLimit: 10,
          activeDeadlineSeconds: 1800,
          template: {
            metadata: { labels: labels("log-store-setup", esImage) },
            spec: {
              restartPolicy: "OnFailure",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: d.uid, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "setup",
                  image: esImage,
                  command: ["bash", "-c", script],
                  env: [
                    fromSecret("ELASTIC_PASSWORD", CREDENTIAL_KEYS.elastic),
                    fromSecret("KIBANA_PASSWORD", CREDENTIAL_KEYS.kibana),
                    fromSecret("SHIPPER_PASSWORD", CREDENTIAL_KEYS.shipper),
                  ],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                  securityContext: restrictedContainer(),
                },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: [namespace, sts] },
    );

    const kibanaSelector = selectorLabels({ name: "kibana" });
    if (args.kibana ?? d.kibana) {
      new k8s.core.v1.Service(
        `${name}-kibana`,
        {
          metadata: meta("kibana", "kibana"),
          spec: { type: "ClusterIP", selector: kibanaSelector, ports: [{ name: "http", port: KIBANA_PORT, targetPort: "http", protocol: "TCP" }] },
        },
        inNs,
      );
      new k8s.apps.v1.Deployment(
        `${name}-kibana`,
        {
          metadata: meta("kibana", "kibana"),
          spec: {
            replicas: 1,
            selector: { matchLabels: kibanaSelector },
            template: {
              metadata: { labels: labels("kibana", kibanaImage) },
              spec: {
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: d.uid, runAsGroup: 0, fsGroup: d.uid, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: "kibana",
                    image: kibanaImage,
                    ports: [{ name: "http", containerPort: KIBANA_PORT, protocol: "TCP" }],
                    env: [
                      { name: "ELASTICSEARCH_HOSTS", value: esUrl },
                      { name: "ELASTICSEARCH_USERNAME", value: KIBANA_USER },
                      fromSecret("ELASTICSEARCH_PASSWORD", CREDENTIAL_KEYS.kibana),
                      fromSecret("XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY", CREDENTIAL_KEYS.kibanaEncryptionKey),
                    ],
                    resources: d.kibanaResources,
                    // /login answers 200 once Kibana is up (503 while it waits for Elasticsearch).
                    readinessProbe: { httpGet: { path: "/login", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
                    livenessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 3 },
                    securityContext: restrictedContainer(),
                    volumeMounts: [
                      { name: "data", mountPath: "/usr/share/kibana/data" },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                  },
                ],
                volumes: [emptyDir("data", "256Mi"), emptyDir("tmp", "256Mi")],
              },
            },
          },
        },
        inNs,
      );
      this.kibanaUrl = `http://kibana.${ns}.svc.cluster.local:${KIBANA_PORT}/`;
    }

    // Only the collector (and the store's own pods) reach Elasticsearch; Kibana from allowed namespaces.
    const fromNamespace = (n: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress`,
      {
        metadata: meta("log-store-ingress", "log-store"),
        spec: {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [
            { from: [{ podSelector: {} }] },
            { from: [fromNamespace(args.collectorNamespace ?? d.collectorNamespace)], ports: [{ protocol: "TCP", port: ES_PORT }] },
            ...((args.allowIngressFrom ?? []).length > 0
              ? [{ from: args.allowIngressFrom!.map(fromNamespace), ports: [{ protocol: "TCP", port: KIBANA_PORT }] }]
              : []),
          ],
        },
      },
      inNs,
    );

    this.shipperPassword = passwords.shipper;
    this.credentialsSecretName = credentials.metadata.name;
    this.registerOutputs({ host: this.host, port: this.port, credentialsSecretName: this.credentialsSecretName, kibanaUrl: this.kibanaUrl });
  }
}

export { LOG_STORE_DEFAULTS } from "./defaults";
