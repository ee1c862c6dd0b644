// metrics-server: the resource metrics API (metrics.k8s.io) that HorizontalPodAutoscalers read CPU
// and memory from. Plain manifests (no chart), restricted pod, least-privilege RBAC.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { grantClusterRole } from "./rbac";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { restrictedContainer } from "./podSecurity";

export interface MetricsServerArgs {
  /** Its official image (mirrored: it is published on the Kubernetes project's registry only). */
  image: string;
  /** Skip verifying kubelets' serving certificates (self-signed on kind and kubeadm defaults). @default false */
  kubeletInsecureTls?: boolean;
}

export const METRICS_SERVER_DEFAULTS = {
  /** The API server's aggregation layer finds it here, with the authentication reader Role it needs. */
  namespace: "kube-system",
  name: "metrics-server",
  port: 10250,
  metricResolution: "15s",
  kubeletInsecureTls: false,
  uid: 1000,
  /** Two, on different nodes when there are: HPAs stop scaling while the metrics API is down. */
  replicas: 2,
  resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "500m", memory: "400Mi" } },
};

export class MetricsServer extends pulumi.ComponentResource {
  public readonly apiService: pulumi.Output<string>;

  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:monitoring:MetricsServer", name, {}, opts);
    const d = METRICS_SERVER_DEFAULTS;
    const ns = d.namespace;
    const labels = standardLabels({ name: d.name, component: "metrics", version: imageVersion(args.image) });
    const stable = standardLabels({ name: d.name, component: "metrics" });
    // Our own RBAC names (the upstream manifests use system:…): plain DNS names, nothing reserved.
    const meta = (n: string, namespaced = true) => ({ name: n, ...(namespaced ? { namespace: ns } : {}), labels: stable });
    const child = { parent: this };

    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(d.name) }, child);
    const subjects = [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns }];
    const metricsRead = { apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] };
    // Lets view/edit/admin holders read metrics (kubectl top).
    new k8s.rbac.v1.ClusterRole(
      `${name}-aggregated-reader`,
      {
        metadata: {
          name: "metrics-server-aggregated-reader",
          labels: {
            ...stable,
            "rbac.authorization.k8s.io/aggregate-to-view": "true",
            "rbac.authorization.k8s.io/aggregate-to-edit": "true",
            "rbac.authorization.k8s.io/aggregate-to-admin": "true",
          },
        },
        rules: [metricsRead],
      },
      child,
    );
    grantClusterRole(
      `${name}-role`,
      {
        ...meta("metrics-server", false),
        rules: [
          { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
          { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] },
        ],
        serviceAccount: { name: sa.metadata.name, namespace: ns },
      },
      child,
    );
    // Delegated authentication and authorization of the API server's requests.
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-auth-delegator`,
      {
        metadata: meta("metrics-server-auth-delegator", false),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
        subjects,
      },
      child,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-auth-reader`,
      {
        metadata: meta("metrics-server-auth-reader"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
        subjects,
      },
      child,
    );

    const selector = selectorLabels({ name: d.name });
    const svc = new k8s.core.v1.Service(
      `${name}-svc`,
      {
        metadata: meta(d.name),
        spec: { type: "ClusterIP", selector, ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }] },
      },
      child,
    );

    const probe = (path: string, extra: object) => ({ httpGet: { path, port: "https", scheme: "HTTPS" }, periodSeconds: 10, ...extra });
    new k8s.apps.v1.Deployment(
      `${name}-deploy`,
      {
        metadata: meta(d.name),
        spec: {
          replicas: d.replicas,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: sa.metadata.name,
              priorityClassName: "system-cluster-critical",
              affinity: {
                podAntiAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [
                    {
                      weight: 100,
                      podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" },
                    },
                  ],
                },
              },
              securityContext: { runAsNonRoot: true, runAsUser: d.uid, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "metrics-server",
                  image: args.image,
                  args: [
                    "--cert-dir=/tmp",
                    `--secure-port=${d.port}`,
                    "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                    "--kubelet-use-node-status-port",
                    `--metric-resolution=${d.metricResolution}`,
                    ...((args.kubeletInsecureTls ?? d.kubeletInsecureTls) ? ["--kubelet-insecure-tls"] : []),
                  ],
                  ports: [{ name: "https", containerPort: d.port, protocol: "TCP" }],
                  resources: d.resources,
                  readinessProbe: probe("/readyz", { initialDelaySeconds: 20, failureThreshold: 3 }),
                  livenessProbe: probe("/livez", { failureThreshold: 3 }),
                  securityContext: restrictedContainer(),
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
            },
          },
        },
      },
      child,
    );

    // Its serving certificate is self-signed (generated in /tmp), hence no CA bundle to pin.
    const api = new k8s.apiregistration.v1.APIService(
      `${name}-api`,
      {
        metadata: { name: "v1beta1.metrics.k8s.io", labels: stable },
        spec: {
          group: "metrics.k8s.io",
          version: "v1beta1",
          groupPriorityMinimum: 100,
          versionPriority: 100,
          insecureSkipTLSVerify: true,
          service: { name: svc.metadata.name, namespace: ns, port: 443 },
        },
      },
      child,
    );

    this.apiService = api.metadata.name;
    this.registerOutputs({ apiService: this.apiService });
  }
}
