// Finds the pod spec in every workload shape, so each rule checks containers once, the same way.
// Rules see plain JSON (the engine's view of resource inputs), never SDK classes: the pack and the
// program load different copies of @pulumi/pulumi, so `instanceof` and `isType` would lie.

type Json = Record<string, any>;

export const WORKLOAD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
/** Shapes that serve until stopped: ports, probes and start-up steps matter for these. */
export const LONG_RUNNING: WorkloadKind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];
/** One-off tasks. */
export const RUN_TO_COMPLETION: WorkloadKind[] = ["Job", "CronJob"];

export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** The object's own labels. */
  labels: Record<string, string>;
  /** The labels its pods get (the template's, or the Pod's own). */
  podLabels: Record<string, string>;
  /** The annotations its pods get. */
  podAnnotations: Record<string, string>;
  podSpec: Json;
  /** The Job spec for Jobs and CronJobs. */
  jobSpec?: Json;
  /** Serves until stopped (everything but Jobs and CronJobs). */
  longRunning: boolean;
}

export interface ContainerRef {
  container: Json;
  init: boolean;
  /** `initContainers[0]` or `containers[1]`, for messages. */
  where: string;
}

const TYPE = /^kubernetes:[\w.]+\/v\w+:(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob)$/;

/** The workload in a resource's props, or undefined for anything that runs no pods. */
export function workloadOf(type: string, props: Json, resourceName = ""): Workload | undefined {
  const m = TYPE.exec(type);
  if (!m) return undefined;
  const kind = m[1] as WorkloadKind;
  const metadata = props.metadata ?? {};
  let template: Json | undefined;
  let jobSpec: Json | undefined;
  if (kind === "Pod") template = { metadata, spec: props.spec };
  else if (kind === "CronJob") {
    jobSpec = props.spec?.jobTemplate?.spec;
    template = jobSpec?.template;
  } else {
    template = props.spec?.template;
    if (kind === "Job") jobSpec = props.spec;
  }
  return {
    kind,
    namespace: metadata.namespace ?? "default",
    name: metadata.name ?? resourceName,
    labels: metadata.labels ?? {},
    podLabels: template?.metadata?.labels ?? {},
    podAnnotations: template?.metadata?.annotations ?? {},
    podSpec: template?.spec ?? {},
    jobSpec,
    longRunning: kind !== "Job" && kind !== "CronJob",
  };
}

/** Init containers first, then app containers. */
export function containersOf(podSpec: Json): ContainerRef[] {
  const list = (key: string, init: boolean) =>
    ((podSpec[key] ?? []) as Json[]).map((container, i) => ({ container, init, where: `${key}[${i}] "${container.name}"` }));
  return [...list("initContainers", true), ...list("containers", false)];
}

export const describeWorkload = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;
