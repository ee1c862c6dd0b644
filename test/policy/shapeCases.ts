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

export const cases: Record<string, Case> = {
  "image-tag-pinned": {
    violate: (w) => {
      w.main.image = "harbor.prod.example.com/shop/cart";
    },
    fragment: "has no tag",
  },
  "image-digest-required": {
    violate: (w) => {
      w.main.image = "harbor.prod.example.com/shop/cart:1.2.3";
    },
    fragment: "is not pinned by digest",
  },
  "image-registry-allowed": {
    violate: (w) => {
      w.main.image = "postgres@sha256:" + "3".repeat(64);
    },
    fragment: 'comes from "docker.io"',
  },
  "no-runtime-package-installs": {
    violate: (w) => {
      w.main.command = ["sh", "-c", "apk add curl && exec app"];
    },
    fragment: "installs software at start-up",
  },
  "secret-env-from-secret-ref": {
    violate: (w) => {
      w.main.env.push({ name: "API_TOKEN", value: "t0ken" });
    },
    fragment: "env API_TOKEN looks like a credential",
  },
  "backing-service-by-reference": {
    violate: (w) => {
      w.main.env.push({ name: "CACHE", value: "localhost:6379" });
    },
    fragment: "points at localhost",
  },
  "release-labels": {
    violate: (w) => {
      delete w.podMeta.labels["app.kubernetes.io/version"];
    },
    fragment: "lack app.kubernetes.io/version",
  },
  "no-hostpath-volumes": {
    violate: (w) => {
      w.spec.volumes.push({ name: "root", hostPath: { path: "/" } });
    },
    fragment: 'volume "root" is a hostPath (/)',
  },
  "emptydir-size-limit": {
    violate: (w) => {
      w.spec.volumes[0].emptyDir = {};
    },
    fragment: 'emptyDir volume "tmp" has no sizeLimit',
  },
  "no-rwo-claim-in-deployment": {
    setup: () => [shop("kubernetes:core/v1:PersistentVolumeClaim", "PersistentVolumeClaim", "cart-data", { accessModes: ["ReadWriteOnce"] })],
    violate: (w) => {
      w.spec.volumes.push({ name: "data", persistentVolumeClaim: { claimName: "cart-data" } });
    },
    fragment: 'mounts claim "cart-data" which is ReadWriteOnce',
  },
  "named-container-ports": {
    violate: (w) => {
      delete w.main.ports;
    },
    fragment: "declares no ports",
  },
  "service-targets-workload": {
    setup: () => [
      shop("kubernetes:core/v1:Service", "Service", "cart", { selector: { app: "cart" }, ports: [{ name: "http", port: 80, targetPort: "http" }] }),
    ],
    violate: (w) => {
      w.main.ports[0].name = "web";
    },
    fragment: 'targets "http", which no selected container declares',
  },
  "no-host-port-or-network": {
    violate: (w) => {
      w.main.ports[0].hostPort = 8080;
    },
    fragment: "binds hostPort 8080",
  },
  "resource-requests": {
    violate: (w) => {
      delete w.main.resources.requests.cpu;
    },
    fragment: "requests no cpu",
  },
  "replicas-for-availability": {
    violate: (w) => {
      w.props.spec.replicas = 1;
    },
    fragment: "runs 1 replica(s) and no HPA scales it",
  },
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
  "probes-distinct": {
    violate: (w) => {
      delete w.main.livenessProbe;
    },
    fragment: "has no livenessProbe",
  },
  "termination-grace-bounded": {
    violate: (w) => {
      w.spec.terminationGracePeriodSeconds = 600;
    },
    fragment: "terminationGracePeriodSeconds is 600",
  },
  "jobs-bounded": {
    violate: (w) => {
      if (w.job) delete w.job.activeDeadlineSeconds;
      else w.props.spec.activeDeadlineSeconds = undefined;
    },
    fragment: "sets no activeDeadlineSeconds",
  },
  "images-promoted": {
    violate: (w) => {
      w.main.image = IMAGE.replace(/sha256:.*/, "sha256:" + "9".repeat(64));
    },
    fragment: "was never promoted from dev",
  },
  "logs-to-stdout": {
    violate: (w) => {
      w.main.volumeMounts.push({ name: "tmp", mountPath: "/var/log/cart" });
    },
    fragment: "at log path /var/log/cart",
  },
  "migrations-as-jobs": {
    violate: (w) => {
      w.spec.initContainers = [{ ...w.main, name: "schema", args: ["flyway", "migrate"] }];
    },
    fragment: 'initContainers[0] "schema" runs a migration ("flyway")',
  },
  "no-privileged-containers": {
    violate: (w) => {
      w.main.securityContext.privileged = true;
    },
    fragment: "is privileged",
  },
  "no-privilege-escalation": {
    violate: (w) => {
      delete w.main.securityContext.allowPrivilegeEscalation;
    },
    fragment: "does not set allowPrivilegeEscalation: false",
  },
  "run-as-non-root": {
    violate: (w) => {
      w.main.securityContext.runAsUser = 0;
    },
    fragment: "runs as uid 0",
  },
  "drop-all-capabilities": {
    violate: (w) => {
      w.main.securityContext.capabilities.add = ["NET_ADMIN"];
    },
    fragment: "adds capabilities NET_ADMIN",
  },
  "read-only-root-filesystem": {
    violate: (w) => {
      w.main.securityContext.readOnlyRootFilesystem = false;
    },
    fragment: "has a writable root filesystem",
  },
  "no-host-namespaces": {
    violate: (w) => {
      w.spec.hostIPC = true;
    },
    fragment: "sets hostIPC: true",
  },
  "seccomp-profile-restricted": {
    violate: (w) => {
      w.spec.securityContext.seccompProfile = { type: "Unconfined" };
    },
    fragment: "runs with seccomp profile Unconfined",
  },
  "proc-mount-default": {
    violate: (w) => {
      w.main.securityContext.procMount = "Unmasked";
    },
    fragment: "sets procMount Unmasked",
  },
  "safe-sysctls-only": {
    violate: (w) => {
      w.spec.securityContext.sysctls = [{ name: "kernel.sem", value: "250" }];
    },
    fragment: "sets sysctl kernel.sem",
  },
  "selinux-options-restricted": {
    violate: (w) => {
      w.main.securityContext.seLinuxOptions = { role: "sysadm_r" };
    },
    fragment: "sets SELinux role sysadm_r",
  },
  "apparmor-not-unconfined": {
    violate: (w) => {
      w.main.securityContext.appArmorProfile = { type: "Unconfined" };
    },
    fragment: "runs with AppArmor profile Unconfined",
  },
  "restricted-volume-types": {
    violate: (w) => {
      w.spec.volumes.push({ name: "disk", gcePersistentDisk: { pdName: "d" } });
    },
    fragment: 'volume "disk" is of type gcePersistentDisk',
  },
  "memory-limits": {
    violate: (w) => {
      delete w.main.resources.limits.memory;
    },
    fragment: "sets no memory limit",
  },
  "no-default-namespace": {
    violate: (w) => {
      w.props.metadata.namespace = "default";
    },
    fragment: "is in the default namespace",
  },
};
