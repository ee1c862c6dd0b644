// Every component's defaults, in one module without SDK imports: components read them, and config
// validation (stacks/config) fills in and reports the same values without loading the Kubernetes SDK.
import type { CalicoBgp, CalicoEncapsulation, FlannelBackend, PodSecurityLevel } from "./rules";

export const JENKINS_DEFAULTS = {
  namespace: "jenkins",
  /** Agent pods run apart from the controller and its secrets. */
  agentNamespace: "jenkins-agents",
  /** Harbor project/repository of the custom controller image. */
  imageRepository: "platform/jenkins",
  image: "jenkins/jenkins:2.492.3-lts-jdk17",
  agentImages: {
    jnlp: "jenkins/inbound-agent:3283.v92c105e0f819-8",
    node: "node:22.14.0-bookworm-slim",
    builder: "moby/buildkit:v0.20.2-rootless",
  },
  adminUser: "admin",
  passwordLength: 32,
  storage: { size: "20Gi" },
  resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
  agentResources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
  jnlpResources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  /** The official images run as the `jenkins` user; the volume's group must match so it can write. */
  uid: 1000,
  httpPort: 8080,
  agentPort: 50000,
  /** Most agent pods the cloud runs at once. */
  containerCap: 10,
  tlsSecretName: "jenkins-tls",
};

export const TEAM_DEFAULTS = {
  podSecurity: "restricted" as PodSecurityLevel,
  containerDefaults: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  networkPolicyEnforced: true,
};

export const NETWORK_DEFAULTS = {
  calico: { encapsulation: "VXLAN" as CalicoEncapsulation, bgp: "Disabled" as CalicoBgp, natOutgoing: true, nodeSelector: "all()", blockSize: 26 },
  flannel: {
    backend: "vxlan" as FlannelBackend,
    image: "flannel/flannel:v0.26.7",
    cniPluginImage: "flannel/flannel-cni-plugin:v1.6.2-flannel1",
    namespace: "kube-flannel",
  },
  calicoOperatorNamespace: "tigera-operator",
};

export const LOG_DEFAULTS = {
  namespace: "logging",
  image: "fluent/fluent-bit:3.2.10",
  tls: true,
  tlsVerify: true,
  index: "kubernetes",
  httpPort: 2020,
};

/** Fields every HTTP app shares (blue-green and autoscaled). */
export const HTTP_APP_DEFAULTS = { port: 8080, readinessPath: "/ready", livenessPath: "/healthz" };

export const BLUE_GREEN_DEFAULTS = {
  replicas: 2,
  port: HTTP_APP_DEFAULTS.port,
  routePath: "/",
  smokeTestImage: "curlimages/curl:8.11.1",
  smokeTestExpectStatus: 200,
  smokeTestDeadlineSeconds: 120,
};

export const AUTOSCALED_DEFAULTS = { port: HTTP_APP_DEFAULTS.port };

/** Surge first, never drop below the desired count: a rollout never reduces capacity. */
export const ROLLOUT_DEFAULTS = { maxSurge: "25%", maxUnavailable: 0, minReadySeconds: 5 };

export const SCALING_DEFAULTS = { minReplicas: 2, scaleDownStabilizationSeconds: 300, scaleUpStabilizationSeconds: 0 };

export const STATEFUL_DEFAULTS = {
  replicas: 1,
  podManagementPolicy: "OrderedReady" as const,
  partition: 0,
  accessModes: ["ReadWriteOnce" as const],
  user: "app",
  passwordLength: 32,
};

export const HARBOR_DEFAULTS = {
  namespace: "harbor",
  chartName: "harbor",
  /** Connection settings of an external PostgreSQL that config may leave out. */
  externalDatabase: { port: 5432, coreDatabase: "registry", sslmode: "verify-full" as const },
  persistence: { registry: "50Gi", jobservice: "1Gi", database: "5Gi", redis: "1Gi", trivy: "5Gi" },
  trivy: true,
  metrics: false,
  adminPasswordLength: 24,
  /** Harbor requires exactly 16 characters. */
  secretKeyLength: 16,
};

/** The in-cluster log store (components/logStore.ts). */
export const LOG_STORE_DEFAULTS = {
  namespace: "log-store",
  images: { elasticsearch: "elasticsearch:8.17.4", kibana: "kibana:8.17.4" },
  storage: { size: "10Gi" },
  heap: "1g",
  resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
  kibanaResources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  kibana: true,
  indexPrefix: "kubernetes",
  collectorNamespace: "logging",
  passwordLength: 32,
  /** The official images run as this uid (group 0 owns their files). */
  uid: 1000,
};
