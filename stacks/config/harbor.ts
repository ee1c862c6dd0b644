// platform:harbor — the image registry (the official Harbor chart) and how it is exposed and stored.
import { z } from "zod";
import { chartSource } from "./cluster";
import { describe, dnsLabel, hostname, port, quantity } from "./primitives";
import { HARBOR_DEFAULTS } from "../../components/defaults";
import { ALWAYS, field } from "./salvage";

const DB = HARBOR_DEFAULTS.externalDatabase;

export const HARBOR_EXPOSE_TYPES = ["ingress", "clusterIP", "nodePort", "loadBalancer"] as const;

const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v), {
  error: (iss) => `expected an http(s):// URL like "https://harbor.example.com", got ${describe(iss.input)}`,
});

const external = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ type: z.enum(["internal", "external"]).default("internal"), ...shape });

export const harborSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    namespace: dnsLabel.default(HARBOR_DEFAULTS.namespace),
    /** The registry host in image references and team pull secrets: harbor.example.com/<project>/<image>:<tag>. */
    host: hostname,
    /** Required when enabled (checked below): a stack that only pulls from a Harbor elsewhere names just its host. */
    chart: chartSource.optional(),
    expose: z
      .strictObject({
        type: z.enum(HARBOR_EXPOSE_TYPES),
        tls: z.boolean().default(true),
        /** A kubernetes.io/tls Secret in the Harbor namespace; without it the chart generates a certificate. */
        tlsSecretName: dnsLabel.optional(),
        ingressClassName: z.string().min(1).optional(),
      })
      .optional(),
    /** What clients (docker, Kubernetes nodes) use; default https://<host> (http:// with TLS off). */
    externalURL: httpUrl.optional(),
    persistence: z
      .strictObject({
        storageClass: z.string().min(1).optional(),
        registry: quantity.optional(),
        jobservice: quantity.optional(),
        database: quantity.optional(),
        redis: quantity.optional(),
        trivy: quantity.optional(),
      })
      .optional(),
    database: external({
      host: hostname.optional(),
      port: port.default(DB.port),
      username: z.string().min(1).optional(),
      coreDatabase: z.string().min(1).default(DB.coreDatabase),
      sslmode: z.enum(["disable", "require", "verify-ca", "verify-full"]).default(DB.sslmode),
      /** A Secret in the Harbor namespace (key `password`) managed outside this stack, instead of platform:harborDatabasePassword. */
      existingSecret: dnsLabel.optional(),
    }).default({ type: "internal", ...DB }),
    redis: external({
      /** host:port of the external Redis. */
      addr: z
        .string()
        .regex(/^[a-z0-9.-]+:\d{1,5}$/, { error: 'expected "host:port" like "redis.example.com:6379"' })
        .optional(),
      username: z.string().min(1).optional(),
    }).default({ type: "internal" }),
    trivy: z.boolean().default(HARBOR_DEFAULTS.trivy),
    metrics: z.boolean().default(HARBOR_DEFAULTS.metrics),
  })
  .superRefine((h, ctx) => {
    if (field(h, "enabled") !== false) {
      for (const key of ["chart", "expose"] as const) {
        if (field(h, key) === undefined) ctx.addIssue({ code: "custom", path: [key], message: "is required when harbor.enabled is true (the default)" });
      }
    }
    const database = field(h, "database");
    const redis = field(h, "redis");
    const expose = field(h, "expose");
    if (field(database, "type") === "external") {
      for (const key of ["host", "username"] as const) {
        if (field(database, key) === undefined)
          ctx.addIssue({ code: "custom", path: ["database", key], message: "is required when database.type is external" });
      }
    }
    if (field(redis, "type") === "external" && field(redis, "addr") === undefined) {
      ctx.addIssue({ code: "custom", path: ["redis", "addr"], message: "is required when redis.type is external" });
    }
    if (field(expose, "tlsSecretName") !== undefined && field(expose, "tls") === false) {
      ctx.addIssue({ code: "custom", path: ["expose", "tlsSecretName"], message: "only applies when expose.tls is true" });
    }
  }, ALWAYS);
