// Every rule against the compliant fixture stack (passes) and against one edit of it (violates).
import { rules } from "../../policy/pack";
import { analyze, format, PackResource } from "../support/policy";
import { container, deployment, main, specOf, stack, strictConfig } from "./fixtures";

type Edit = (s: {
  deployment: PackResource;
  job: PackResource;
  service: PackResource;
  hpa: PackResource;
  configMap: PackResource;
  extra: PackResource[];
}) => void;

/** The fixture stack after `edit`, run through the pack with every rule mandatory. */
async function run(edit: Edit = () => {}) {
  const [d, j, s, h, c] = stack();
  const parts = { deployment: d, job: j, service: s, hpa: h, configMap: c, extra: [] as PackResource[] };
  edit(parts);
  return analyze([parts.deployment, parts.job, parts.service, parts.hpa, parts.configMap, ...parts.extra], strictConfig);
}

const dSpec = (s: Parameters<Edit>[0]) => specOf(s.deployment);
const dMain = (s: Parameters<Edit>[0]) => main(s.deployment);
const jobSpec = (s: Parameters<Edit>[0]) => (s.job.props as any).spec;
const pod = (spec: Record<string, any>): PackResource => ({
  type: "kubernetes:core/v1:Pod",
  name: "debug",
  props: { kind: "Pod", metadata: { name: "debug", namespace: "shop", labels: (deployment().props as any).metadata.labels }, spec },
});

