// platform:logging — where the node log collector ships container stdout/stderr.
import { z } from "zod";
import { hostname, image, port } from "./primitives";

export const LOG_BACKENDS = ["elasticsearch", "loki", "forward"] as const;

export const loggingSchema = z
  .strictObject({
    /** false: no log collector from this stack (a PR stack leaves the node-wide collector to dev). */
    enabled: z.boolean().default(true),
    backend: z.enum(LOG_BACKENDS),
    host: hostname,
    port: port,
    /** TLS is on unless turned off; verification too. */
    tls: z.boolean().default(true),
    tlsVerify: z.boolean().default(true),
    /** Basic-auth user for elasticsearch/loki; its password is the secret `platform:loggingPassword`. */
    user: z.string().min(1).optional(),
    /** Elasticsearch index prefix / Loki tenant. */
    index: z.string().min(1).default("kubernetes"),
    namespace: z.string().min(1).default("logging"),
    /** fluent-bit image; prod mirrors it into its own registry, pinned by digest. */
    image: image.optional(),
  })
  .superRefine((l, ctx) => {
    if (l.backend === "forward" && l.user) {
      ctx.addIssue({ code: "custom", path: ["user"], message: "forward uses a shared key (platform:loggingPassword), not a user" });
    }
  });

export type LoggingConfig = z.infer<typeof loggingSchema>;
