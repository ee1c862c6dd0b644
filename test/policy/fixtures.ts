// A small stack that passes every rule: a Deployment scaled by an HPA behind a Service, a Job, a
// ConfigMap. Each rule's violating fixture is one edit of it.
import type { PackConfig, PackResource } from "../support/policy";

export const IMAGE = "harbor.prod.example.com/shop/cart@sha256:1111111111111111111111111111111111111111111111111111111111111111";
export const JOB_IMAGE = "harbor.prod.example.com/shop/cart-tools@sha256:2222222222222222222222222222222222222222222222222222222222222222";

const labels = (version?: string) => ({
  "app.kubernetes.io/name": "cart",
  "app.kubernetes.io/part-of": "shop",
  ...(version ? { "app.kubernetes.io/version": version } : {}),
});

const secure = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };

export function container(image = IMAGE): Record<string, any> {
  return {
    name: "cart",
    image,
    ports: [{ name: "http", containerPort: 8080 }],
    envFrom: [{ configMapRef: { name: "cart-config" } }],
    env: [
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "cart-db", key: "password" } } },
      { name: "WORKERS", value: "4" },
    ],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
    securityContext: { ...secure },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

export function podSpec(image = IMAGE): Record<string, any> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container(image)],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
  };
}

export function deployment(): PackResource {
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: "cart",
    props: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "cart", namespace: "shop", labels: labels("1111111111") },
      spec: { selector: { matchLabels: { app: "cart" } }, template: { metadata: { labels: { ...labels("1111111111"), app: "cart" } }, spec: podSpec() } },
    },
  };
}

export function job(): PackResource {
  return {
    type: "kubernetes:batch/v1:Job",
    name: "cart-reindex",
    props: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "cart-reindex", namespace: "shop", labels: labels() },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        template: { metadata: { labels: labels("2222222") }, spec: { ...podSpec(JOB_IMAGE), restartPolicy: "Never" } },
      },
    },
  };
}

export function service(): PackResource {
  return {
    type: "kubernetes:core/v1:Service",
    name: "cart",
    props: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "cart", namespace: "shop", labels: labels() },
      spec: { selector: { app: "cart" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
  };
}

export function hpa(): PackResource {
  return {
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    name: "cart",
    props: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "cart", namespace: "shop", labels: labels() },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "cart" }, minReplicas: 2, maxReplicas: 6 },
    },
  };
}

export function configMap(): PackResource {
  return {
    type: "kubernetes:core/v1:ConfigMap",
    name: "cart-config",
    props: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cart-config", namespace: "shop", labels: labels() },
      data: { LOG_LEVEL: "info", "app.yaml": "db:\n  host: db.shop.svc\n" },
    },
  };
}

export function stack(): PackResource[] {
  return [deployment(), job(), service(), hpa(), configMap()];
}

/** Strict settings, every rule mandatory: what the fixtures are checked against. */
export const strictConfig: PackConfig = {
  all: "mandatory",
  "image-registry-allowed": { allowedRegistries: ["harbor.prod.example.com"] },
  "images-promoted": { promotedImages: ["shop/cart@" + IMAGE.split("@")[1], "shop/cart-tools@" + JOB_IMAGE.split("@")[1]] },
};

/** The pod spec of a fixture resource, whatever its shape. */
export function specOf(r: PackResource): Record<string, any> {
  const props = r.props as Record<string, any>;
  return r.type.endsWith(":Pod") ? props.spec : props.spec.template.spec;
}

export const main = (r: PackResource) => specOf(r).containers[0];

export const WORKLOAD_SHAPES = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;
export type Shape = (typeof WORKLOAD_SHAPES)[number];

const GROUP: Record<Shape, string> = {
  Pod: "core/v1",
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
};

/** A compliant workload of any shape: the fixture pod (selected by `app: cart`), bounded if it is a Job. */
export function workload(kind: Shape): PackResource {
  const podMeta = { labels: { ...labels("1111111111"), app: "cart" } };
  const metadata = { name: "cart", namespace: "shop", labels: labels() };
  const jobSpec = (spec: Record<string, any>) => ({
    backoffLimit: 2,
    activeDeadlineSeconds: 600,
    template: { metadata: podMeta, spec: { ...spec, restartPolicy: "Never" } },
  });
  let props: Record<string, any>;
  if (kind === "Pod") props = { metadata: { ...metadata, labels: podMeta.labels }, spec: podSpec() };
  else if (kind === "Job") props = { metadata, spec: jobSpec(podSpec()) };
  else if (kind === "CronJob") props = { metadata, spec: { schedule: "0 3 * * *", jobTemplate: { spec: jobSpec(podSpec()) } } };
  else {
    const replicas = kind === "DaemonSet" ? {} : { replicas: 2 };
    props = { metadata, spec: { ...replicas, selector: { matchLabels: { app: "cart" } }, template: { metadata: podMeta, spec: podSpec() } } };
  }
  return { type: `kubernetes:${GROUP[kind]}:${kind}`, name: "cart", props: { apiVersion: GROUP[kind].replace("core/", ""), kind, ...props } };
}

/** The parts of a workload of any shape that rules look at. */
export function partsOf(r: PackResource) {
  const props = r.props as Record<string, any>;
  const job = props.kind === "Job" ? props.spec : props.kind === "CronJob" ? props.spec.jobTemplate.spec : undefined;
  const template = props.kind === "Pod" ? props : job ? job.template : props.spec.template;
  return {
    props,
    job,
    podMeta: template.metadata as Record<string, any>,
    spec: template.spec as Record<string, any>,
    main: template.spec.containers[0] as Record<string, any>,
  };
}