// rule -> [what is broken, the edit, a fragment of the expected message]
const violations: [string, string, Edit, string][] = [
  [
    "image-tag-pinned",
    "no tag",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart";
    },
    'image "harbor.prod.example.com/shop/cart" has no tag',
  ],
  [
    "image-tag-pinned",
    "latest",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart:latest";
    },
    'moving tag "latest"',
  ],
  [
    "image-digest-required",
    "a tag",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3";
    },
    "is not pinned by digest",
  ],
  [
    "image-registry-allowed",
    "Docker Hub",
    (s) => {
      dMain(s).image = "postgres@sha256:" + "3".repeat(64);
    },
    'comes from "docker.io"',
  ],
  [
    "no-runtime-package-installs",
    "apt-get install",
    (s) => {
      dMain(s).command = ["sh", "-c", "apt-get update && apt-get install -y curl && exec app"];
    },
    "installs software at start-up",
  ],
  [
    "no-runtime-package-installs",
    "pip install",
    (s) => {
      dMain(s).args = ["pip", "install", "requests"];
    },
    '"pip install"',
  ],
  [
    "secret-env-from-secret-ref",
    "literal password",
    (s) => {
      dMain(s).env.push({ name: "DB_PASSWORD", value: "hunter2" });
    },
    "env DB_PASSWORD looks like a credential but is a literal value",
  ],
  [
    "secret-env-from-secret-ref",
    "token from a ConfigMap",
    (s) => {
      dMain(s).env.push({ name: "API_TOKEN", valueFrom: { configMapKeyRef: { name: "c", key: "t" } } });
    },
    "does not come from a Secret",
  ],
  [
    "secret-env-from-secret-ref",
    "PEM in a literal",
    (s) => {
      dMain(s).env.push({ name: "TLS", value: "-----BEGIN RSA PRIVATE KEY-----\nMIIE" });
    },
    "env TLS holds a PEM private key",
  ],
  [
    "configmap-no-secrets",
    "a password key",
    (s) => {
      (s.configMap.props as any).data["db-password"] = "x";
    },
    'data key "db-password" looks like a credential',
  ],
  [
    "configmap-no-secrets",
    "an access key",
    (s) => {
      (s.configMap.props as any).data["aws.conf"] = "id=AKIAABCDEFGHIJKLMNOP";
    },
    "contains a cloud access key id",
  ],
  [
    "configmap-no-secrets",
    "user:pass@ URL",
    (s) => {
      (s.configMap.props as any).data.DB = "postgres://app:s3cret@db:5432/app";
    },
    "contains a URL with user:password@",
  ],
  [
    "backing-service-by-reference",
    "localhost",
    (s) => {
      dMain(s).env.push({ name: "CACHE", value: "localhost:6379" });
    },
    "points at localhost or a fixed IP",
  ],
  [
    "backing-service-by-reference",
    "IP literal",
    (s) => {
      dMain(s).env.push({ name: "UPSTREAM", value: "http://10.0.3.7:8080" });
    },
    "points at localhost or a fixed IP",
  ],
  [
    "backing-service-by-reference",
    "literal DATABASE_URL",
    (s) => {
      dMain(s).env.push({ name: "DATABASE_URL", value: "postgres://db.shop.svc/app" });
    },
    "env DATABASE_URL is a literal connection setting",
  ],
  [
    "release-labels",
    "no version label",
    (s) => {
      delete (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"];
    },
    "pod labels lack app.kubernetes.io/version",
  ],
  [
    "release-labels",
    "version not the image",
    (s) => {
      (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"] = "9.9.9";
    },
    'app.kubernetes.io/version="9.9.9" matches none of its images',
  ],
  [
    "release-labels",
    "no part-of",
    (s) => {
      delete (s.job.props as any).metadata.labels["app.kubernetes.io/part-of"];
    },
    "metadata.labels lack app.kubernetes.io/part-of",
  ],
  [
    "service-labels",
    "no name label",
    (s) => {
      delete (s.service.props as any).metadata.labels["app.kubernetes.io/name"];
    },
    "metadata.labels lack app.kubernetes.io/name",
  ],
  [
    "no-hostpath-volumes",
    "hostPath in a Deployment",
    (s) => {
      dSpec(s).volumes.push({ name: "cache", hostPath: { path: "/srv/cache" } });
    },
    'volume "cache" is a hostPath (/srv/cache)',
  ],
  [
    "emptydir-size-limit",
    "unbounded emptyDir",
    (s) => {
      dSpec(s).volumes[0].emptyDir = {};
    },
    'emptyDir volume "tmp" has no sizeLimit',
  ],
  [
    "no-sticky-sessions",
    "ClientIP affinity",
    (s) => {
      (s.service.props as any).spec.sessionAffinity = "ClientIP";
    },
    "sessionAffinity is ClientIP",
  ],
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
  [
    "named-container-ports",
    "no ports",
    (s) => {
      delete dMain(s).ports;
    },
    'containers[0] "cart" declares no ports',
  ],
  [
    "named-container-ports",
    "unnamed port",
    (s) => {
      dMain(s).ports = [{ containerPort: 8080 }];
    },
    "port 8080 has no name",
  ],
  [
    "service-targets-workload",
    "selector matches nothing",
    (s) => {
      (s.service.props as any).spec.selector = { app: "kart" };
    },
    'selector {"app":"kart"} matches no workload in namespace shop',
  ],
  [
    "service-targets-workload",
    "targetPort not declared",
    (s) => {
      (s.service.props as any).spec.ports[0].targetPort = "web";
    },
    'targets "web", which no selected container declares',
  ],
  [
    "no-host-port-or-network",
    "hostNetwork",
    (s) => {
      dSpec(s).hostNetwork = true;
    },
    "uses hostNetwork",
  ],
  [
    "no-host-port-or-network",
    "hostPort",
    (s) => {
      dMain(s).ports[0].hostPort = 80;
    },
    "binds hostPort 80",
  ],
  [
    "resource-requests",
    "no memory request",
    (s) => {
      delete dMain(s).resources.requests.memory;
    },
    "requests no memory",
  ],
  [
    "replicas-for-availability",
    "one replica, no HPA",
    (s) => {
      s.hpa.name = "other";
      (s.hpa.props as any).spec.scaleTargetRef.name = "other";
      (s.deployment.props as any).spec.replicas = 1;
    },
    "runs 1 replica(s) and no HPA scales it",
  ],
  [
    "replicas-for-availability",
    "HPA min 1",
    (s) => {
      (s.hpa.props as any).spec.minReplicas = 1;
    },
    "its HPA allows 1 replica(s), below 2",
  ],
  [
    "replicas-for-availability",
    "HPA max = min",
    (s) => {
      (s.hpa.props as any).spec.maxReplicas = 2;
    },
    "its HPA cannot scale out",
  ],
  [
    "hpa-owns-replicas",
    "replicas set under an HPA",
    (s) => {
      (s.deployment.props as any).spec.replicas = 3;
    },
    "sets spec.replicas=3 but an HPA scales it",
  ],
  [
    "probes-distinct",
    "no liveness probe",
    (s) => {
      delete dMain(s).livenessProbe;
    },
    "has no livenessProbe",
  ],
  [
    "probes-distinct",
    "identical probes",
    (s) => {
      dMain(s).livenessProbe = { ...dMain(s).readinessProbe };
    },
    "identical readiness and liveness probes",
  ],
  [
    "termination-grace-bounded",
    "10 minutes",
    (s) => {
      dSpec(s).terminationGracePeriodSeconds = 600;
    },
    "terminationGracePeriodSeconds is 600, above 60",
  ],
  [
    "jobs-bounded",
    "no deadline",
    (s) => {
      delete jobSpec(s).activeDeadlineSeconds;
    },
    "sets no activeDeadlineSeconds",
  ],
  [
    "jobs-bounded",
    "no backoffLimit",
    (s) => {
      delete jobSpec(s).backoffLimit;
    },
    "sets no backoffLimit",
  ],
  [
    "images-promoted",
    "digest never seen in dev",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart@sha256:" + "9".repeat(64);
    },
    "was never promoted from dev",
  ],
  [
    "logs-to-stdout",
    "log volume",
    (s) => {
      dMain(s).volumeMounts.push({ name: "tmp", mountPath: "/var/log/cart" });
    },
    "at log path /var/log/cart",
  ],
  [
    "logs-to-stdout",
    "LOG_FILE env",
    (s) => {
      dMain(s).env.push({ name: "LOG_FILE", value: "/tmp/app.log" });
    },
    "sets LOG_FILE, a log file setting",
  ],
  [
    "no-naked-pods",
    "a bare Pod",
    (s) => {
      s.extra.push(pod(specOf(deployment())));
    },
    "Pod shop/debug: is a bare Pod",
  ],
  [
    "migrations-as-jobs",
    "flyway init container",
    (s) => {
      dSpec(s).initContainers = [{ ...container(), name: "db", args: ["flyway", "migrate"] }];
    },
    'runs a migration ("flyway")',
  ],
  [
    "no-privileged-containers",
    "privileged",
    (s) => {
      dMain(s).securityContext.privileged = true;
    },
    'containers[0] "cart" is privileged',
  ],
  [
    "no-privilege-escalation",
    "escalation allowed",
    (s) => {
      delete dMain(s).securityContext.allowPrivilegeEscalation;
    },
    "does not set allowPrivilegeEscalation: false",
  ],
  [
    "run-as-non-root",
    "uid 0",
    (s) => {
      dMain(s).securityContext.runAsUser = 0;
    },
    "runs as uid 0",
  ],
  [
    "run-as-non-root",
    "no runAsNonRoot anywhere",
    (s) => {
      delete dMain(s).securityContext.runAsNonRoot;
      delete dSpec(s).securityContext;
    },
    "does not set runAsNonRoot: true",
  ],
  [
    "drop-all-capabilities",
    "nothing dropped",
    (s) => {
      delete dMain(s).securityContext.capabilities;
    },
    "does not drop ALL capabilities",
  ],
  [
    "drop-all-capabilities",
    "SYS_ADMIN added",
    (s) => {
      dMain(s).securityContext.capabilities.add = ["SYS_ADMIN"];
    },
    "adds capabilities SYS_ADMIN",
  ],
  [
    "read-only-root-filesystem",
    "writable root",
    (s) => {
      dMain(s).securityContext.readOnlyRootFilesystem = false;
    },
    "has a writable root filesystem",
  ],
  [
    "no-host-namespaces",
    "hostPID",
    (s) => {
      dSpec(s).hostPID = true;
    },
    "sets hostPID: true",
  ],
  [
    "no-node-port-or-external-ips",
    "a NodePort Service",
    (s) => {
      (s.service.props as any).spec.type = "NodePort";
    },
    "Service shop/cart: is of type NodePort",
  ],
  [
    "no-node-port-or-external-ips",
    "externalIPs",
    (s) => {
      (s.service.props as any).spec.externalIPs = ["203.0.113.7"];
    },
    "sets externalIPs 203.0.113.7",
  ],
  [
    "seccomp-profile-restricted",
    "no profile anywhere",
    (s) => {
      delete dSpec(s).securityContext.seccompProfile;
    },
    'containers[0] "cart" sets no seccomp profile (nor does the pod)',
  ],
  [
    "seccomp-profile-restricted",
    "a container Unconfined",
    (s) => {
      dMain(s).securityContext.seccompProfile = { type: "Unconfined" };
    },
    "runs with seccomp profile Unconfined",
  ],
  [
    "proc-mount-default",
    "Unmasked /proc",
    (s) => {
      dMain(s).securityContext.procMount = "Unmasked";
    },
    "sets procMount Unmasked",
  ],
  [
    "safe-sysctls-only",
    "an unsafe sysctl",
    (s) => {
      dSpec(s).securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }];
    },
    "sets sysctl kernel.msgmax, which is not in the safe set",
  ],
  [
    "selinux-options-restricted",
    "a privileged SELinux type",
    (s) => {
      dMain(s).securityContext.seLinuxOptions = { type: "spc_t" };
    },
    "sets SELinux type spc_t",
  ],
  [
    "selinux-options-restricted",
    "an SELinux user on the pod",
    (s) => {
      dSpec(s).securityContext.seLinuxOptions = { user: "system_u" };
    },
    "the pod sets SELinux user system_u",
  ],
  [
    "apparmor-not-unconfined",
    "Unconfined profile",
    (s) => {
      dSpec(s).securityContext.appArmorProfile = { type: "Unconfined" };
    },
    "the pod runs with AppArmor profile Unconfined",
  ],
  [
    "apparmor-not-unconfined",
    "Unconfined annotation",
    (s) => {
      (s.deployment.props as any).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/cart": "unconfined" };
    },
    "annotation container.apparmor.security.beta.kubernetes.io/cart is unconfined",
  ],
  [
    "restricted-volume-types",
    "an NFS volume",
    (s) => {
      dSpec(s).volumes.push({ name: "share", nfs: { server: "nfs.example.com", path: "/" } });
    },
    'volume "share" is of type nfs',
  ],
  [
    "memory-limits",
    "no memory limit",
    (s) => {
      delete dMain(s).resources.limits.memory;
    },
    'containers[0] "cart" sets no memory limit',
  ],
  [
    "no-default-namespace",
    "a ConfigMap in default",
    (s) => {
      (s.configMap.props as any).metadata.namespace = "default";
    },
    "ConfigMap default/cart-config: is in the default namespace",
  ],
  [
    "no-default-namespace",
    "a Service without a namespace",
    (s) => {
      delete (s.service.props as any).metadata.namespace;
    },
    "sets no namespace, so it lands in the default namespace",
  ],
];

