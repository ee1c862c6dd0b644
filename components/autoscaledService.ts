// A stateless service scaled by an HPA: Deployment (no replicas field), Service, HPA, PDB.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AUTOSCALED_DEFAULTS } from "./defaults";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { appNameProblems, assertNoVerdicts } from "./rules";
import { HttpPodArgs, hpaSpec, httpPodSpec, Rollout, rolloutSpec, Scaling } from "./workloadParts";

export interface AutoscaledServiceArgs extends Omit<HttpPodArgs, "port">, Scaling {
  namespace: pulumi.Input<string>;
  /** @default AUTOSCALED_DEFAULTS.port (8080) */
  port?: number;
  /** @default ROLLOUT_DEFAULTS */
  rollout?: Rollout;
  partOf?: string;
}

export { AUTOSCALED_DEFAULTS } from "./defaults";

export class AutoscaledService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly hpaName: pulumi.Output<string>;

  constructor(name: string, args: AutoscaledServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:AutoscaledService", name, {}, opts);
    assertNoVerdicts(`AutoscaledService ${args.name}`, appNameProblems(args.name, "autoscaled"));
    const selector = selectorLabels({ name: args.name });
    const stable = standardLabels({ name: args.name, component: "api", partOf: args.partOf });
    const podLabels = { ...stable, "app.kubernetes.io/version": imageVersion(args.image) };
    const meta = { name: args.name, namespace: args.namespace, labels: stable };
    // Checked before anything is registered: the HPA needs a target.
    const scaling = (deploymentName: pulumi.Input<string>) => hpaSpec(args.name, deploymentName, args);
    scaling(args.name);

    const deployment = new k8s.apps.v1.Deployment(
      `${name}`,
      {
        metadata: { ...meta, labels: podLabels },
        spec: {
          // No replicas: the HPA owns the count; server-side apply would otherwise fight it.
          selector: { matchLabels: selector },
          ...rolloutSpec(args.rollout),
          template: {
            metadata: { labels: podLabels },
            spec: httpPodSpec({ ...args, port: args.port ?? AUTOSCALED_DEFAULTS.port }),
          },
        },
      },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      `${name}`,
      {
        metadata: meta,
        spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
      },
      { parent: this },
    );

    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}`,
      {
        metadata: meta,
        spec: scaling(deployment.metadata.name),
      },
      { parent: this },
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}`,
      {
        metadata: meta,
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      { parent: this },
    );

    this.serviceName = service.metadata.name;
    this.hpaName = hpa.metadata.name;
    this.registerOutputs({ serviceName: this.serviceName, hpaName: this.hpaName });
  }
}
