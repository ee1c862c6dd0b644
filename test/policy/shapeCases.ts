// The shape cases of test/policy/shapes.test.ts: per rule, how to break it on a workload of any shape.
import { PackResource } from "../support/policy";
import { IMAGE, partsOf } from "./fixtures";

export type Parts = ReturnType<typeof partsOf>;

export interface Case {
  /** Breaks the rule on a workload of any shape. */
  violate(w: Parts): void;
  fragment: string;
  /** Resources the rule needs beside the workload (a Service, an HPA), in the passing and the violating run. */
  setup?(w: Parts): PackResource[];
}

const shop = (type: string, kind: string, name: string, spec: Record<string, any>): PackResource => ({
  type,
  name,
  props: { kind, metadata: { name, namespace: "shop", labels: { "app.kubernetes.io/name": "cart", "app.kubernetes.io/part-of": "shop" } }, spec },
});

/** A rule's case: the edit that breaks it, a fragment of the message, what it needs beside the workload. */
const breaks = (violate: Case["violate"], fragment: string, setup?: Case["setup"]): Case => ({ setup, violate, fragment });

export const cases: Record<string, Case> = {
  "image-tag-pinned": breaks((w) => (w.main.image = "harbor.prod.example.com/shop/cart"), "has no tag"),
  "image-digest-required": breaks((w) => (w.main.image = "harbor.prod.example.com/shop/cart:1.2.3"), "is not pinned by digest"),
  "image-registry-allowed": breaks((w) => (w.main.image = "postgres@sha256:" + "3".repeat(64)), 'comes from "docker.io"'),
  "no-runtime-package-installs": breaks((w) => (w.main.command = ["sh", "-c", "apk add curl && exec app"]), "installs software at start-up"),
  "secret-env-from-secret-ref": breaks((w) => w.main.env.push({ name: "API_TOKEN", value: "t0ken" }), "env API_TOKEN looks like a credential"),
  "backing-service-by-reference": breaks((w) => w.main.env.push({ name: "CACHE", value: "localhost:6379" }), "points at localhost"),
  "release-labels": breaks((w) => delete w.podMeta.labels["app.kubernetes.io/version"], "lack app.kubernetes.io/version"),
  "no-hostpath-volumes": breaks((w) => w.spec.volumes.push({ name: "root", hostPath: { path: "/" } }), 'volume "root" is a hostPath (/)'),
  "emptydir-size-limit": breaks((w) => (w.spec.volumes[0].emptyDir = {}), 'emptyDir volume "tmp" has no sizeLimit'),
  "no-rwo-claim-in-deployment": breaks(
    (w) => w.spec.volumes.push({ name: "data", persistentVolumeClaim: { claimName: "cart-data" } }),
    'mounts claim "cart-data" which is ReadWriteOnce',
    () => [shop("kubernetes:core/v1:PersistentVolumeClaim", "PersistentVolumeClaim", "cart-data", { accessModes: ["ReadWriteOnce"] })],
  ),
  "named-container-ports": breaks((w) => delete w.main.ports, "declares no ports"),
  "service-targets-workload": breaks(
    (w) => (w.main.ports[0].name = "web"),
    'targets "http", which no selected container declares',
    () => [shop("kubernetes:core/v1:Service", "Service", "cart", { selector: { app: "cart" }, ports: [{ name: "http", port: 80, targetPort: "http" }] })],
  ),
  "no-host-port-or-network": breaks((w) => (w.main.ports[0].hostPort = 8080), "binds hostPort 8080"),
  "resource-requests": breaks((w) => delete w.main.resources.requests.cpu, "requests no cpu"),
  "replicas-for-availability": breaks((w) => (w.props.spec.replicas = 1), "runs 1 replica(s) and no HPA scales it"),
  "hpa-owns-replicas": {
    setup: (w) => {
      if (w.props.spec?.replicas !== undefined) delete w.props.spec.replicas;
      return [
        shop("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "HorizontalPodAutoscaler", "cart", {
          scaleTargetRef: { apiVersion: "apps/v1", kind: w.props.kind, name: "cart" },
          minReplicas: 2,
          maxReplicas: 4,
        }),
      ];
    },
    violate: (w) => {
      if (w.props.spec) w.props.spec.replicas = 3;
    },
    fragment: "sets spec.replicas=3 but an HPA scales it",
  },
  "probes-distinct": breaks((w) => delete w.main.livenessProbe, "has no livenessProbe"),
  "termination-grace-bounded": breaks((w) => (w.spec.terminationGracePeriodSeconds = 600), "terminationGracePeriodSeconds is 600"),
  "jobs-bounded": {
    violate: (w) => {
      if (w.job) delete w.job.activeDeadlineSeconds;
      else w.props.spec.activeDeadlineSeconds = undefined;
    },
    fragment: "sets no activeDeadlineSeconds",
  },
  "images-promoted": breaks((w) => (w.main.image = IMAGE.replace(/sha256:.*/, "sha256:" + "9".repeat(64))), "was never promoted from dev"),
  "logs-to-stdout": breaks((w) => w.main.volumeMounts.push({ name: "tmp", mountPath: "/var/log/cart" }), "at log path /var/log/cart"),
  "migrations-as-jobs": breaks(
    (w) => (w.spec.initContainers = [{ ...w.main, name: "schema", args: ["flyway", "migrate"] }]),
    'initContainers[0] "schema" runs a migration ("flyway")',
  ),
  "no-privileged-containers": breaks((w) => (w.main.securityContext.privileged = true), "is privileged"),
  "no-privilege-escalation": breaks((w) => delete w.main.securityContext.allowPrivilegeEscalation, "does not set allowPrivilegeEscalation: false"),
  "run-as-non-root": breaks((w) => (w.main.securityContext.runAsUser = 0), "runs as uid 0"),
  "drop-all-capabilities": breaks((w) => (w.main.securityContext.capabilities.add = ["NET_ADMIN"]), "adds capabilities NET_ADMIN"),
  "read-only-root-filesystem": breaks((w) => (w.main.securityContext.readOnlyRootFilesystem = false), "has a writable root filesystem"),
  "no-host-namespaces": breaks((w) => (w.spec.hostIPC = true), "sets hostIPC: true"),
  "seccomp-profile-restricted": breaks((w) => (w.spec.securityContext.seccompProfile = { type: "Unconfined" }), "runs with seccomp profile Unconfined"),
  "proc-mount-default": breaks((w) => (w.main.securityContext.procMount = "Unmasked"), "sets procMount Unmasked"),
  "safe-sysctls-only": breaks((w) => (w.spec.securityContext.sysctls = [{ name: "kernel.sem", value: "250" }]), "sets sysctl kernel.sem"),
  "selinux-options-restricted": breaks((w) => (w.main.securityContext.seLinuxOptions = { role: "sysadm_r" }), "sets SELinux role sysadm_r"),
  "apparmor-not-unconfined": breaks((w) => (w.main.securityContext.appArmorProfile = { type: "Unconfined" }), "runs with AppArmor profile Unconfined"),
  "restricted-volume-types": breaks(
    (w) => w.spec.volumes.push({ name: "disk", gcePersistentDisk: { pdName: "d" } }),
    'volume "disk" is of type gcePersistentDisk',
  ),
  "memory-limits": breaks((w) => delete w.main.resources.limits.memory, "sets no memory limit"),
  "no-default-namespace": breaks((w) => (w.props.metadata.namespace = "default"), "is in the default namespace"),
};
