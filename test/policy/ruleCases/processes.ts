// Rule cases: Processes, port binding, concurrency, disposability (policy/rules/processes.ts, portBinding.ts, concurrency.ts, disposability.ts).
// violations: rule -> [what is broken, the edit, a fragment of the expected message]; passes: close but fine.
import { main } from "../fixtures";
import { deploymentSpec, dMain, dSpec, Edit, hpaSpec, jobSpec, serviceSpec } from "./harness";

/** The HPA pointed at another workload, so the Deployment runs its own `replicas`. */
const withoutHpa =
  (replicas: number): Edit =>
  (s) => {
    s.hpa.name = "other";
    hpaSpec(s).scaleTargetRef.name = "other";
    deploymentSpec(s).replicas = replicas;
  };

export const violations: [string, string, Edit, string][] = [
  [
    "no-hostpath-volumes",
    "hostPath in a Deployment",
    (s) => dSpec(s).volumes.push({ name: "cache", hostPath: { path: "/srv/cache" } }),
    'volume "cache" is a hostPath (/srv/cache)',
  ],
  ["emptydir-size-limit", "unbounded emptyDir", (s) => (dSpec(s).volumes[0].emptyDir = {}), 'emptyDir volume "tmp" has no sizeLimit'],
  ["no-sticky-sessions", "ClientIP affinity", (s) => (serviceSpec(s).sessionAffinity = "ClientIP"), "sessionAffinity is ClientIP"],
  [
    "no-rwo-claim-in-deployment",
    "RWO claim",
    (s) => {
      dSpec(s).volumes.push({ name: "data", persistentVolumeClaim: { claimName: "cart-data" } });
      s.extra.push({
        type: "kubernetes:core/v1:PersistentVolumeClaim",
        name: "cart-data",
        props: { metadata: { name: "cart-data", namespace: "shop" }, spec: { accessModes: ["ReadWriteOnce"] } },
      });
    },
    'mounts claim "cart-data" which is ReadWriteOnce',
  ],
  ["named-container-ports", "no ports", (s) => delete dMain(s).ports, 'containers[0] "cart" declares no ports'],
  ["named-container-ports", "unnamed port", (s) => (dMain(s).ports = [{ containerPort: 8080 }]), "port 8080 has no name"],
  [
    "service-targets-workload",
    "selector matches nothing",
    (s) => (serviceSpec(s).selector = { app: "kart" }),
    'selector {"app":"kart"} matches no workload in namespace shop',
  ],
  [
    "service-targets-workload",
    "targetPort not declared",
    (s) => (serviceSpec(s).ports[0].targetPort = "web"),
    'targets "web", which no selected container declares',
  ],
  ["no-host-port-or-network", "hostNetwork", (s) => (dSpec(s).hostNetwork = true), "uses hostNetwork"],
  ["no-host-port-or-network", "hostPort", (s) => (dMain(s).ports[0].hostPort = 80), "binds hostPort 80"],
  ["resource-requests", "no memory request", (s) => delete dMain(s).resources.requests.memory, "requests no memory"],
  ["replicas-for-availability", "one replica, no HPA", withoutHpa(1), "runs 1 replica(s) and no HPA scales it"],
  ["replicas-for-availability", "HPA min 1", (s) => (hpaSpec(s).minReplicas = 1), "its HPA allows 1 replica(s), below 2"],
  ["replicas-for-availability", "HPA max = min", (s) => (hpaSpec(s).maxReplicas = 2), "its HPA cannot scale out"],
  ["hpa-owns-replicas", "replicas set under an HPA", (s) => (deploymentSpec(s).replicas = 3), "sets spec.replicas=3 but an HPA scales it"],
  ["probes-distinct", "no liveness probe", (s) => delete dMain(s).livenessProbe, "has no livenessProbe"],
  ["probes-distinct", "identical probes", (s) => (dMain(s).livenessProbe = { ...dMain(s).readinessProbe }), "identical readiness and liveness probes"],
  ["termination-grace-bounded", "10 minutes", (s) => (dSpec(s).terminationGracePeriodSeconds = 600), "terminationGracePeriodSeconds is 600, above 60"],
  ["jobs-bounded", "no deadline", (s) => delete jobSpec(s).activeDeadlineSeconds, "sets no activeDeadlineSeconds"],
  ["jobs-bounded", "no backoffLimit", (s) => delete jobSpec(s).backoffLimit, "sets no backoffLimit"],
  ["no-node-port-or-external-ips", "a NodePort Service", (s) => (serviceSpec(s).type = "NodePort"), "Service shop/cart: is of type NodePort"],
  ["no-node-port-or-external-ips", "externalIPs", (s) => (serviceSpec(s).externalIPs = ["203.0.113.7"]), "sets externalIPs 203.0.113.7"],
];

export const passes: [string, string, Edit][] = [
  ["replicas-for-availability", "a retired color scaled to 0", withoutHpa(0)],
  ["no-host-port-or-network", "hostPort 0 (no host port)", (s) => (dMain(s).ports[0].hostPort = 0)],
  ["no-node-port-or-external-ips", "a LoadBalancer Service", (s) => (serviceSpec(s).type = "LoadBalancer")],
  ["named-container-ports", "a Job without ports", (s) => delete main(s.job).ports],
  ["probes-distinct", "same handler, different thresholds", (s) => (dMain(s).livenessProbe = { ...dMain(s).readinessProbe, failureThreshold: 6 })],
];
