// Pieces the stateless workloads share: the hardened HTTP pod, rollout settings and the HPA spec.
// Plain functions so each component stays readable and the rules live in one place.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ROLLOUT_DEFAULTS, SCALING_DEFAULTS } from "./defaults";
import { restrictedContainer, restrictedPod } from "./podSecurity";
import { assertNoVerdicts, type Resources, scalingProblems } from "./rules";

export { ROLLOUT_DEFAULTS, SCALING_DEFAULTS } from "./defaults";

export interface HttpPodArgs {
  /** Container name (the app). */
  name: string;
  image: string;
  /** Container port, exposed under the name `http`. */
  port: number;
  readinessPath: string;
  livenessPath: string;
  resources: Resources;
  /** Env comes from these ConfigMaps/Secrets by reference, never literal values. */
  envFrom?: { configMaps?: string[]; secrets?: string[] };
  serviceAccountName?: pulumi.Input<string>;
}

/** Non-root pod with one read-only, capability-free container serving HTTP on a named port. */
export function httpPodSpec(a: HttpPodArgs): k8s.types.input.core.v1.PodSpec {
  return {
    serviceAccountName: a.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: restrictedPod(),
    containers: [
      {
        name: a.name,
        image: a.image,
        ports: [{ name: "http", containerPort: a.port, protocol: "TCP" }],
        envFrom: envFromRefs(a.envFrom),
        resources: a.resources,
        readinessProbe: { httpGet: { path: a.readinessPath, port: "http" }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: a.livenessPath, port: "http" }, periodSeconds: 10, failureThreshold: 3 },
        securityContext: restrictedContainer(),
      },
    ],
  };
}

/** Env by reference to ConfigMaps and Secrets (an app's pods and its admin processes share it). */
export function envFromRefs(envFrom: HttpPodArgs["envFrom"]): k8s.types.input.core.v1.EnvFromSource[] {
  return [...(envFrom?.configMaps ?? []).map((n) => ({ configMapRef: { name: n } })), ...(envFrom?.secrets ?? []).map((n) => ({ secretRef: { name: n } }))];
}

/** How a Deployment replaces its pods. */
export interface Rollout {
  /** @default ROLLOUT_DEFAULTS.maxSurge ("25%") */
  maxSurge?: number | string;
  /** @default ROLLOUT_DEFAULTS.maxUnavailable (0) */
  maxUnavailable?: number | string;
  /** Seconds a new pod must be ready before it counts as available. @default ROLLOUT_DEFAULTS.minReadySeconds (5) */
  minReadySeconds?: number;
}

export function rolloutSpec(r: Rollout = {}) {
  return {
    strategy: {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: r.maxSurge ?? ROLLOUT_DEFAULTS.maxSurge, maxUnavailable: r.maxUnavailable ?? ROLLOUT_DEFAULTS.maxUnavailable },
    },
    minReadySeconds: r.minReadySeconds ?? ROLLOUT_DEFAULTS.minReadySeconds,
  };
}

export interface Scaling {
  minReplicas: number;
  maxReplicas: number;
  /** Average utilisation targets, in percent of the requests. At least one. */
  targetCpuUtilization?: number;
  targetMemoryUtilization?: number;
  /** How long the HPA waits before scaling down, to ride out short dips. @default SCALING_DEFAULTS.scaleDownStabilizationSeconds (300) */
  scaleDownStabilizationSeconds?: number;
}

/** An autoscaling/v2 spec for a Deployment. The Deployment itself must not set `spec.replicas`. */
export function hpaSpec(app: string, deploymentName: pulumi.Input<string>, s: Scaling): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
  assertNoVerdicts(app, scalingProblems(s));
  const metric = (resource: "cpu" | "memory", averageUtilization: number) => ({
    type: "Resource",
    resource: { name: resource, target: { type: "Utilization", averageUtilization } },
  });
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
    minReplicas: s.minReplicas,
    maxReplicas: s.maxReplicas,
    metrics: [
      ...(s.targetCpuUtilization !== undefined ? [metric("cpu", s.targetCpuUtilization)] : []),
      ...(s.targetMemoryUtilization !== undefined ? [metric("memory", s.targetMemoryUtilization)] : []),
    ],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds ?? SCALING_DEFAULTS.scaleDownStabilizationSeconds },
      scaleUp: { stabilizationWindowSeconds: SCALING_DEFAULTS.scaleUpStabilizationSeconds },
    },
  };
}
