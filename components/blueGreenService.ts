// Two Deployments (blue, green) behind one Service. The active color is an input: changing it
// changes only the Service selectors, so a flip is instant and flipping back is the rollback.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageVersion, standardLabels } from "./labels";
import { restrictedContainer } from "./podSecurity";

export type Color = "blue" | "green";
const COLORS: Color[] = ["blue", "green"];

export interface BlueGreenServiceArgs {
  /** App name: Deployments are `<name>-blue` and `<name>-green`, the Service is `<name>`. */
  name: string;
  namespace: pulumi.Input<string>;
  activeColor: Color;
  /** Image per color; a color without an image has no Deployment. */
  images: Partial<Record<Color, string>>;
  replicas?: Partial<Record<Color, number>>;
  /** Scale the inactive color to zero. Do it in a separate update after the flip. */
  retireInactive?: boolean;
  port?: number;
  readinessPath: string;
  livenessPath: string;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  envFrom?: { configMaps?: string[]; secrets?: string[] };
  serviceAccountName?: pulumi.Input<string>;
  /** Before the active selector moves, a Job calls the preview Service and must get this status. */
  smokeTest?: { path: string; expectStatus?: number; image?: string };
  partOf?: string;
}

export const BLUE_GREEN_DEFAULTS = {
  replicas: 2,
  port: 8080,
  rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 },
  minReadySeconds: 5,
  smokeTestImage: "curlimages/curl:8.11.1",
  smokeTestDeadlineSeconds: 120,
};

export const otherColor = (c: Color): Color => (c === "blue" ? "green" : "blue");

export class BlueGreenService extends pulumi.ComponentResource {
  public readonly activeColor: Color;
  public readonly inactiveColor: Color;
  public readonly images: Partial<Record<Color, string>>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly previewServiceName: pulumi.Output<string>;
  /** In-cluster address of the preview Service (the inactive color). */
  public readonly previewAddress: pulumi.Output<string>;
  public readonly selector: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:BlueGreenService", name, {}, opts);
    const active = args.activeColor;
    const inactive = otherColor(active);
    // Our own guard: the Service await accepts a selector that matches no Pods.
    if (!args.images[active]) throw new Error(`BlueGreenService ${args.name}: the active color "${active}" has no image`);
    if ((args.replicas?.[active] ?? BLUE_GREEN_DEFAULTS.replicas) === 0) {
      throw new Error(`BlueGreenService ${args.name}: the active color "${active}" has 0 replicas`);
    }
    const port = args.port ?? BLUE_GREEN_DEFAULTS.port;
    const app = args.name;
    const colorSelector = (color: Color) => ({ app, color });

    for (const color of COLORS) {
      const image = args.images[color];
      if (!image) continue;
      const retired = args.retireInactive && color === inactive;
      // The budget gets no version label: a release must not touch it.
      const stableLabels = { ...standardLabels({ name: app, instance: `${app}-${color}`, component: "web", partOf: args.partOf }), ...colorSelector(color) };
      const labels = { ...stableLabels, "app.kubernetes.io/version": imageVersion(image) };
      const meta = { name: `${app}-${color}`, namespace: args.namespace, labels };
      new k8s.apps.v1.Deployment(`${name}-${color}`, {
        metadata: meta,
        spec: {
          replicas: retired ? 0 : args.replicas?.[color] ?? BLUE_GREEN_DEFAULTS.replicas,
          // Fixed per color, never derived from image or version, so no change ever replaces it.
          selector: { matchLabels: colorSelector(color) },
          strategy: { type: "RollingUpdate", rollingUpdate: BLUE_GREEN_DEFAULTS.rollingUpdate },
          minReadySeconds: BLUE_GREEN_DEFAULTS.minReadySeconds,
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: args.serviceAccountName,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
              containers: [{
                name: app,
                image,
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
      new k8s.policy.v1.PodDisruptionBudget(`${name}-${color}`, {
        metadata: { ...meta, labels: stableLabels },
        spec: { maxUnavailable: 1, selector: { matchLabels: colorSelector(color) } },
      }, { parent: this });
    }

    const serviceLabels = standardLabels({ name: app, component: "web", partOf: args.partOf });
    const service = (resourceName: string, serviceName: string, color: Color, o: pulumi.CustomResourceOptions) =>
      new k8s.core.v1.Service(resourceName, {
        metadata: { name: serviceName, namespace: args.namespace, labels: serviceLabels },
        spec: { type: "ClusterIP", selector: colorSelector(color), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
      }, o);

    const preview = service(`${name}-preview`, `${app}-preview`, inactive, { parent: this });
    const previewAddress = pulumi.interpolate`${preview.metadata.name}.${args.namespace}.svc.cluster.local`;

    // The gate: a Job named after the image it vets, so each promotion runs a fresh one. It calls
    // the color about to go live through its own stable Service (selected like the live one will
    // be), and the live selector change waits for the Job to succeed.
    const gate: pulumi.Resource[] = [];
    if (args.smokeTest) {
      const target = args.images[active]!;
      const hash = crypto.createHash("sha256").update(target).digest("hex").slice(0, 10);
      const expect = args.smokeTest.expectStatus ?? 200;
      const url = pulumi.interpolate`http://${app}-smoke.${args.namespace}.svc.cluster.local${args.smokeTest.path}`;
      // Prod pulls it from its own registry by digest (the policy pack requires that).
      const smokeImage = args.smokeTest.image ?? BLUE_GREEN_DEFAULTS.smokeTestImage;
      const smokeLabels = { ...serviceLabels, "app.kubernetes.io/component": "smoke-test" };
      const smokeService = service(`${name}-smoke`, `${app}-smoke`, active, { parent: this });
      gate.push(new k8s.batch.v1.Job(`${name}-smoke-${hash}`, {
        metadata: { name: `${app}-smoke-${hash}`, namespace: args.namespace, labels: smokeLabels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: BLUE_GREEN_DEFAULTS.smokeTestDeadlineSeconds,
          template: {
            metadata: { labels: { ...smokeLabels, "app.kubernetes.io/version": imageVersion(smokeImage) } },
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 100, seccompProfile: { type: "RuntimeDefault" } },
              containers: [{
                name: "smoke",
                image: smokeImage,
                // The target is an argument of this one-off check, not a backing service's address.
                command: ["sh", "-c", `code=$(curl -s -o /dev/null -w '%{http_code}' "$1"); echo "got $code, want ${expect}"; test "$code" = "${expect}"`, "smoke"],
                args: [url],
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                securityContext: restrictedContainer(),
              }],
            },
          },
        },
      }, { parent: this, dependsOn: [smokeService] }));
    }

    const live = service(name, app, active, { parent: this, dependsOn: gate });

    this.activeColor = active;
    this.inactiveColor = inactive;
    this.images = args.images;
    this.serviceName = live.metadata.name;
    this.previewServiceName = preview.metadata.name;
    this.previewAddress = previewAddress;
    this.selector = pulumi.output<Record<string, string>>(colorSelector(active));
    this.registerOutputs({
      activeColor: active, inactiveColor: inactive, images: args.images,
      serviceName: this.serviceName, previewServiceName: this.previewServiceName, previewAddress, selector: this.selector,
    });
  }
}
