// The Istio control plane from its official charts (Helm Chart v4): `base` (the CRDs and the
// validation webhook), then `istiod` and the `istio-cni` node agent. The CNI agent replaces the
// istio-init container, which needs NET_ADMIN and NET_RAW and so is refused by the baseline and
// restricted Pod Security levels the team namespaces enforce; istiod injects native sidecars
// (Kubernetes 1.29+), so Job pods finish when their main container does.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "./chartSource";
import { standardLabels } from "./labels";
import { podSecurityNamespace } from "./namespace";
import { keepOptions } from "./protection";

export interface IstioControlPlaneArgs {
  /** Where istiod and the CNI agent run. */
  namespace?: string;
  /** A revision-labelled control plane: namespaces select it with `istio.io/rev=<revision>`. */
  revision?: string;
  /** The official charts, each pinned (repo + version) or a local copy (path). */
  charts: { base: ChartSource; istiod: ChartSource; cni: ChartSource };
  /** Never delete the releases through Pulumi (prod): removing `base` would delete every mesh object with its CRDs. */
  protect?: boolean;
}

export const ISTIO_CONTROL_PLANE_DEFAULTS = {
  namespace: "istio-system",
  chartNames: { base: "base", istiod: "istiod", cni: "cni" },
  releaseNames: { base: "istio-base", istiod: "istiod", cni: "istio-cni" },
};

export class IstioControlPlane extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  /** The revision namespaces select (`default` without one). */
  public readonly revision: string;

  constructor(name: string, args: IstioControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:mesh:IstioControlPlane", name, {}, opts);
    const d = ISTIO_CONTROL_PLANE_DEFAULTS;
    const namespace = args.namespace ?? d.namespace;
    const keep = keepOptions(this, args.protect);

    // The CNI node agent writes the node's CNI config and runs privileged: only this namespace allows it.
    const ns = podSecurityNamespace(
      `${name}-ns`,
      { name: namespace, labels: standardLabels({ name: "istio", component: "mesh-control-plane" }), level: "privileged" },
      keep,
    );

    const global = { istioNamespace: namespace };
    const revision = args.revision ? { revision: args.revision } : {};
    const chart = (part: keyof typeof d.chartNames, values: Record<string, unknown>, dependsOn: pulumi.Resource[]) => {
      const source = args.charts[part];
      return new k8s.helm.v4.Chart(
        `${name}-${part}`,
        {
          name: d.releaseNames[part],
          chart: source.path ?? d.chartNames[part],
          version: source.path ? undefined : source.version,
          repositoryOpts: source.path ? undefined : { repo: source.repo },
          namespace,
          values,
        },
        { ...keep, dependsOn },
      );
    };

    // The revision also becomes the default for config validation, so one webhook checks every Istio object.
    const base = chart("base", { global, defaultRevision: args.revision ?? "default" }, [ns]);
    chart(
      "istiod",
      {
        global,
        ...revision,
        pilot: { cni: { enabled: true }, env: { ENABLE_NATIVE_SIDECARS: "true" } },
      },
      [base],
    );
    chart("cni", { global, ...revision }, [base]);

    this.namespace = ns.metadata.name;
    this.revision = args.revision ?? "default";
    this.registerOutputs({ namespace: this.namespace, revision: this.revision });
  }
}
