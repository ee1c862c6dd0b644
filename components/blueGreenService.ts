// Two Deployments (blue, green) behind one Service. The live color is an input: changing it
// changes only the Service selectors, so a flip is instant and flipping back is the rollback.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageVersion, standardLabels } from "./labels";
import { Color, LiveReleaseGuard } from "./liveReleaseGuard";
import { IstioTrafficSplit } from "./istioTrafficSplit";
import { restrictedContainer } from "./podSecurity";
import { HttpPodArgs, hpaSpec, httpPodSpec, Rollout, rolloutSpec, Scaling } from "./workloadParts";

export type { Color } from "./liveReleaseGuard";
const COLORS: Color[] = ["blue", "green"];

/** A Gateway API parent the app's HTTPRoute attaches to (its listener must allow this namespace). */
export interface GatewayRoute {
  gateway: { name: string; namespace: string; sectionName?: string };
  hostnames?: string[];
  path?: string;
}

/** The part of Gateway API's HTTPRoute spec we set, typed so a misspelt field fails to compile. */
interface HttpRouteSpec {
  parentRefs: { name: string; namespace: string; sectionName?: string }[];
  hostnames?: string[];
  rules: {
    matches: { path: { type: "PathPrefix"; value: string } }[];
    backendRefs: { name: pulumi.Input<string>; port: number; weight?: number }[];
  }[];
}

export interface BlueGreenServiceArgs extends Omit<HttpPodArgs, "image" | "port"> {
  /** App name: Deployments are `<name>-blue` and `<name>-green`, the Service is `<name>`. */
  name: string;
  namespace: pulumi.Input<string>;
  activeColor: Color;
  /** Image per color; a color without an image has no Deployment. */
  images: Partial<Record<Color, string>>;
  /** Fixed size per color. Ignored for colors an HPA manages (see autoscale). */
  replicas?: Partial<Record<Color, number>>;
  /** An HPA per color; the Deployments then leave `spec.replicas` to it. */
  autoscale?: Scaling;
  /** Scale the inactive color to zero. Do it in a separate update after the flip. */
  retireInactive?: boolean;
  /** Allow this update to change the live color's image (a hotfix that skips the preview step). */
  allowLiveUpdate?: boolean;
  port?: number;
  rollout?: Rollout;
  /** Before the live selector moves, a Job calls the color about to go live and must get this status. */
  smokeTest?: { path: string; expectStatus?: number; image?: string };
  /** Expose through a Gateway API HTTPRoute (needed for trafficSplit). */
  route?: GatewayRoute;
  /** Percent of the traffic for one color, e.g. `{ green: 10 }`; 0 and 100 are plain flips. */
  trafficSplit?: Partial<Record<Color, number>>;
  /** Who weights a split: the route, or an Istio VirtualService between sidecars (istioTrafficSplit.ts). @default "gateway" */
  splitVia?: "gateway" | "istio";
  /** Names the app in error messages (e.g. `payments/web`). */
  displayName?: string;
  partOf?: string;
}

export const BLUE_GREEN_DEFAULTS = {
  replicas: 2,
  port: 8080,
  routePath: "/",
  smokeTestImage: "curlimages/curl:8.11.1",
  smokeTestDeadlineSeconds: 120,
};

/** The Kubernetes provider's annotation that skips its readiness await for one object. */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

export const otherColor = (c: Color): Color => (c === "blue" ? "green" : "blue");

/** Who gets traffic: the live color, and with a split strictly between 0 and 100, each color's share. */
export function trafficOf(activeColor: Color, split?: Partial<Record<Color, number>>): { live: Color; weights?: Record<Color, number> } {
  const entries = Object.entries(split ?? {}).filter(([k, v]) => COLORS.includes(k as Color) && v !== undefined) as [Color, number][];
  if (entries.length === 0) return { live: activeColor };
  if (entries.length > 1) throw new Error("trafficSplit gives the weight of one color; the other gets the rest");
  const [color, weight] = entries[0];
  if (weight >= 100) return { live: color };
  if (weight <= 0) return { live: otherColor(color) };
  return { live: activeColor, weights: { [color]: weight, [otherColor(color)]: 100 - weight } as Record<Color, number> };
}

