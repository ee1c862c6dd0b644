// Harbor, the image registry, from the official chart through Helm Chart v4 (its rendered objects are
// Pulumi resources the policy pack sees). Admin password and secret key are generated unless supplied.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type ChartSource, helmChartSource } from "./chartSource";
import { suppliedOrGenerated } from "./credentials";
import { HARBOR_DEFAULTS } from "./defaults";
import { standardLabels } from "./labels";
import { podSecurityNamespace } from "./namespace";
import { keepOptions } from "./protection";

export type HarborExposeType = "ingress" | "clusterIP" | "nodePort" | "loadBalancer";

export interface HarborArgs {
  namespace: string;
  /** Registry host: image references are <host>/<project>/<image>:<tag>. */
  host: string;
  chart: ChartSource;
  expose: { type: HarborExposeType; tls?: boolean; tlsSecretName?: string; ingressClassName?: string };
  /** Default https://<host> (http:// with TLS off). */
  externalURL?: string;
  /** Volume sizes. @default HARBOR_DEFAULTS.persistence, the cluster's default storage class */
  persistence?: { storageClass?: string; registry?: string; jobservice?: string; database?: string; redis?: string; trivy?: string };
  /** External PostgreSQL; the chart's internal database otherwise. */
  externalDatabase?: {
    host: string;
    port: number;
    username: string;
    coreDatabase: string;
    sslmode: string;
    /** The password (a secret), or the name of a Secret in the namespace holding it under `password`. */
    password?: pulumi.Input<string>;
    existingSecret?: string;
  };
  /** External Redis; the chart's internal Redis otherwise. */
  externalRedis?: { addr: string; username?: string; password: pulumi.Input<string> };
  /** @default HARBOR_DEFAULTS.trivy (true) */
  trivy?: boolean;
  /** @default HARBOR_DEFAULTS.metrics (false) */
  metrics?: boolean;
  /** Supplied secrets. @default generated with @pulumi/random */
  adminPassword?: pulumi.Input<string>;
  secretKey?: pulumi.Input<string>;
  /** Protect the generated secrets and the release (its volume claims included) from delete and replace (prod). */
  protect?: boolean;
}

export { HARBOR_DEFAULTS } from "./defaults";

export class Harbor extends pulumi.ComponentResource {
  public readonly externalURL: string;
  /** Only ever a Pulumi secret. */
  public readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: HarborArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:registry:Harbor", name, {}, opts);
    const d = HARBOR_DEFAULTS;
    const tls = args.expose.tls ?? true;
    const keep = keepOptions(this, args.protect);

    // Harbor's password policy wants upper, lower and digits.
    this.adminPassword = suppliedOrGenerated(
      `${name}-admin-password`,
      args.adminPassword,
      { length: d.adminPasswordLength, minUpper: 1, minLower: 1, minNumeric: 1 },
      keep,
    );
    const secretKey = suppliedOrGenerated(`${name}-secret-key`, args.secretKey, { length: d.secretKeyLength }, keep);
    this.externalURL = args.externalURL ?? `${tls ? "https" : "http"}://${args.host}`;

    // The chart's containers run as non-root but do not all set the restricted fields.
    const ns = podSecurityNamespace(
      `${name}-ns`,
      {
        name: args.namespace,
        labels: standardLabels({ name: "harbor", component: "registry" }),
        level: "baseline",
      },
      { parent: this },
    );

    new k8s.helm.v4.Chart(
      `${name}`,
      {
        ...helmChartSource(args.chart, d.chartName),
        namespace: args.namespace,
        values: this.values(args, tls, secretKey),
        // Prod: Pulumi neither deletes nor replaces the release's objects (volume claims included); the
        // claims also carry helm.sh/resource-policy: keep. Transforms could narrow this to the volumes,
        // but they cannot be exercised under mocks, so the whole release is protected.
      },
      keepOptions(this, args.protect, { dependsOn: [ns] }),
    );

    this.registerOutputs({ externalURL: this.externalURL, adminPassword: this.adminPassword });
  }

  private values(args: HarborArgs, tls: boolean, secretKey: pulumi.Output<string>): Record<string, unknown> {
    const d = HARBOR_DEFAULTS;
    const sizes = { ...d.persistence, ...args.persistence };
    const storageClass = args.persistence?.storageClass;
    const claim = (size: string) => ({ size, ...(storageClass ? { storageClass } : {}) });
    const db = args.externalDatabase;
    const redis = args.externalRedis;
    return {
      expose: {
        type: args.expose.type,
        tls: {
          enabled: tls,
          certSource: !tls ? "none" : args.expose.tlsSecretName ? "secret" : "auto",
          ...(args.expose.tlsSecretName ? { secret: { secretName: args.expose.tlsSecretName } } : {}),
          // The generated certificate needs a name when Harbor is not behind an ingress.
          auto: { commonName: args.host },
        },
        ingress: { hosts: { core: args.host }, ...(args.expose.ingressClassName ? { className: args.expose.ingressClassName } : {}) },
      },
      externalURL: this.externalURL,
      persistence: {
        enabled: true,
        // helm.sh/resource-policy: keep on the claims: data outlives the release.
        resourcePolicy: "keep",
        persistentVolumeClaim: {
          registry: claim(sizes.registry),
          jobservice: { jobLog: claim(sizes.jobservice) },
          database: claim(sizes.database),
          redis: claim(sizes.redis),
          trivy: claim(sizes.trivy),
        },
      },
      harborAdminPassword: this.adminPassword,
      secretKey,
      database: db
        ? {
            type: "external",
            external: {
              host: db.host,
              port: String(db.port),
              username: db.username,
              coreDatabase: db.coreDatabase,
              sslmode: db.sslmode,
              ...(db.password !== undefined ? { password: pulumi.secret(db.password) } : { existingSecret: db.existingSecret }),
            },
          }
        : { type: "internal" },
      redis: redis
        ? { type: "external", external: { addr: redis.addr, ...(redis.username ? { username: redis.username } : {}), password: pulumi.secret(redis.password) } }
        : { type: "internal" },
      trivy: { enabled: args.trivy ?? d.trivy },
      metrics: { enabled: args.metrics ?? d.metrics },
    };
  }
}
