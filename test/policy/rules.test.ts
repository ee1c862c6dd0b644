// Every rule against the compliant fixture stack (passes) and against one edit of it (violates).
import { rules } from "../../policy/pack";
import { analyze, format, PackResource } from "../support/policy";
import { container, deployment, main, specOf, stack, strictConfig } from "./fixtures";

type Edit = (s: { deployment: PackResource; job: PackResource; service: PackResource; hpa: PackResource; configMap: PackResource; extra: PackResource[] }) => void;

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
  type: "kubernetes:core/v1:Pod", name: "debug",
  props: { kind: "Pod", metadata: { name: "debug", namespace: "shop", labels: (deployment().props as any).metadata.labels }, spec },
});

// rule -> [what is broken, the edit, a fragment of the expected message]
const violations: [string, string, Edit, string][] = [
  ["image-tag-pinned", "no tag", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart"; }, 'image "harbor.prod.example.com/shop/cart" has no tag'],
  ["image-tag-pinned", "latest", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart:latest"; }, 'moving tag "latest"'],
  ["image-digest-required", "a tag", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3"; }, "is not pinned by digest"],
  ["image-registry-allowed", "Docker Hub", (s) => { dMain(s).image = "postgres@sha256:" + "3".repeat(64); }, 'comes from "docker.io"'],
  ["no-runtime-package-installs", "apt-get install", (s) => { dMain(s).command = ["sh", "-c", "apt-get update && apt-get install -y curl && exec app"]; }, "installs software at start-up"],
  ["no-runtime-package-installs", "pip install", (s) => { dMain(s).args = ["pip", "install", "requests"]; }, '"pip install"'],
  ["secret-env-from-secret-ref", "literal password", (s) => { dMain(s).env.push({ name: "DB_PASSWORD", value: "hunter2" }); }, "env DB_PASSWORD looks like a credential but is a literal value"],
  ["secret-env-from-secret-ref", "token from a ConfigMap", (s) => { dMain(s).env.push({ name: "API_TOKEN", valueFrom: { configMapKeyRef: { name: "c", key: "t" } } }); }, "does not come from a Secret"],
  ["secret-env-from-secret-ref", "PEM in a literal", (s) => { dMain(s).env.push({ name: "TLS", value: "-----BEGIN RSA PRIVATE KEY-----\nMIIE" }); }, "env TLS holds a PEM private key"],
  ["configmap-no-secrets", "a password key", (s) => { (s.configMap.props as any).data["db-password"] = "x"; }, 'data key "db-password" looks like a credential'],
  ["configmap-no-secrets", "an access key", (s) => { (s.configMap.props as any).data["aws.conf"] = "id=AKIAABCDEFGHIJKLMNOP"; }, "contains a cloud access key id"],
  ["configmap-no-secrets", "user:pass@ URL", (s) => { (s.configMap.props as any).data.DB = "postgres://app:s3cret@db:5432/app"; }, "contains a URL with user:password@"],
  ["backing-service-by-reference", "localhost", (s) => { dMain(s).env.push({ name: "CACHE", value: "localhost:6379" }); }, "points at localhost or a fixed IP"],
  ["backing-service-by-reference", "IP literal", (s) => { dMain(s).env.push({ name: "UPSTREAM", value: "http://10.0.3.7:8080" }); }, "points at localhost or a fixed IP"],
  ["backing-service-by-reference", "literal DATABASE_URL", (s) => { dMain(s).env.push({ name: "DATABASE_URL", value: "postgres://db.shop.svc/app" }); }, "env DATABASE_URL is a literal connection setting"],
  ["release-labels", "no version label", (s) => { delete (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"]; }, "pod labels lack app.kubernetes.io/version"],
  ["release-labels", "version not the image", (s) => { (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"] = "9.9.9"; }, 'app.kubernetes.io/version="9.9.9" matches none of its images'],
  ["release-labels", "no part-of", (s) => { delete (s.job.props as any).metadata.labels["app.kubernetes.io/part-of"]; }, "metadata.labels lack app.kubernetes.io/part-of"],
  ["service-labels", "no name label", (s) => { delete (s.service.props as any).metadata.labels["app.kubernetes.io/name"]; }, "metadata.labels lack app.kubernetes.io/name"],
  ["no-hostpath-in-stateless", "hostPath in a Deployment", (s) => { dSpec(s).volumes.push({ name: "cache", hostPath: { path: "/srv/cache" } }); }, 'volume "cache" is a hostPath (/srv/cache)'],
  ["emptydir-size-limit", "unbounded emptyDir", (s) => { dSpec(s).volumes[0].emptyDir = {}; }, 'emptyDir volume "tmp" has no sizeLimit'],
  ["no-sticky-sessions", "ClientIP affinity", (s) => { (s.service.props as any).spec.sessionAffinity = "ClientIP"; }, "sessionAffinity is ClientIP"],
  ["no-rwo-claim-in-deployment", "RWO claim", (s) => {
    dSpec(s).volumes.push({ name: "data", persistentVolumeClaim: { claimName: "cart-data" } });
    s.extra.push({ type: "kubernetes:core/v1:PersistentVolumeClaim", name: "cart-data", props: { metadata: { name: "cart-data", namespace: "shop" }, spec: { accessModes: ["ReadWriteOnce"] } } });
  }, 'mounts claim "cart-data" which is ReadWriteOnce'],
  ["named-container-ports", "no ports", (s) => { delete dMain(s).ports; }, 'containers[0] "cart" declares no ports'],
  ["named-container-ports", "unnamed port", (s) => { dMain(s).ports = [{ containerPort: 8080 }]; }, "port 8080 has no name"],
  ["service-targets-workload", "selector matches nothing", (s) => { (s.service.props as any).spec.selector = { app: "kart" }; }, 'selector {"app":"kart"} matches no workload in namespace shop'],
  ["service-targets-workload", "targetPort not declared", (s) => { (s.service.props as any).spec.ports[0].targetPort = "web"; }, 'targets "web", which no selected container declares'],
  ["no-host-port-or-network", "hostNetwork", (s) => { dSpec(s).hostNetwork = true; }, "uses hostNetwork"],
  ["no-host-port-or-network", "hostPort", (s) => { dMain(s).ports[0].hostPort = 80; }, "binds hostPort 80"],
  ["resource-requests", "no memory request", (s) => { delete dMain(s).resources.requests.memory; }, "requests no memory"],
  ["replicas-for-availability", "one replica, no HPA", (s) => { s.hpa.name = "other"; (s.hpa.props as any).spec.scaleTargetRef.name = "other"; (s.deployment.props as any).spec.replicas = 1; }, "runs 1 replica(s) and no HPA scales it"],
  ["replicas-for-availability", "HPA min 1", (s) => { (s.hpa.props as any).spec.minReplicas = 1; }, "its HPA allows 1 replica(s), below 2"],
  ["replicas-for-availability", "HPA max = min", (s) => { (s.hpa.props as any).spec.maxReplicas = 2; }, "its HPA cannot scale out"],
  ["hpa-owns-replicas", "replicas set under an HPA", (s) => { (s.deployment.props as any).spec.replicas = 3; }, "sets spec.replicas=3 but an HPA scales it"],
  ["probes-distinct", "no liveness probe", (s) => { delete dMain(s).livenessProbe; }, "has no livenessProbe"],
  ["probes-distinct", "identical probes", (s) => { dMain(s).livenessProbe = { ...dMain(s).readinessProbe }; }, "identical readiness and liveness probes"],
  ["termination-grace-bounded", "10 minutes", (s) => { dSpec(s).terminationGracePeriodSeconds = 600; }, "terminationGracePeriodSeconds is 600, above 60"],
  ["jobs-bounded", "no deadline", (s) => { delete jobSpec(s).activeDeadlineSeconds; }, "sets no activeDeadlineSeconds"],
  ["jobs-bounded", "no backoffLimit", (s) => { delete jobSpec(s).backoffLimit; }, "sets no backoffLimit"],
  ["images-promoted", "digest never seen in dev", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart@sha256:" + "9".repeat(64); }, "was never promoted from dev"],
  ["logs-to-stdout", "log volume", (s) => { dMain(s).volumeMounts.push({ name: "tmp", mountPath: "/var/log/cart" }); }, "at log path /var/log/cart"],
  ["logs-to-stdout", "LOG_FILE env", (s) => { dMain(s).env.push({ name: "LOG_FILE", value: "/tmp/app.log" }); }, "sets LOG_FILE, a log file setting"],
  ["no-naked-pods", "a bare Pod", (s) => { s.extra.push(pod(specOf(deployment()))); }, "Pod shop/debug: is a bare Pod"],
  ["migrations-as-jobs", "flyway init container", (s) => { dSpec(s).initContainers = [{ ...container(), name: "db", args: ["flyway", "migrate"] }]; }, 'runs a migration ("flyway")'],
  ["no-privileged-containers", "privileged", (s) => { dMain(s).securityContext.privileged = true; }, 'containers[0] "cart" is privileged'],
  ["no-privilege-escalation", "escalation allowed", (s) => { delete dMain(s).securityContext.allowPrivilegeEscalation; }, "does not set allowPrivilegeEscalation: false"],
  ["run-as-non-root", "uid 0", (s) => { dMain(s).securityContext.runAsUser = 0; }, "runs as uid 0"],
  ["run-as-non-root", "no runAsNonRoot anywhere", (s) => { delete dMain(s).securityContext.runAsNonRoot; delete dSpec(s).securityContext; }, "does not set runAsNonRoot: true"],
  ["drop-all-capabilities", "nothing dropped", (s) => { delete dMain(s).securityContext.capabilities; }, "does not drop ALL capabilities"],
  ["drop-all-capabilities", "SYS_ADMIN added", (s) => { dMain(s).securityContext.capabilities.add = ["SYS_ADMIN"]; }, "adds capabilities SYS_ADMIN"],
  ["read-only-root-filesystem", "writable root", (s) => { dMain(s).securityContext.readOnlyRootFilesystem = false; }, "has a writable root filesystem"],
  ["no-host-namespaces", "hostPID", (s) => { dSpec(s).hostPID = true; }, "sets hostPID: true"],
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
  ["image-tag-pinned", "a release tag", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3"; }],
  ["image-registry-allowed", "another digest from the allowed registry", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart@sha256:" + "1".repeat(64); }],
  ["secret-env-from-secret-ref", "a *_FILE path to a mounted secret", (s) => { dMain(s).env.push({ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }); }],
  ["secret-env-from-secret-ref", "a name that only contains KEY inside a word", (s) => { dMain(s).env.push({ name: "MONKEY_MODE", value: "on" }); }],
  ["backing-service-by-reference", "a listen address", (s) => { dMain(s).env.push({ name: "LISTEN_ADDR", value: "0.0.0.0:8080" }); }],
  ["backing-service-by-reference", "an address from a ConfigMap", (s) => { dMain(s).env.push({ name: "REDIS_HOST", valueFrom: { configMapKeyRef: { name: "cart-config", key: "redis" } } }); }],
  ["release-labels", "a tag as version", (s) => { dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3"; (s.deployment.props as any).spec.template.metadata.labels["app.kubernetes.io/version"] = "1.2.3"; }],
  ["replicas-for-availability", "a retired color scaled to 0", (s) => { s.hpa.name = "other"; (s.hpa.props as any).spec.scaleTargetRef.name = "other"; (s.deployment.props as any).spec.replicas = 0; }],
  ["no-hostpath-in-stateless", "hostPath in a DaemonSet", (s) => { s.deployment.type = "kubernetes:apps/v1:DaemonSet"; dSpec(s).volumes.push({ name: "logs", hostPath: { path: "/var/log" } }); }],
  ["named-container-ports", "a Job without ports", (s) => { delete main(s.job).ports; }],
  ["migrations-as-jobs", "a migration Job", (s) => { main(s.job).args = ["flyway", "migrate"]; }],
  ["probes-distinct", "same handler, different thresholds", (s) => { dMain(s).livenessProbe = { ...dMain(s).readinessProbe, failureThreshold: 6 }; }],
];

test.each(passes)("%s: %s is fine", async (rule, _what, edit) => {
  expect((await run(edit)).filter((d) => d.policyName === rule).map(format)).toEqual([]);
});
