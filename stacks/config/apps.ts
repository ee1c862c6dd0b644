// platform:apps — workloads placed into team namespaces: blue-green web services and autoscaled APIs.
import { z } from "zod";
import { count, dnsLabel, image, port, quantity } from "./primitives";

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

export const blueGreenAppSchema = z
  .strictObject({
    ...common,
    kind: z.literal("blueGreen"),
    /** The color that receives traffic. Flip it with `pulumi config set --path platform:apps[i].activeColor green`. */
    activeColor: z.enum(COLORS),
    images: z.strictObject({ blue: image.optional(), green: image.optional() }),
    replicas: z.strictObject({ blue: count.default(2), green: count.default(2) }).default({ blue: 2, green: 2 }),
    /** Scale the inactive color to zero (do it in a separate update after the flip). */
    retireInactive: z.boolean().default(false),
    smokeTest: z.strictObject({ path: z.string().startsWith("/"), expectStatus: z.number().int().min(100).max(599).default(200), image: image.optional() }).optional(),
  })
  .superRefine((a, ctx) => {
    const active = a.activeColor;
    if (!a.images[active]) {
      ctx.addIssue({ code: "custom", path: ["images", active], message: `is required: the active color "${active}" has no image, so traffic would go nowhere` });
    }
    if (a.replicas[active] === 0) {
      ctx.addIssue({ code: "custom", path: ["replicas", active], message: `the active color "${active}" has 0 replicas, so traffic would go nowhere` });
    }
  });

const percent = z.number().int().min(1).max(100);

export const autoscaledAppSchema = z
  .strictObject({
    ...common,
    kind: z.literal("autoscaled"),
    image,
    minReplicas: z.number().int().min(1).default(2),
    maxReplicas: z.number().int().min(1),
    targetCpuUtilization: percent.optional(),
    targetMemoryUtilization: percent.optional(),
    scaleDownStabilizationSeconds: count.default(300),
  })
  .superRefine((a, ctx) => {
    if (a.maxReplicas < a.minReplicas) {
      ctx.addIssue({ code: "custom", path: ["maxReplicas"], message: `${a.maxReplicas} is below minReplicas ${a.minReplicas}` });
    }
    if (a.targetCpuUtilization === undefined && a.targetMemoryUtilization === undefined) {
      ctx.addIssue({ code: "custom", path: ["targetCpuUtilization"], message: "set targetCpuUtilization and/or targetMemoryUtilization (percent of requests)" });
    }
  });

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