test("the compliant fixture stack passes every rule", async () => {
  expect((await run()).map(format)).toEqual([]);
});

test("every rule has a violating fixture below", () => {
  const covered = new Set(violations.map(([rule]) => rule));
  expect(rules.map((r) => r.meta.name).filter((n) => !covered.has(n))).toEqual([]);
});

test.each(violations)("%s: %s is a violation", async (rule, _what, edit, fragment) => {
  const found = (await run(edit)).filter((d) => d.policyName === rule);
  expect(found.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  // The message names the rule first and says how to fix it.
  for (const d of found) expect(d.message).toMatch(new RegExp(`^${rule}: .*\\. \\[[^\\]]+\\] Fix: `, "s"));
});

// Cases that look close to a violation but are fine.
const passes: [string, string, Edit][] = [
  [
    "image-tag-pinned",
    "a release tag",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3";
    },
  ],
  [
    "image-registry-allowed",
    "another digest from the allowed registry",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart@sha256:" + "1".repeat(64);
    },
  ],
  [
    "secret-env-from-secret-ref",
    "a *_FILE path to a mounted secret",
    (s) => {
      dMain(s).env.push({ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" });
    },
  ],
  [
    "secret-env-from-secret-ref",
    "a name that only contains KEY inside a word",
    (s) => {
      dMain(s).env.push({ name: "MONKEY_MODE", value: "on" });
    },
  ],
  [
    "backing-service-by-reference",
    "a listen address",
    (s) => {
      dMain(s).env.push({ name: "LISTEN_ADDR", value: "0.0.0.0:8080" });
    },
  ],
  [
    "backing-service-by-reference",
    "an address from a ConfigMap",
    (s) => {
      dMain(s).env.push({ name: "REDIS_HOST", valueFrom: { configMapKeyRef: { name: "cart-config", key: "redis" } } });
    },
  ],
  [
    "release-labels",
    "a tag as version",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3";
      (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"] = "1.2.3";
    },
  ],
  [
    "replicas-for-availability",
    "a retired color scaled to 0",
    (s) => {
      s.hpa.name = "other";
      (s.hpa.props as any).spec.scaleTargetRef.name = "other";
      (s.deployment.props as any).spec.replicas = 0;
    },
  ],
  [
    "no-host-port-or-network",
    "hostPort 0 (no host port)",
    (s) => {
      dMain(s).ports[0].hostPort = 0;
    },
  ],
  [
    "no-node-port-or-external-ips",
    "a LoadBalancer Service",
    (s) => {
      (s.service.props as any).spec.type = "LoadBalancer";
    },
  ],
  [
    "seccomp-profile-restricted",
    "Localhost on the container, none on the pod",
    (s) => {
      delete dSpec(s).securityContext.seccompProfile;
      dMain(s).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "cart.json" };
    },
  ],
  [
    "safe-sysctls-only",
    "a safe sysctl",
    (s) => {
      dSpec(s).securityContext.sysctls = [{ name: "net.ipv4.ip_local_port_range", value: "1024 65000" }];
    },
  ],
  [
    "selinux-options-restricted",
    "a container type with a level",
    (s) => {
      dMain(s).securityContext.seLinuxOptions = { type: "container_init_t", level: "s0:c123,c456" };
    },
  ],
  [
    "apparmor-not-unconfined",
    "RuntimeDefault, by field and by annotation",
    (s) => {
      dSpec(s).securityContext.appArmorProfile = { type: "RuntimeDefault" };
      (s.deployment.props as any).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/cart": "runtime/default" };
    },
  ],
  [
    "restricted-volume-types",
    "projected and downwardAPI volumes",
    (s) => {
      dSpec(s).volumes.push({ name: "token", projected: { sources: [] } }, { name: "info", downwardAPI: { items: [] } });
    },
  ],
  [
    "no-default-namespace",
    "a cluster-scoped object without a namespace",
    (s) => {
      s.extra.push({
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        name: "reader",
        props: { kind: "ClusterRole", metadata: { name: "reader" } },
      });
    },
  ],
  [
    "named-container-ports",
    "a Job without ports",
    (s) => {
      delete main(s.job).ports;
    },
  ],
  [
    "migrations-as-jobs",
    "a migration Job",
    (s) => {
      main(s.job).args = ["flyway", "migrate"];
    },
  ],
  [
    "probes-distinct",
    "same handler, different thresholds",
    (s) => {
      dMain(s).livenessProbe = { ...dMain(s).readinessProbe, failureThreshold: 6 };
    },
  ],
];

test.each(passes)("%s: %s is fine", async (rule, _what, edit) => {
  expect((await run(edit)).filter((d) => d.policyName === rule).map(format)).toEqual([]);
});
