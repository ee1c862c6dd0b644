// Typed args for the component tests, one builder per component: every value a test asserts on is
// written here or in the test, never read from a Pulumi.<stack>.yaml. A builder gives a working
// baseline; a test passes only what it changes.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { AdminProcessArgs } from "../../components/adminProcess";
import type { AutoscaledServiceArgs } from "../../components/autoscaledService";
import type { BlueGreenServiceArgs } from "../../components/blueGreenService";
import type { CalicoArgs, ClusterNetworkArgs, FlannelArgs } from "../../components/clusterNetwork";
import type { HarborArgs } from "../../components/harbor";
import type { JenkinsArgs } from "../../components/jenkins";
import type { LogCollectorArgs } from "../../components/logCollector";
import type { LogStoreArgs } from "../../components/logStore";
import type { MonitoringArgs } from "../../components/monitoring";
import type { ScrapeTarget } from "../../components/monitors";
import type { StatefulServiceArgs } from "../../components/statefulService";
import type { TeamNamespaceArgs } from "../../components/teamNamespace";
import type { RegistryCredentials } from "../../components/registry";
import type { Registered } from "../../testing/harness";
import { find } from "../../testing/harness";

/** A fixture: the component's args as a stack would give them, with a test's changes on top. */
function argsOf<T>(base: T): (over?: Partial<T>) => T {
  return (over = {}) => ({ ...base, ...over });
}

/** The repo's pinned plugin list (the component takes its content; the stack reads the file). */
export const JENKINS_PLUGINS = fs.readFileSync("images/jenkins/plugins.txt", "utf8");

/** A team's robot account for a registry host; the password only ever a secret. */
export const robot = (team: string, server: string): RegistryCredentials => ({
  server,
  username: `robot$${team}+ci`,
  password: pulumi.secret(`robot-pw-${team}`),
});

/** Jenkins in its usual namespaces, the pinned plugins, one default agent template, a 10Gi home. */
export const jenkinsArgs = argsOf<JenkinsArgs>({
  namespace: "jenkins",
  agentNamespace: "jenkins-agents",
  plugins: JENKINS_PLUGINS,
  storage: { size: "10Gi" },
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  podTemplates: [{ name: "default" }],
});

/** The Jenkins objects tests look up (the same names whatever built them). */
export const jenkinsController = (rs: Registered[]) => find(rs, "StatefulSet", "jenkins", "jenkins");
export const jenkinsCasc = (rs: Registered[]) => JSON.parse(find(rs, "ConfigMap", "jenkins-casc", "jenkins").inputs.data["jenkins.yaml"]);
export const jenkinsAgentPods = (rs: Registered[]) =>
  jenkinsCasc(rs).jenkins.clouds[0].kubernetes.templates.map((t: any) => ({ ...t, pod: JSON.parse(t.yaml) }));

/** The in-cluster log store as dev runs it: index prefix "dev", the collector in "logging", Kibana open to "ingress". */
export const logStoreArgs = argsOf<LogStoreArgs>({ indexPrefix: "dev", collectorNamespace: "logging", allowIngressFrom: ["ingress"] });

/** Flannel on 10.244.0.0/16 (its documented defaults unless given). */
export const flannelNetwork = (flannel: FlannelArgs = {}): ClusterNetworkArgs => ({ cni: "flannel", podCidr: "10.244.0.0/16", flannel });

/** Calico on 10.244.0.0/16 from a local operator chart, unless `calico` says otherwise. */
export const calicoNetwork = (calico: Partial<CalicoArgs> = {}): ClusterNetworkArgs => ({
  cni: "calico",
  podCidr: "10.244.0.0/16",
  calico: { chart: { path: "./charts/tigera-operator" }, ...calico },
});

/** A team like dev's payments: baseline Pod Security, a modest quota, editor and viewer groups, ingress allowed in. */
export const teamArgs = argsOf<TeamNamespaceArgs>({
  name: "payments",
  podSecurity: "baseline",
  quota: { cpu: "4", memory: "8Gi", pods: 30, services: 10, persistentVolumeClaims: 5 },
  editors: { groups: ["payments-devs"], users: [] },
  viewers: { groups: ["payments-support"], users: [] },
  allowIngressFrom: ["ingress"],
  networkPolicyEnforced: false,
});

/** fluent-bit shipping to an external Elasticsearch as "shipper" (no password unless given). */
export const logCollectorArgs = argsOf<LogCollectorArgs>({ backend: "elasticsearch", host: "logs.example.com", port: 9243, user: "shipper" });

/** Two scrape targets, one of each kind, in their apps' namespaces. */
export const scrapeTargets: ScrapeTarget[] = [
  { kind: "ServiceMonitor", name: "jenkins", namespace: "jenkins", selector: { "app.kubernetes.io/name": "jenkins" }, port: "http", path: "/prometheus" },
  { kind: "PodMonitor", name: "search-api", namespace: "search", selector: { "app.kubernetes.io/name": "api" }, port: 9090 },
];

