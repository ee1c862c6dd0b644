// platform:logging.store — an in-cluster, single-node Elasticsearch + Kibana for dev, so the EFK
// setup works out of the box. Prod ships to an external store (logging.host/port).
import { z } from "zod";
import { LOG_STORE_DEFAULTS } from "../../components/defaults";
import { dnsLabel, hostname, labelledImage, pinnedByDigest, port, quantity } from "./primitives";
import { field, Issue, items, text, valid } from "./salvage";

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });

export const logStoreSchema = z.strictObject({
  /** true: deploy the store and point the log collector at it (host, port and credentials are derived). */
  inCluster: z.boolean(),
  namespace: dnsLabel.default(LOG_STORE_DEFAULTS.namespace),
  images: z.strictObject({ elasticsearch: labelledImage.optional(), kibana: labelledImage.optional() }).default({}),
  storage: z
    .strictObject({ size: quantity.default(LOG_STORE_DEFAULTS.storage.size), storageClass: z.string().min(1).optional() })
    .default({ size: LOG_STORE_DEFAULTS.storage.size }),
  /** JVM heap (-Xms/-Xmx), at most half the memory limit. */
  heap: z
    .string()
    .regex(/^\d+[mg]$/, { error: 'expected a JVM size like "1g" or "512m"' })
    .default(LOG_STORE_DEFAULTS.heap),
  resources: z.strictObject({ requests: cpuMemory, limits: cpuMemory }).optional(),
  kibana: z.boolean().default(true),
  /** Namespaces that may reach Kibana (5601) past the store's NetworkPolicy. */
  allowIngressFrom: z.array(dnsLabel).default([]),
  /** Prod only: the team knows this is one node with no replica and no snapshots (a warning remains). */
  acknowledgeSingleNode: z.boolean().default(false),
});

export type LogStoreConfig = z.infer<typeof logStoreSchema>;

const HOW = 'mirror it into the prod registry and use "<registry>/<repository>@sha256:<digest>"';

/** True when config asks for the in-cluster store. */
export function inClusterStore(logging: unknown): boolean {
  return field(field(logging, "store"), "inCluster") === true;
}

/** Rules between logging, the store, the environment and the teams, on config as far as it parsed. */
export function checkLogStore(c: unknown, issue: Issue): void {
  const logging = field(c, "logging");
  if (logging === undefined) return;
  if (!inClusterStore(logging)) {
    // Without the in-cluster store the collector needs somewhere to ship to (when there is one).
    if (field(logging, "enabled") === false) return;
    if (field(logging, "host") === undefined) issue(["logging", "host"], "is required (expected string)");
    if (field(logging, "port") === undefined) issue(["logging", "port"], "is required (expected number)");
    return;
  }
  const store = field(logging, "store");
  const backend = text(logging, "backend");
  if (backend !== undefined && backend !== "elasticsearch") {
    issue(
      ["logging", "backend"],
      `the in-cluster store (logging.store.inCluster: true) is Elasticsearch; set backend: elasticsearch, or ship "${backend}" to an external host`,
    );
  }
  // Only a value that is valid on its own: an invalid one has its own message already.
  for (const [key, schema] of [
    ["host", hostname],
    ["port", port],
    ["user", z.string().min(1)],
  ] as const) {
    if (valid(schema, field(logging, key)) !== undefined)
      issue(["logging", key], "is derived from the in-cluster store when logging.store.inCluster is true; remove it");
  }
  if (field(c, "loggingPassword") !== undefined) {
    issue(["loggingPassword"], "the in-cluster store's credentials are generated (logging.store.inCluster is true); remove platform:loggingPassword");
  }
  const ns = text(store, "namespace") ?? LOG_STORE_DEFAULTS.namespace;
  if (ns === (text(logging, "namespace") ?? "logging")) {
    issue(["logging", "store", "namespace"], `"${ns}" is the log collector's namespace (privileged, for host paths); the store needs its own`);
  }
  items(field(c, "teams")).forEach((t, i) => {
    if (text(t, "name") === ns) issue(["teams", i, "name"], `"${ns}" is the in-cluster log store's namespace`);
  });
  if (field(c, "environment") !== "prod") return;
  if (field(store, "acknowledgeSingleNode") !== true) {
    issue(
      ["logging", "store", "inCluster"],
      "the in-cluster store is a single Elasticsearch node (no replica, no snapshots) meant for dev; prod ships to an external store (logging.host, logging.port), or set logging.store.acknowledgeSingleNode: true",
    );
  }
  const images = field(store, "images");
  for (const [key, fallback] of [
    ["elasticsearch", LOG_STORE_DEFAULTS.images.elasticsearch],
    ["kibana", LOG_STORE_DEFAULTS.images.kibana],
  ] as const) {
    if (key === "kibana" && field(store, "kibana") === false) continue;
    const value = text(images, key);
    if (value === undefined) issue(["logging", "store", "images", key], `is required in prod: the default "${fallback}" is pinned by tag only; ${HOW}`);
    else if (!pinnedByDigest(value) && /[:@]/.test(value))
      issue(["logging", "store", "images", key], `prod pins images by digest, but "${value}" is a tag; ${HOW}`);
  }
}
