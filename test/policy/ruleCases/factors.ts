// Rule cases: Dependencies, config, backing services, build-release-run, logs, parity, admin processes.
// violations: rule -> [what is broken, the edit, a fragment of the expected message]; passes: close but fine.
import { container, deployment, main, specOf } from "../fixtures";
import { dMain, dSpec, Edit, pod } from "./harness";

export const violations: [string, string, Edit, string][] = [
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
];

export const passes: [string, string, Edit][] = [
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
    "migrations-as-jobs",
    "a migration Job",
    (s) => {
      main(s.job).args = ["flyway", "migrate"];
    },
  ],
];
