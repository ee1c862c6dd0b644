// platform:apps — workloads placed into team namespaces: blue-green web services, autoscaled APIs
// and stateful services.
import { z } from "zod";
import { type Color, COLORS, scalingProblems, servingProblems, SPLIT_VIA, splitColors, trafficSplitProblems } from "../../components/rules";
import { BLUE_GREEN_DEFAULTS, HTTP_APP_DEFAULTS, SCALING_DEFAULTS, STATEFUL_DEFAULTS } from "../../components/defaults";
import { count, describe, dnsLabel, hostname, labelledImage, port, quantity, resources } from "./primitives";
import { ALWAYS, field, Issue, reporter, valid } from "./salvage";

/** Fields every app has, whatever its kind. */
const common = {
  name: dnsLabel,
  team: dnsLabel,
  port: port.default(HTTP_APP_DEFAULTS.port),
  readinessPath: z.string().startsWith("/").default(HTTP_APP_DEFAULTS.readinessPath),
  livenessPath: z.string().startsWith("/").default(HTTP_APP_DEFAULTS.livenessPath),
  resources,
  /** Env comes from these ConfigMaps/Secrets by reference, never literal values. */
  envFrom: z.strictObject({ configMaps: z.array(dnsLabel).default([]), secrets: z.array(dnsLabel).default([]) }).default({ configMaps: [], secrets: [] }),
  /** A Prometheus endpoint, scraped by a PodMonitor when platform:monitoring is on; port defaults to the app's. */
  metrics: z.strictObject({ port: port.optional(), path: z.string().startsWith("/").default("/metrics") }).optional(),
};

const percent = z.number().int().min(1).max(100);

/** HPA settings, shared by autoscaled apps and autoscaled blue-green colors. */
const scalingFields = {
  minReplicas: z.number().int().min(1).default(SCALING_DEFAULTS.minReplicas),
  maxReplicas: z.number().int().min(1),
  targetCpuUtilization: percent.optional(),
  targetMemoryUtilization: percent.optional(),
  scaleDownStabilizationSeconds: count.default(SCALING_DEFAULTS.scaleDownStabilizationSeconds),
};

/** The HPA range and targets; fields that are themselves invalid are left to their own messages. */
function checkScaling(a: unknown, issue: Issue, at: PropertyKey[] = []) {
  const verdicts = scalingProblems({
    minReplicas: valid(scalingFields.minReplicas, field(a, "minReplicas")),
    maxReplicas: valid(scalingFields.maxReplicas, field(a, "maxReplicas")),
    targetCpuUtilization: field(a, "targetCpuUtilization"),
    targetMemoryUtilization: field(a, "targetMemoryUtilization"),
  });
  for (const v of verdicts) issue([...at, ...v.at], v.problem);
}

/** A pod count or a percentage of the desired count, as Kubernetes takes them. */
const notCountOrPercent = (iss: { input?: unknown }) => `expected a whole number or a percentage like "25%", got ${describe(iss.input)}`;
const countOrPercent = z
  .union([count, z.string()], { error: notCountOrPercent })
  .refine((v) => typeof v === "number" || /^\d{1,3}%$/.test(v), { error: notCountOrPercent });

const rolloutSchema = z
  .strictObject({ maxSurge: countOrPercent.optional(), maxUnavailable: countOrPercent.optional(), minReadySeconds: count.optional() })
  .refine((r) => !(isZero(field(r, "maxSurge")) && isZero(field(r, "maxUnavailable"))), {
    error: "maxSurge and maxUnavailable cannot both be 0: the rollout could never make progress",
    ...ALWAYS,
  })
  .optional();

function isZero(v: unknown): boolean {
  return v === 0 || v === "0%";
}

const notAWeight = (iss: { input?: unknown }) => `expected a whole percentage from 0 to 100, got ${describe(iss.input)}`;
const weight = z.number({ error: notAWeight }).int({ error: notAWeight }).min(0, { error: notAWeight }).max(100, { error: notAWeight });

