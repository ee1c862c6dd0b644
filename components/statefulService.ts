// A stateful service with stable identity: StatefulSet, headless Service (per-pod DNS), client
// Service, a volume per pod that outlives scale-down and deletion, and generated credentials.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { STATEFUL_DEFAULTS } from "./defaults";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { suppliedOrGenerated } from "./credentials";
import { restrictedContainer, volumeOwnerPod } from "./podSecurity";
import { keepOptions } from "./protection";
import { KEEP_CLAIMS } from "./statefulParts";
import { appNameProblems, assertNoVerdicts, type Resources } from "./rules";

export interface StatefulServiceArgs {
  name: string;
  namespace: pulumi.Input<string>;
  image: string;
  /** @default STATEFUL_DEFAULTS.replicas (1) */
  replicas?: number;
  port: number;
  /** accessModes @default STATEFUL_DEFAULTS.accessModes (ReadWriteOnce) */
  storage: { size: string; storageClass?: string; accessModes?: string[] };
  /** Where the volume is mounted in the container. */
  dataPath: string;
  /** @default STATEFUL_DEFAULTS.podManagementPolicy ("OrderedReady") */
  podManagementPolicy?: "OrderedReady" | "Parallel";
  /** Pods with an ordinal below this keep the old revision during a rolling update (canary). @default 0 */
  partition?: number;
  /** The uid the image runs as; also the volume's fsGroup so it can write its data. */
  runAsUser: number;
  resources: Resources;
  /** Plain, non-secret settings (e.g. PGDATA pointing below the mount, away from lost+found). */
  env?: Record<string, string>;
  /** Env var names the image reads its credentials from (e.g. POSTGRES_USER / POSTGRES_PASSWORD). */
  credentialEnv: { user: string; password: string };
  /** @default STATEFUL_DEFAULTS.user ("app") */
  user?: string;
  /** Supplied password (a secret). @default generated with @pulumi/random (STATEFUL_DEFAULTS.passwordLength) */
  password?: pulumi.Input<string>;
  serviceAccountName?: pulumi.Input<string>;
  /** Never replace or delete through Pulumi (prod). */
  protect?: boolean;
  partOf?: string;
}

export { STATEFUL_DEFAULTS } from "./defaults";

export class StatefulService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly headlessServiceName: pulumi.Output<string>;
  /** Secret with PGHOST-style connection keys, for apps to reference with envFrom. */
  public readonly credentialsSecretName: pulumi.Output<string>;

  constructor(name: string, args: StatefulServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:StatefulService", name, {}, opts);
    const app = args.name;
    assertNoVerdicts(`StatefulService ${app}`, appNameProblems(app, "stateful"));
    const selector = selectorLabels({ name: app });
    const labels = standardLabels({ name: app, component: "database", partOf: args.partOf });
    const podLabels = { ...labels, "app.kubernetes.io/version": imageVersion(args.image) };
    const meta = (n: string) => ({ name: n, namespace: args.namespace, labels });
    const keep = keepOptions(this, args.protect);

    const password = suppliedOrGenerated(`${name}-password`, args.password, { length: STATEFUL_DEFAULTS.passwordLength }, keep);
    const user = args.user ?? STATEFUL_DEFAULTS.user;
    const host = pulumi.interpolate`${app}.${args.namespace}.svc.cluster.local`;
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: meta(`${app}-credentials`),
        type: "Opaque",
        // libpq-style names: a client app can take them all with envFrom.
        stringData: { PGHOST: host, PGPORT: String(args.port), PGUSER: user, PGPASSWORD: password, PGDATABASE: app },
      },
      keep,
    );

    const headless = new k8s.core.v1.Service(
      `${name}-headless`,
      {
        metadata: meta(`${app}-headless`),
        spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: [{ name: "db", port: args.port, targetPort: "db", protocol: "TCP" }] },
      },
      { parent: this },
    );
    const client = new k8s.core.v1.Service(
      `${name}`,
      {
        metadata: meta(app),
        spec: { type: "ClusterIP", selector, ports: [{ name: "db", port: args.port, targetPort: "db", protocol: "TCP" }] },
      },
      { parent: this },
    );

    const secretEnv = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: credentials.metadata.name, key } } });
    new k8s.apps.v1.StatefulSet(
      `${name}`,
      {
        metadata: meta(app),
        spec: {
          serviceName: headless.metadata.name,
          replicas: args.replicas ?? STATEFUL_DEFAULTS.replicas,
          selector: { matchLabels: selector },
          podManagementPolicy: args.podManagementPolicy ?? STATEFUL_DEFAULTS.podManagementPolicy,
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: args.partition ?? STATEFUL_DEFAULTS.partition } },
          // Volumes are data: they stay when the set scales down or is deleted.
          persistentVolumeClaimRetentionPolicy: KEEP_CLAIMS,
          template: {
            metadata: { labels: podLabels },
            spec: {
              serviceAccountName: args.serviceAccountName,
              automountServiceAccountToken: false,
              securityContext: volumeOwnerPod(args.runAsUser),
              containers: [
                {
                  name: app,
                  image: args.image,
                  ports: [{ name: "db", containerPort: args.port, protocol: "TCP" }],
                  env: [
                    ...Object.entries(args.env ?? {}).map(([n, value]) => ({ name: n, value })),
                    secretEnv(args.credentialEnv.user, "PGUSER"),
                    secretEnv(args.credentialEnv.password, "PGPASSWORD"),
                  ],
                  resources: args.resources,
                  readinessProbe: { tcpSocket: { port: "db" }, periodSeconds: 5, failureThreshold: 3 },
                  livenessProbe: { tcpSocket: { port: "db" }, initialDelaySeconds: 30, periodSeconds: 15, failureThreshold: 4 },
                  // The image writes only to its data volume and /tmp, /var/run (emptyDirs below).
                  securityContext: restrictedContainer(),
                  volumeMounts: [
                    { name: "data", mountPath: args.dataPath },
                    { name: "tmp", mountPath: "/tmp" },
                    { name: "run", mountPath: "/var/run" },
                  ],
                },
              ],
              volumes: [
                { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                { name: "run", emptyDir: { sizeLimit: "16Mi" } },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels },
              spec: {
                accessModes: args.storage.accessModes ?? STATEFUL_DEFAULTS.accessModes,
                storageClassName: args.storage.storageClass,
                resources: { requests: { storage: args.storage.size } },
              },
            },
          ],
        },
      },
      keep,
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}`,
      {
        metadata: meta(app),
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      { parent: this },
    );

    this.serviceName = client.metadata.name;
    this.headlessServiceName = headless.metadata.name;
    this.credentialsSecretName = credentials.metadata.name;
    this.registerOutputs({ serviceName: this.serviceName, headlessServiceName: this.headlessServiceName, credentialsSecretName: this.credentialsSecretName });
  }
}
