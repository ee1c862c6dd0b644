// Two Deployments (blue, green) behind one Service. The live color is an input: changing it
// changes only the Service selectors, so a flip is instant and flipping back is the rollback.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BLUE_GREEN_DEFAULTS } from "./defaults";
import { imageVersion, standardLabels } from "./labels";
import { IstioTrafficSplit } from "./istioTrafficSplit";
import { LiveReleaseGuard } from "./liveReleaseGuard";
import { restrictedContainer, restrictedPod } from "./podSecurity";
import { appNameProblems, assertNoVerdicts, blueGreenProblems, type Color, COLORS, otherColor, type SplitVia, trafficOf } from "./rules";
import { HttpPodArgs, hpaSpec, httpPodSpec, Rollout, rolloutSpec, Scaling } from "./workloadParts";

export { BLUE_GREEN_DEFAULTS } from "./defaults";

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
  /** Fixed size per color. Ignored for colors an HPA manages (see autoscale). @default BLUE_GREEN_DEFAULTS.replicas (2) each */
  replicas?: Partial<Record<Color, number>>;
  /** An HPA per color; the Deployments then leave `spec.replicas` to it. */
  autoscale?: Scaling;
  /** Scale the inactive color to zero. Do it in a separate update after the flip. @default false */
  retireInactive?: boolean;
  /** Allow this update to change the live color's image (a hotfix that skips the preview step). @default false */
  allowLiveUpdate?: boolean;
  /** @default BLUE_GREEN_DEFAULTS.port (8080) */
  port?: number;
  /** @default ROLLOUT_DEFAULTS */
  rollout?: Rollout;
  /** Before the live selector moves, a Job calls the color about to go live and must get this status. */
  smokeTest?: {
    path: string;
    /** @default BLUE_GREEN_DEFAULTS.smokeTestExpectStatus (200) */
    expectStatus?: number;
    /** @default BLUE_GREEN_DEFAULTS.smokeTestImage */
    image?: string;
  };
  /** Expose through a Gateway API HTTPRoute (needed for trafficSplit). */
  route?: GatewayRoute;
  /** Percent of the traffic for one color, e.g. `{ green: 10 }`; 0 and 100 are plain flips. */
  trafficSplit?: Partial<Record<Color, number>>;
  /** Who weights a split: the route, or an Istio VirtualService between sidecars (istioTrafficSplit.ts). @default "gateway" */
  splitVia?: SplitVia;
  /** Names the app in error messages (e.g. `payments/web`). */
  displayName?: string;
  partOf?: string;
}