export const blueGreenAppSchema = z
  .strictObject({
    ...common,
    kind: z.literal("blueGreen"),
    /** The color that receives traffic. Flip it with `pulumi config set --path platform:apps[i].activeColor green`. */
    activeColor: z.enum(COLORS),
    images: z.strictObject({ blue: labelledImage.optional(), green: labelledImage.optional() }),
    /** Fixed size per color; not allowed with autoscale (the HPA owns the count). */
    replicas: z.strictObject({ blue: count.default(BLUE_GREEN_DEFAULTS.replicas), green: count.default(BLUE_GREEN_DEFAULTS.replicas) }).optional(),
    autoscale: z
      .strictObject(scalingFields)
      .superRefine((a, ctx) => checkScaling(a, reporter(ctx)), ALWAYS)
      .optional(),
    rollout: rolloutSchema,
    /** Scale the inactive color to zero (do it in a separate update after the flip). */
    retireInactive: z.boolean().default(false),
    /** Let this update change the live color's image (a hotfix that skips the preview step). */
    allowLiveUpdate: z.boolean().default(false),
    smokeTest: z
      .strictObject({
        path: z.string().startsWith("/"),
        expectStatus: z.number().int().min(100).max(599).default(BLUE_GREEN_DEFAULTS.smokeTestExpectStatus),
        image: labelledImage.optional(),
      })
      .optional(),
    /** Expose through a Gateway API HTTPRoute. */
    route: z
      .strictObject({
        gateway: z.strictObject({ name: dnsLabel, namespace: dnsLabel, sectionName: z.string().min(1).optional() }),
        hostnames: z.array(hostname).default([]),
        path: z.string().startsWith("/").default(BLUE_GREEN_DEFAULTS.routePath),
      })
      .optional(),
    /** A gradual shift: one color's percent of the traffic, e.g. `{green: 10}`, weighted by the route or by Istio. */
    trafficSplit: z.strictObject({ blue: weight.optional(), green: weight.optional(), via: z.enum(SPLIT_VIA).default("gateway") }).optional(),
  })
  .superRefine((a, ctx) => checkBlueGreen(a, reporter(ctx)), ALWAYS);

/** Which colors get traffic, and whether each has an image and pods to serve it. */
function checkBlueGreen(a: unknown, issue: Issue) {
  const autoscale = field(a, "autoscale");
  const replicas = field(a, "replicas");
  const route = field(a, "route");
  const retire = field(a, "retireInactive") === true;
  if (replicas !== undefined && autoscale !== undefined) issue(["replicas"], "remove replicas: with autoscale the HPA owns each color's pod count");
  const split = field(a, "trafficSplit");
  const via = split && typeof split === "object" ? field(split, "via") : undefined;
  for (const v of trafficSplitProblems(split, route !== undefined || via === "istio")) issue(v.at, v.problem);
  const colors = splitColors(split);
  if (split !== undefined && colors.length !== 1) return;
  const activeColor = valid(z.enum(COLORS), field(a, "activeColor"));
  const splitColor = colors[0] as Color | undefined;
  const splitWeight = splitColor ? valid(weight, field(split, splitColor)) : undefined;
  // Without a valid active color (or a valid split), who gets traffic is unknown: its own message says why.
  if (!activeColor || (splitColor && (splitWeight === undefined || !COLORS.includes(splitColor)))) return;
  const verdicts = servingProblems({
    activeColor,
    trafficSplit: splitColor ? { [splitColor]: splitWeight } : undefined,
    images: { blue: field(field(a, "images"), "blue"), green: field(field(a, "images"), "green") },
    replicas: { blue: field(replicas, "blue"), green: field(replicas, "green") },
    autoscaled: autoscale !== undefined,
    retireInactive: retire,
  });
  for (const v of verdicts) issue(v.at, v.problem);
}

export const autoscaledAppSchema = z
  .strictObject({
    ...common,
    kind: z.literal("autoscaled"),
    image: labelledImage,
    ...scalingFields,
    rollout: rolloutSchema,
  })
  .superRefine((a, ctx) => checkScaling(a, reporter(ctx)), ALWAYS);

export const statefulAppSchema = z.strictObject({
  ...common,
  kind: z.literal("stateful"),
  image: labelledImage,
  replicas: z.number().int().min(1).default(STATEFUL_DEFAULTS.replicas),
  storage: z.strictObject({
    size: quantity,
    storageClass: z.string().min(1).optional(),
    accessModes: z
      .array(z.enum(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"]))
      .min(1)
      .default(STATEFUL_DEFAULTS.accessModes),
  }),
  dataPath: z.string().startsWith("/"),
  podManagementPolicy: z.enum(["OrderedReady", "Parallel"]).default(STATEFUL_DEFAULTS.podManagementPolicy),
  partition: count.default(STATEFUL_DEFAULTS.partition),
  runAsUser: z.number().int().min(1, { error: "must not be 0: stateful services run as non-root" }),
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).default({}),
  credentialEnv: z.strictObject({ user: z.string().min(1), password: z.string().min(1) }),
  user: z.string().min(1).default(STATEFUL_DEFAULTS.user),
});

export const appSchema = z.discriminatedUnion("kind", [blueGreenAppSchema, autoscaledAppSchema, statefulAppSchema]);
export const appsSchema = z.array(appSchema).default([]);
