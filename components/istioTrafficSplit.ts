// A gradual blue-green shift carried by the mesh: clients with a sidecar that call the live Service
// `<app>` are sent to each color by weight. The live Service selects one color only, so the weights
// go to the subsets (by color) of `<app>-colors`, a Service over both colors. BlueGreenService
// creates this only while the split is strictly between 0 and 100: at 0 and 100 the objects are
// exactly those of a plain flip, as with the Gateway API route.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Color } from "./rules";
import { ISTIO_API } from "./meshPolicy";

export interface IstioTrafficSplitArgs {
  /** The app: the live Service is `<app>`, the pods are labelled `app: <app>` and `color: <color>`. */
  app: string;
  namespace: pulumi.Input<string>;
  /** Each color's percent; they add up to 100. */
  weights: Record<Color, number>;
  /** Labels for the objects (the app's Service labels). */
  labels: Record<string, string>;
  /** The Services' port (mapped to the pods' named port `http`). @default 80 */
  servicePort?: number;
}

export const ISTIO_SPLIT_DEFAULTS = { servicePort: 80, colorsSuffix: "colors" };

export class IstioTrafficSplit extends pulumi.ComponentResource {
  public readonly virtualServiceName: pulumi.Output<string>;
  public readonly destinationRuleName: pulumi.Output<string>;

  constructor(name: string, args: IstioTrafficSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:mesh:IstioTrafficSplit", name, {}, opts);
    const { app, namespace, weights, labels } = args;
    const port = args.servicePort ?? ISTIO_SPLIT_DEFAULTS.servicePort;
    const total = weights.blue + weights.green;
    if (total !== 100) throw new Error(`IstioTrafficSplit ${app}: weights add up to ${total}, not 100`);
    const child = { parent: this };
    const fqdn = (service: pulumi.Input<string>) => pulumi.interpolate`${service}.${namespace}.svc.cluster.local`;

    const colors = new k8s.core.v1.Service(
      `${name}-colors`,
      {
        metadata: { name: `${app}-${ISTIO_SPLIT_DEFAULTS.colorsSuffix}`, namespace, labels },
        spec: { type: "ClusterIP", selector: { app }, ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
      },
      child,
    );
    const colorsHost = fqdn(colors.metadata.name);

    // Both Istio objects are named after the app and live beside its Services.
    const networking = (resourceName: string, kind: string, spec: Record<string, unknown>, opts: pulumi.CustomResourceOptions) =>
      new k8s.apiextensions.CustomResource(resourceName, { apiVersion: ISTIO_API.networking, kind, metadata: { name: app, namespace, labels }, spec }, opts);

    const rule = networking(
      `${name}-subsets`,
      "DestinationRule",
      { host: colorsHost, subsets: (["blue", "green"] as Color[]).map((color) => ({ name: color, labels: { color } })) },
      child,
    );
    const virtualService = networking(
      `${name}-split`,
      "VirtualService",
      {
        hosts: [fqdn(app)],
        http: [
          {
            route: (["blue", "green"] as Color[]).map((color) => ({
              destination: { host: colorsHost, subset: color, port: { number: port } },
              weight: weights[color],
            })),
          },
        ],
      },
      { parent: this, dependsOn: [rule] },
    );

    this.virtualServiceName = virtualService.metadata.name;
    this.destinationRuleName = rule.metadata.name;
    this.registerOutputs({ virtualServiceName: this.virtualServiceName, destinationRuleName: this.destinationRuleName });
  }
}