/** The Kubernetes provider's annotation that skips its readiness await for one object. */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

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
    // The rules config validation applies; here too, since the Service await accepts a selector that matches no Pods.
    assertNoVerdicts(`BlueGreenService ${label}`, [
      ...appNameProblems(app, "blueGreen", args.smokeTest !== undefined),
      ...blueGreenProblems({
        activeColor: args.activeColor,
        trafficSplit: args.trafficSplit,
        images: args.images,
        replicas: args.replicas,
        autoscaled: args.autoscale !== undefined,
        routed: args.route !== undefined || args.splitVia === "istio",
        retireInactive: args.retireInactive ?? false,
      }),
    ]);
    const { live, weights } = trafficOf(args.activeColor, args.trafficSplit);
    const inactive = otherColor(live);
    const viaRoute = (args.splitVia ?? "gateway") === "gateway";
    const port = args.port ?? BLUE_GREEN_DEFAULTS.port;
    const colorSelector = (color: Color) => ({ app, color });

    // Everything waits for the guard, so a refused release changes nothing of this app.
    const guard = new LiveReleaseGuard(
      `${name}-release`,
      {
        app: label,
        liveColor: live,
        images: args.images,
        allowLiveUpdate: args.allowLiveUpdate ?? false,
      },
      { parent: this },
    );
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
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-${color}`,
        {
          metadata: meta,
          spec: {
            // An HPA owns the count of an autoscaled color; server-side apply would otherwise fight it.
            replicas: autoscaled ? undefined : retired ? 0 : (args.replicas?.[color] ?? BLUE_GREEN_DEFAULTS.replicas),
            // Fixed per color, never derived from image or version, so no change ever replaces it.
            selector: { matchLabels: colorSelector(color) },
            ...rolloutSpec(args.rollout),
            template: { metadata: { labels }, spec: httpPodSpec({ ...args, name: app, image, port }) },
          },
        },
        child,
      );
      if (autoscaled) {
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
          `${name}-${color}`,
          {
            metadata: { ...meta, labels: stableLabels },
            spec: hpaSpec(`${label}-${color}`, deployment.metadata.name, args.autoscale!),
          },
          child,
        );
      }
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${color}`,
        {
          metadata: { ...meta, labels: stableLabels },
          spec: { maxUnavailable: 1, selector: { matchLabels: colorSelector(color) } },
        },
        child,
      );
    }

    const serviceLabels = standardLabels({ name: app, component: "web", partOf: args.partOf });
    // The provider's Service await runs after the selector is written, so it holds no traffic
    // back; it waits until the endpoints have been still for 10 s, and passes with none ready.
    // For the Services that carry traffic it only made each flip 10 s longer: what holds traffic
    // is the guard and the smoke Job, before the live selector moves. The smoke Service keeps its
    // await: the Job that calls through it starts once its endpoints have settled.
    const service = (resourceName: string, serviceName: string, color: Color, o: pulumi.CustomResourceOptions, awaited = false) =>
      new k8s.core.v1.Service(
        resourceName,
        {
          metadata: { name: serviceName, namespace: args.namespace, labels: serviceLabels, annotations: awaited ? undefined : SKIP_AWAIT },
          spec: { type: "ClusterIP", selector: colorSelector(color), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
        },
        o,
      );

    const preview = service(`${name}-preview`, `${app}-preview`, inactive, child);
    const previewAddress = pulumi.interpolate`${preview.metadata.name}.${args.namespace}.svc.cluster.local`;

    // The gate: a Job named after the image it vets, so each promotion runs a fresh one. It calls
    // the color about to go live through its own stable Service (selected like the live one will
    // be), and the live selector change waits for the Job to succeed.
    const gate: pulumi.Resource[] = [guard];
    if (args.smokeTest) {
      const target = args.images[live]!;
      const hash = crypto.createHash("sha256").update(target).digest("hex").slice(0, 10);
      const expect = args.smokeTest.expectStatus ?? BLUE_GREEN_DEFAULTS.smokeTestExpectStatus;
      const url = pulumi.interpolate`http://${app}-smoke.${args.namespace}.svc.cluster.local${args.smokeTest.path}`;
      // Prod pulls it from its own registry by digest (the policy pack requires that).
      const smokeImage = args.smokeTest.image ?? BLUE_GREEN_DEFAULTS.smokeTestImage;
      const smokeService = service(`${name}-smoke`, `${app}-smoke`, live, child, true);
      const smokeLabels = { ...serviceLabels, "app.kubernetes.io/component": "smoke-test" };
      gate.push(
        new k8s.batch.v1.Job(
          `${name}-smoke-${hash}`,
          {
            metadata: { name: `${app}-smoke-${hash}`, namespace: args.namespace, labels: smokeLabels },
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: BLUE_GREEN_DEFAULTS.smokeTestDeadlineSeconds,
              template: {
                metadata: { labels: { ...smokeLabels, "app.kubernetes.io/version": imageVersion(smokeImage) } },
                spec: {
                  restartPolicy: "Never",
                  automountServiceAccountToken: false,
                  securityContext: restrictedPod({ runAsUser: 100 }),
                  containers: [
                    {
                      name: "smoke",
                      image: smokeImage,
                      // The target is an argument of this one-off check, not a backing service's address.
                      command: [
                        "sh",
                        "-c",
                        `code=$(curl -s -o /dev/null -w '%{http_code}' "$1"); echo "got $code, want ${expect}"; test "$code" = "${expect}"`,
                        "smoke",
                      ],
                      args: [url],
                      resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                      securityContext: restrictedContainer(),
                    },
                  ],
                },
              },
            },
          },
          { parent: this, dependsOn: [guard, smokeService] },
        ),
      );
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
      const httpRoute = new k8s.apiextensions.CustomResource(
        `${name}-route`,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name: app, namespace: args.namespace, labels: serviceLabels },
          spec,
        },
        { parent: this, dependsOn: gate },
      );
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
      activeColor: live,
      inactiveColor: inactive,
      images: args.images,
      weights,
      serviceName: this.serviceName,
      previewServiceName: this.previewServiceName,
      previewAddress,
      selector: this.selector,
      routeName: this.routeName,
    });
  }
}
