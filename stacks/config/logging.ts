// platform:logging — where the node log collector ships container stdout/stderr.
import { z } from "zod";
import { dnsLabel, hostname, labelledImage, port } from "./primitives";
import { LOG_DEFAULTS } from "../../components/defaults";
import { logStoreSchema } from "./logStore";
import { ALWAYS, field } from "./salvage";

export const LOG_BACKENDS = ["elasticsearch", "loki", "forward"] as const;

export const loggingSchema = z
  .strictObject({
    /** false: no log collector from this stack (a PR stack leaves the node-wide collector to dev). */
    enabled: z.boolean().default(true),
    backend: z.enum(LOG_BACKENDS),
    /** Required unless logging.store.inCluster (then derived): checked in logStore.ts. */
    host: hostname.optional(),
    port: port.optional(),
    /** TLS is on unless turned off; verification too. */
    tls: z.boolean().default(LOG_DEFAULTS.tls),
    tlsVerify: z.boolean().default(LOG_DEFAULTS.tlsVerify),
    /** Basic-auth user for elasticsearch/loki; its password is the secret `platform:loggingPassword`. */
    user: z.string().min(1).optional(),
    /** Elasticsearch index prefix / Loki tenant. */
    index: z.string().min(1).default(LOG_DEFAULTS.index),
    /** The log collector's own namespace (a DNS label: it is a Namespace name). */
    namespace: dnsLabel.default(LOG_DEFAULTS.namespace),
    /** fluent-bit image; prod mirrors it into its own registry, pinned by digest. */
    image: labelledImage.optional(),
    /** The in-cluster Elasticsearch + Kibana for dev (logStore.ts). */
    store: logStoreSchema.optional(),
  })
  .superRefine((l, ctx) => {
    if (field(l, "backend") === "forward" && field(l, "user") !== undefined) {
      ctx.addIssue({ code: "custom", path: ["user"], message: "forward uses a shared key (platform:loggingPassword), not a user" });
    }
  }, ALWAYS);
