// platform:apps — workloads placed into team namespaces: blue-green web services, autoscaled APIs
// and stateful services.
import { z } from "zod";
import { trafficOf } from "../../components/blueGreenService";
import { count, describe, dnsLabel, hostname, image, port, quantity } from "./primitives";

export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });

/** Fields every app has, whatever its kind. */
const common = {
  name: dnsLabel,
  team: dnsLabel,
  port: port.default(8080),
  readinessPath: z.string().startsWith("/").default("/ready"),
  livenessPath: z.string().startsWith("/").default("/healthz"),
  resources: z.strictObject({ requests: cpuMemory, limits: cpuMemory }),
  /** Env comes from these ConfigMaps/Secrets by reference, never literal values. */
  envFrom: z.strictObject({ configMaps: z.array(dnsLabel).default([]), secrets: z.array(dnsLabel).default([]) }).default({ configMaps: [], secrets: [] }),
};

const percent = z.number().int().min(1).max(100);

/** HPA settings, shared by autoscaled apps and autoscaled blue-green colors. */
const scalingFields = {
  minReplicas: z.number().int().min(1).default(2),
  maxReplicas: z.number().int().min(1),
  targetCpuUtilization: percent.optional(),
  targetMemoryUtilization: percent.optional(),
  scaleDownStabilizationSeconds: count.default(300),
};

function checkScaling(a: { minReplicas: number; maxReplicas: number; targetCpuUtilization?: number; targetMemoryUtilization?: number }, ctx: z.RefinementCtx, at: PropertyKey[] = []) {
  if (a.maxReplicas < a.minReplicas) {
    ctx.addIssue({ code: "custom", path: [...at, "maxReplicas"], message: `${a.maxReplicas} is below minReplicas ${a.minReplicas}` });
  }
  if (a.targetCpuUtilization === undefined && a.targetMemoryUtilization === undefined) {
    ctx.addIssue({ code: "custom", path: [...at, "targetCpuUtilization"], message: "set targetCpuUtilization and/or targetMemoryUtilization (percent of requests)" });
  }
}

/** A pod count or a percentage of the desired count, as Kubernetes takes them. */
const notCountOrPercent = (iss: { input?: unknown }) => `expected a whole number or a percentage like "25%", got ${describe(iss.input)}`;
const countOrPercent = z
  .union([count, z.string()], { error: notCountOrPercent })
  .refine((v) => typeof v === "number" || /^\d{1,3}%$/.test(v), { error: notCountOrPercent });

const rolloutSchema = z
  .strictObject({ maxSurge: countOrPercent.optional(), maxUnavailable: countOrPercent.optional(), minReadySeconds: count.optional() })
  .refine((r) => !(isZero(r.maxSurge) && isZero(r.maxUnavailable)), {
    error: "maxSurge and maxUnavailable cannot both be 0: the rollout could never make progress",
  })
  .optional();

function isZero(v: number | string | undefined): boolean {
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
    images: z.strictObject({ blue: image.optional(), green: image.optional() }),
    /** Fixed size per color; not allowed with autoscale (the HPA owns the count). */
    replicas: z.strictObject({ blue: count.default(2), green: count.default(2) }).optional(),
    autoscale: z.strictObject(scalingFields).superRefine((a, ctx) => checkScaling(a, ctx)).optional(),
    rollout: rolloutSchema,
    /** Scale the inactive color to zero (do it in a separate update after the flip). */
    retireInactive: z.boolean().default(false),
    /** Let this update change the live color's image (a hotfix that skips the preview step). */
    allowLiveUpdate: z.boolean().default(false),
    smokeTest: z.strictObject({ path: z.string().startsWith("/"), expectStatus: z.number().int().min(100).max(599).default(200), image: image.optional() }).optional(),
    /** Expose through a Gateway API HTTPRoute. */
    route: z
      .strictObject({
        gateway: z.strictObject({ name: dnsLabel, namespace: dnsLabel, sectionName: z.string().min(1).optional() }),
        hostnames: z.array(hostname).default([]),
        path: z.string().startsWith("/").default("/"),
      })
      .optional(),
    /** A gradual shift: one color's percent of the route's traffic, e.g. `{green: 10}`. */
    trafficSplit: z.strictObject({ blue: weight.optional(), green: weight.optional() }).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.replicas && a.autoscale) {
      ctx.addIssue({ code: "custom", path: ["replicas"], message: "remove replicas: with autoscale the HPA owns each color's pod count" });
    }
    const split = Object.entries(a.trafficSplit ?? {});
    if (a.trafficSplit && split.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["trafficSplit"], message: "give the percent of one color, like {green: 10}; the other color gets the rest" });
      return;
    }
    if (a.trafficSplit && !a.route) {
      ctx.addIssue({ code: "custom", path: ["trafficSplit"], message: "needs route: the weights are set on the app's Gateway API HTTPRoute" });
    }
    const { live, weights } = trafficOf(a.activeColor, a.trafficSplit);
    const why = (color: Color) => (weights ? `trafficSplit sends ${weights[color]}% of traffic to "${color}"` : `the active color "${color}"`);
    for (const color of weights ? COLORS : [live]) {
      if (!a.images[color]) {
        ctx.addIssue({ code: "custom", path: ["images", color], message: `is required: ${why(color)} has no image, so traffic would go nowhere` });
      }
      if (!a.autoscale && a.replicas?.[color] === 0) {
        ctx.addIssue({ code: "custom", path: ["replicas", color], message: `${why(color)} has 0 replicas, so traffic would go nowhere` });
      }
    }
    if (weights && a.retireInactive) {
      ctx.addIssue({ code: "custom", path: ["retireInactive"], message: `cannot retire a color while trafficSplit sends it traffic; finish the shift (0 or 100) first` });
    }
  });

export const autoscaledAppSchema = z
  .strictObject({
    ...common,
    kind: z.literal("autoscaled"),
    image,
    ...scalingFields,
    rollout: rolloutSchema,
  })
  .superRefine((a, ctx) => checkScaling(a, ctx));

export const statefulAppSchema = z.strictObject({
  ...common,
  kind: z.literal("stateful"),
  image,
  replicas: z.number().int().min(1).default(1),
  storage: z.strictObject({
    size: quantity,
    storageClass: z.string().min(1).optional(),
    accessModes: z.array(z.enum(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"])).min(1).default(["ReadWriteOnce"]),
  }),
  dataPath: z.string().startsWith("/"),
  podManagementPolicy: z.enum(["OrderedReady", "Parallel"]).default("OrderedReady"),
  partition: count.default(0),
  runAsUser: z.number().int().min(1, { error: "must not be 0: stateful services run as non-root" }),
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).default({}),
  credentialEnv: z.strictObject({ user: z.string().min(1), password: z.string().min(1) }),
  user: z.string().min(1).default("app"),
});

export const APP_KINDS = ["blueGreen", "autoscaled", "stateful"] as const;
export const appSchema = z.discriminatedUnion("kind", [blueGreenAppSchema, autoscaledAppSchema, statefulAppSchema]);
export const appsSchema = z.array(appSchema).default([]);

export type BlueGreenAppConfig = z.infer<typeof blueGreenAppSchema>;
export type AutoscaledAppConfig = z.infer<typeof autoscaledAppSchema>;
export type StatefulAppConfig = z.infer<typeof statefulAppSchema>;
export type AppConfig = z.infer<typeof appSchema>;
