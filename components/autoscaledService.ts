// A stateless service scaled by an HPA: Deployment (no replicas field), Service, HPA, PDB.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { restrictedContainer } from "./podSecurity";

export interface AutoscaledServiceArgs {
  name: string;
  namespace: pulumi.Input<string>;
  image: string;
  port?: number;
  minReplicas: number;
  maxReplicas: number;
  /** Average utilisation targets, in percent of the requests. At least one. */
  targetCpuUtilization?: number;
  targetMemoryUtilization?: number;
  /** How long the HPA waits before scaling down, to ride out short dips. */
  scaleDownStabilizationSeconds?: number;
  readinessPath: string;
  livenessPath: string;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  envFrom?: { configMaps?: string[]; secrets?: string[] };
  serviceAccountName?: pulumi.Input<string>;
  partOf?: string;
}

export const AUTOSCALED_DEFAULTS = {
  port: 8080,
  scaleDownStabilizationSeconds: 300,
  scaleUpStabilizationSeconds: 0,
  rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 },
  minReadySeconds: 5,
};

export class AutoscaledService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly hpaName: pulumi.Output<string>;

  constructor(name: string, args: AutoscaledServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:AutoscaledService", name, {}, opts);
    if (args.targetCpuUtilization === undefined && args.targetMemoryUtilization === undefined) {
      throw new Error(`AutoscaledService ${args.name}: set targetCpuUtilization and/or targetMemoryUtilization`);
    }
    const port = args.port ?? AUTOSCALED_DEFAULTS.port;
    const selector = selectorLabels({ name: args.name });
    const stable = standardLabels({ name: args.name, component: "api", partOf: args.partOf });
    const podLabels = { ...stable, "app.kubernetes.io/version": imageVersion(args.image) };
    const meta = { name: args.name, namespace: args.namespace, labels: stable };

    const deployment = new k8s.apps.v1.Deployment(`${name}`, {
      metadata: { ...meta, labels: podLabels },
      spec: {
        // No replicas: the HPA owns the count; server-side apply would otherwise fight it.
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: AUTOSCALED_DEFAULTS.rollingUpdate },
        minReadySeconds: AUTOSCALED_DEFAULTS.minReadySeconds,
        template: {
          metadata: { labels: podLabels },
          spec: {
            serviceAccountName: args.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{
              name: args.name,
              image: args.image,
              ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
              envFrom: [
                ...(args.envFrom?.configMaps ?? []).map((n) => ({ configMapRef: { name: n } })),
                ...(args.envFrom?.secrets ?? []).map((n) => ({ secretRef: { name: n } })),
              ],
              resources: args.resources,
              readinessProbe: { httpGet: { path: args.readinessPath, port: "http" }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: args.livenessPath, port: "http" }, periodSeconds: 10, failureThreshold: 3 },
              securityContext: restrictedContainer(),
            }],
          },
        },
      },
    }, { parent: this });

    const service = new k8s.core.v1.Service(`${name}`, {
      metadata: meta,
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
    }, { parent: this });

    const metric = (resource: "cpu" | "memory", averageUtilization: number) => ({
      type: "Resource", resource: { name: resource, target: { type: "Utilization", averageUtilization } },
    });
    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}`, {
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: args.minReplicas,
        maxReplicas: args.maxReplicas,
        metrics: [
          ...(args.targetCpuUtilization !== undefined ? [metric("cpu", args.targetCpuUtilization)] : []),
          ...(args.targetMemoryUtilization !== undefined ? [metric("memory", args.targetMemoryUtilization)] : []),
        ],
        behavior: {
          scaleDown: { stabilizationWindowSeconds: args.scaleDownStabilizationSeconds ?? AUTOSCALED_DEFAULTS.scaleDownStabilizationSeconds },
          scaleUp: { stabilizationWindowSeconds: AUTOSCALED_DEFAULTS.scaleUpStabilizationSeconds },
        },
      },
    }, { parent: this });

    new k8s.policy.v1.PodDisruptionBudget(`${name}`, {
      metadata: meta,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    }, { parent: this });

    this.serviceName = service.metadata.name;
    this.hpaName = hpa.metadata.name;
    this.registerOutputs({ serviceName: this.serviceName, hpaName: this.hpaName });
  }
}