/** Monitoring with the Prometheus Operator stack from a pinned chart, as prod runs it. */
export const monitoringArgs = argsOf<MonitoringArgs>({
  targets: scrapeTargets,
  prometheusStack: {
    chart: { repo: "https://prometheus-community.github.io/helm-charts", version: "75.15.0" },
    retention: "15d",
    storage: { size: "100Gi", storageClass: "fast-ssd" },
  },
});

/** Harbor as dev would run it: a pinned chart, clusterIP with a generated certificate, small volumes, internal database and redis, no trivy. */
export const harborArgs = argsOf<HarborArgs>({
  namespace: "harbor",
  host: "harbor.dev.example.com",
  chart: { repo: "https://helm.goharbor.io", version: "1.16.2" },
  expose: { type: "clusterIP" },
  persistence: { registry: "10Gi", jobservice: "1Gi", database: "2Gi", redis: "1Gi", trivy: "2Gi" },
  trivy: false,
});

/** Harbor as prod runs it: behind an ingress with a TLS Secret, a storage class, an external database, trivy and metrics on. */
export const prodHarbor: Partial<HarborArgs> = {
  host: "harbor.prod.example.com",
  expose: { type: "ingress", tlsSecretName: "harbor-tls", ingressClassName: "nginx" },
  persistence: { storageClass: "fast-ssd", registry: "500Gi", jobservice: "5Gi", redis: "5Gi", trivy: "20Gi" },
  externalDatabase: {
    host: "pg.prod.example.com",
    port: 5432,
    username: "harbor",
    coreDatabase: "registry",
    sslmode: "verify-full",
    existingSecret: "harbor-db",
  },
  trivy: true,
  metrics: true,
};

/** A PostgreSQL like search's db: one replica, 100Gi in fast-ssd, uid 999, credentials under Postgres' own env names. */
export const statefulArgs = argsOf<StatefulServiceArgs>({
  name: "db",
  namespace: "search",
  image: "postgres:16.4",
  port: 5432,
  storage: { size: "100Gi", storageClass: "fast-ssd" },
  dataPath: "/var/lib/postgresql/data",
  env: { PGDATA: "/var/lib/postgresql/data/pgdata" },
  runAsUser: 999,
  resources: { requests: { cpu: "1", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
  credentialEnv: { user: "POSTGRES_USER", password: "POSTGRES_PASSWORD" },
});

/** An HTTP API like search's api: 3 to 20 replicas on CPU and memory, env from a ConfigMap and the db's Secret. */
export const autoscaledArgs = argsOf<AutoscaledServiceArgs>({
  name: "api",
  namespace: "search",
  image: "search/api@sha256:" + "0c".repeat(32),
  readinessPath: "/ready",
  livenessPath: "/healthz",
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } },
  minReplicas: 3,
  maxReplicas: 20,
  targetCpuUtilization: 70,
  targetMemoryUtilization: 80,
  scaleDownStabilizationSeconds: 600,
  envFrom: { configMaps: ["api-config"], secrets: ["db-credentials"] },
  serviceAccountName: "search-workload",
});

/** A blue-green app like payments' web: blue live on 1.4.0, green idle on 1.5.0, two replicas each, env from a ConfigMap. */
export const blueGreenArgs = argsOf<BlueGreenServiceArgs>({
  name: "web",
  namespace: "payments",
  activeColor: "blue",
  images: { blue: "harbor.dev.example.com/payments/web:1.4.0", green: "harbor.dev.example.com/payments/web:1.5.0" },
  replicas: { blue: 2, green: 2 },
  readinessPath: "/ready",
  livenessPath: "/healthz",
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  envFrom: { configMaps: ["web-config"] },
  serviceAccountName: "payments-workload",
});

/** A one-off migration of search's api (add `schedule` for a CronJob): its release, env references and ServiceAccount. */
export const adminProcessArgs = argsOf<AdminProcessArgs>({
  name: "migrate",
  app: "api",
  namespace: "search",
  image: "harbor.dev.example.com/search/api:2.3.1",
  command: ["/app/api", "migrate"],
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  envFrom: { configMaps: ["api-config"], secrets: ["db-credentials"] },
  serviceAccountName: "search-workload",
  activeDeadlineSeconds: 600,
  backoffLimit: 1,
  partOf: "search",
});

/** What dev's `purge-sessions` CronJob runs: its schedule, concurrency, history limits and deadlines. */
export function expectPurgeSessionsCron(spec: any, image: string): void {
  expect(spec).toMatchObject({
    schedule: "30 2 * * *",
    timeZone: "Europe/Berlin",
    suspend: false,
    concurrencyPolicy: "Forbid",
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    startingDeadlineSeconds: 300,
  });
  expect(spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 2, ttlSecondsAfterFinished: 86400 });
  expect(spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({ image, command: ["/app/api", "purge-sessions", "--older-than=720h"] });
}

/** The restricted container context every workload container carries. */
export const RESTRICTED_CONTAINER = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