export class BlueGreenService extends pulumi.ComponentResource {
  /** The color the live Service selects (after any 0/100 split). */
  public readonly activeColor: Color;
  public readonly inactiveColor: Color;
  public readonly images: Partial<Record<Color, string>>;
  /** Each color's share of the route's traffic while a gradual shift runs. */
  public readonly weights?: Record<Color, number>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly previewServiceName: pulumi.Output<string>;
  /** In-cluster address of the preview Service (the inactive color). */
  public readonly previewAddress: pulumi.Output<string>;
  public readonly selector: pulumi.Output<Record<string, string>>;
  public readonly routeName?: pulumi.Output<string>;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workloads:BlueGreenService", name, {}, opts);
    const app = args.name;
    const label = args.displayName ?? app;
    const { live, weights } = trafficOf(args.activeColor, args.trafficSplit);
    const inactive = otherColor(live);
    const viaRoute = (args.splitVia ?? "gateway") === "gateway";
    if (weights && viaRoute && !args.route) throw new Error(`BlueGreenService ${label}: trafficSplit needs a route to weight`);
    // Our own guard: the Service await accepts a selector that matches no Pods.
    const serving = weights ? COLORS : [live];
    for (const color of serving) {
      if (!args.images[color]) throw new Error(`BlueGreenService ${label}: "${color}" receives traffic but has no image`);
      if (!args.autoscale && (args.replicas?.[color] ?? BLUE_GREEN_DEFAULTS.replicas) === 0) {
        throw new Error(`BlueGreenService ${label}: "${color}" receives traffic but has 0 replicas`);
      }
    }
    if (args.retireInactive && weights) throw new Error(`BlueGreenService ${label}: cannot retire "${inactive}" while it receives traffic`);
    const port = args.port ?? BLUE_GREEN_DEFAULTS.port;
    const colorSelector = (color: Color) => ({ app, color });

    // Everything waits for the guard, so a refused release changes nothing of this app.
    const guard = new LiveReleaseGuard(`${name}-release`, {
      app: label, liveColor: live, images: args.images, allowLiveUpdate: args.allowLiveUpdate ?? false,
    }, { parent: this });
    const child: pulumi.CustomResourceOptions = { parent: this, dependsOn: [guard] };

