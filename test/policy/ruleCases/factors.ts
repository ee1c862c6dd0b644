// Rule cases: Dependencies, config, backing services, build-release-run, logs, parity, admin processes.
// violations: rule -> [what is broken, the edit, a fragment of the expected message]; passes: close but fine.
import { container, deployment, main, specOf } from "../fixtures";
import { addEnv, deploymentSpec, dMain, dSpec, Edit, pod, setImage } from "./harness";

const configData = (s: Parameters<Edit>[0]) => (s.configMap.props as any).data;
const podLabels = (s: Parameters<Edit>[0]) => deploymentSpec(s).template.metadata.labels;

export const violations: [string, string, Edit, string][] = [
  ["image-tag-pinned", "no tag", setImage("harbor.prod.example.com/shop/cart"), 'image "harbor.prod.example.com/shop/cart" has no tag'],
  ["image-tag-pinned", "latest", setImage("harbor.prod.example.com/shop/cart:latest"), 'moving tag "latest"'],
  ["image-digest-required", "a tag", setImage("harbor.prod.example.com/shop/cart:1.2.3"), "is not pinned by digest"],
  ["image-registry-allowed", "Docker Hub", setImage("postgres@sha256:" + "3".repeat(64)), 'comes from "docker.io"'],
  [
    "no-runtime-package-installs",
    "apt-get install",
    (s) => (dMain(s).command = ["sh", "-c", "apt-get update && apt-get install -y curl && exec app"]),
    "installs software at start-up",
  ],
  ["no-runtime-package-installs", "pip install", (s) => (dMain(s).args = ["pip", "install", "requests"]), '"pip install"'],
  ["secret-env-from-secret-ref", "literal password", addEnv("DB_PASSWORD", "hunter2"), "env DB_PASSWORD looks like a credential but is a literal value"],
  [
    "secret-env-from-secret-ref",
    "token from a ConfigMap",
    (s) => dMain(s).env.push({ name: "API_TOKEN", valueFrom: { configMapKeyRef: { name: "c", key: "t" } } }),
    "does not come from a Secret",
  ],
  ["secret-env-from-secret-ref", "PEM in a literal", addEnv("TLS", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"), "env TLS holds a PEM private key"],
  ["configmap-no-secrets", "a password key", (s) => (configData(s)["db-password"] = "x"), 'data key "db-password" looks like a credential'],
  ["configmap-no-secrets", "an access key", (s) => (configData(s)["aws.conf"] = "id=AKIAABCDEFGHIJKLMNOP"), "contains a cloud access key id"],
  ["configmap-no-secrets", "user:pass@ URL", (s) => (configData(s).DB = "postgres://app:s3cret@db:5432/app"), "contains a URL with user:password@"],
  ["backing-service-by-reference", "localhost", addEnv("CACHE", "localhost:6379"), "points at localhost or a fixed IP"],
  ["backing-service-by-reference", "IP literal", addEnv("UPSTREAM", "http://10.0.3.7:8080"), "points at localhost or a fixed IP"],
  [
    "backing-service-by-reference",
    "literal DATABASE_URL",
    addEnv("DATABASE_URL", "postgres://db.shop.svc/app"),
    "env DATABASE_URL is a literal connection setting",
  ],
  ["release-labels", "no version label", (s) => delete podLabels(s)["app.kubernetes.io/version"], "pod labels lack app.kubernetes.io/version"],
  [
    "release-labels",
    "version not the image",
    (s) => (podLabels(s)["app.kubernetes.io/version"] = "9.9.9"),
    'app.kubernetes.io/version="9.9.9" matches none of its images',
  ],
  [
    "release-labels",
    "no part-of",
    (s) => delete (s.job.props as any).metadata.labels["app.kubernetes.io/part-of"],
    "metadata.labels lack app.kubernetes.io/part-of",
  ],
  [
    "service-labels",
    "no name label",
    (s) => delete (s.service.props as any).metadata.labels["app.kubernetes.io/name"],
    "metadata.labels lack app.kubernetes.io/name",
  ],
  ["images-promoted", "digest never seen in dev", setImage("harbor.prod.example.com/shop/cart@sha256:" + "9".repeat(64)), "was never promoted from dev"],
  ["logs-to-stdout", "log volume", (s) => dMain(s).volumeMounts.push({ name: "tmp", mountPath: "/var/log/cart" }), "at log path /var/log/cart"],
  ["logs-to-stdout", "LOG_FILE env", addEnv("LOG_FILE", "/tmp/app.log"), "sets LOG_FILE, a log file setting"],
  ["no-naked-pods", "a bare Pod", (s) => s.extra.push(pod(specOf(deployment()))), "Pod shop/debug: is a bare Pod"],
  [
    "migrations-as-jobs",
    "flyway init container",
    (s) => (dSpec(s).initContainers = [{ ...container(), name: "db", args: ["flyway", "migrate"] }]),
    'runs a migration ("flyway")',
  ],
];

export const passes: [string, string, Edit][] = [
  ["image-tag-pinned", "a release tag", setImage("harbor.prod.example.com/shop/cart:1.2.3")],
  ["image-registry-allowed", "another digest from the allowed registry", setImage("harbor.prod.example.com/shop/cart@sha256:" + "1".repeat(64))],
  ["secret-env-from-secret-ref", "a *_FILE path to a mounted secret", addEnv("DB_PASSWORD_FILE", "/run/secrets/db")],
  ["secret-env-from-secret-ref", "a name that only contains KEY inside a word", addEnv("MONKEY_MODE", "on")],
  ["backing-service-by-reference", "a listen address", addEnv("LISTEN_ADDR", "0.0.0.0:8080")],
  [
    "backing-service-by-reference",
    "an address from a ConfigMap",
    (s) => dMain(s).env.push({ name: "REDIS_HOST", valueFrom: { configMapKeyRef: { name: "cart-config", key: "redis" } } }),
  ],
  [
    "release-labels",
    "a tag as version",
    (s) => {
      dMain(s).image = "harbor.prod.example.com/shop/cart:1.2.3";
      podLabels(s)["app.kubernetes.io/version"] = "1.2.3";
    },
  ],
  ["migrations-as-jobs", "a migration Job", (s) => (main(s.job).args = ["flyway", "migrate"])],
];