    for (const color of COLORS) {
      const image = args.images[color];
      if (!image) continue;
      const retired = args.retireInactive === true && color === inactive;
      const autoscaled = args.autoscale !== undefined && !retired;
      // The budget and HPA get no version label: a release must not touch them.
      const stableLabels = { ...standardLabels({ name: app, instance: `${app}-${color}`, component: "web", partOf: args.partOf }), ...colorSelector(color) };
      const labels = { ...stableLabels, "app.kubernetes.io/version": imageVersion(image) };
      const meta = { name: `${app}-${color}`, namespace: args.namespace, labels };
      const deployment = new k8s.apps.v1.Deployment(`${name}-${color}`, {
        metadata: meta,
        spec: {
          // An HPA owns the count of an autoscaled color; server-side apply would otherwise fight it.
          replicas: autoscaled ? undefined : retired ? 0 : args.replicas?.[color] ?? BLUE_GREEN_DEFAULTS.replicas,
          // Fixed per color, never derived from image or version, so no change ever replaces it.
          selector: { matchLabels: colorSelector(color) },
          ...rolloutSpec(args.rollout),
          template: { metadata: { labels }, spec: httpPodSpec({ ...args, name: app, image, port }) },
        },
      }, child);
      if (autoscaled) {
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-${color}`, {
          metadata: { ...meta, labels: stableLabels },
          spec: hpaSpec(`${label}-${color}`, deployment.metadata.name, args.autoscale!),
        }, child);
      }
      new k8s.policy.v1.PodDisruptionBudget(`${name}-${color}`, {
        metadata: { ...meta, labels: stableLabels },
        spec: { maxUnavailable: 1, selector: { matchLabels: colorSelector(color) } },
      }, child);
    }

    const serviceLabels = standardLabels({ name: app, component: "web", partOf: args.partOf });
    // The provider's Service await runs after the selector is written, so it holds no traffic
    // back; it waits until the endpoints have been still for 10 s, and passes with none ready.
    // For the Services that carry traffic it only made each flip 10 s longer: what holds traffic
    // is the guard and the smoke Job, before the live selector moves. The smoke Service keeps its
    // await: the Job that calls through it starts once its endpoints have settled.
    const service = (resourceName: string, serviceName: string, color: Color, o: pulumi.CustomResourceOptions, awaited = false) =>
      new k8s.core.v1.Service(resourceName, {
        metadata: { name: serviceName, namespace: args.namespace, labels: serviceLabels, annotations: awaited ? undefined : SKIP_AWAIT },
        spec: { type: "ClusterIP", selector: colorSelector(color), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
      }, o);

    const preview = service(`${name}-preview`, `${app}-preview`, inactive, child);
    const previewAddress = pulumi.interpolate`${preview.metadata.name}.${args.namespace}.svc.cluster.local`;

    // The gate: a Job named after the image it vets, so each promotion runs a fresh one. It calls
    // the color about to go live through its own stable Service (selected like the live one will
    // be), and the live selector change waits for the Job to succeed.
    const gate: pulumi.Resource[] = [guard];
    if (args.smokeTest) {
      const target = args.images[live]!;
      const hash = crypto.createHash("sha256").update(target).digest("hex").slice(0, 10);
      const expect = args.smokeTest.expectStatus ?? 200;
      const url = pulumi.interpolate`http://${app}-smoke.${args.namespace}.svc.cluster.local${args.smokeTest.path}`;
      // Prod pulls it from its own registry by digest (the policy pack requires that).
      const smokeImage = args.smokeTest.image ?? BLUE_GREEN_DEFAULTS.smokeTestImage;
      const smokeService = service(`${name}-smoke`, `${app}-smoke`, live, child, true);
      const smokeLabels = { ...serviceLabels, "app.kubernetes.io/component": "smoke-test" };
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
      }, { parent: this, dependsOn: [guard, smokeService] }));
    }

    const liveService = service(name, app, live, { parent: this, dependsOn: gate });

    if (args.route) {
      // During a gradual shift the route weights a Service per color; otherwise it sends
      // everything to the live Service, so a flip stays a selector change only.
      let backendRefs: HttpRouteSpec["rules"][number]["backendRefs"] = [{ name: liveService.metadata.name, port: 80 }];
      if (weights && viaRoute) {
        backendRefs = COLORS.map((color) => {
          const perColor = service(`${name}-${color}`, `${app}-${color}`, color, child);
          return { name: perColor.metadata.name, port: 80, weight: weights[color] };
        });
      }
      const r = args.route;
      const spec: HttpRouteSpec = {
        parentRefs: [{ name: r.gateway.name, namespace: r.gateway.namespace, sectionName: r.gateway.sectionName }],
        hostnames: r.hostnames && r.hostnames.length > 0 ? r.hostnames : undefined,
        rules: [{ matches: [{ path: { type: "PathPrefix", value: r.path ?? BLUE_GREEN_DEFAULTS.routePath } }], backendRefs }],
      };
      const httpRoute = new k8s.apiextensions.CustomResource(`${name}-route`, {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: app, namespace: args.namespace, labels: serviceLabels },
        spec,
      }, { parent: this, dependsOn: gate });
      this.routeName = httpRoute.metadata.name;
    }

    if (weights && !viaRoute) {
      new IstioTrafficSplit(`${name}-mesh`, { app, namespace: args.namespace, weights, labels: serviceLabels }, { parent: this, dependsOn: gate });
    }

    this.activeColor = live;
    this.inactiveColor = inactive;
    this.images = args.images;
    this.weights = weights;
    this.serviceName = liveService.metadata.name;
    this.previewServiceName = preview.metadata.name;
    this.previewAddress = previewAddress;
    this.selector = pulumi.output<Record<string, string>>(colorSelector(live));
    this.registerOutputs({
      activeColor: live, inactiveColor: inactive, images: args.images, weights,
      serviceName: this.serviceName, previewServiceName: this.previewServiceName, previewAddress, selector: this.selector, routeName: this.routeName,
    });
  }
}
