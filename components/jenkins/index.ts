// Jenkins on Kubernetes from native resources: a one-replica controller StatefulSet with a persistent
// JENKINS_HOME, configured entirely as code (JCasC), and build agents as on-demand pods in a
// namespace of their own. Native resources (not a chart) keep it testable offline and visible to policy.
// The JCasC document and agent pods come from pure builders (casc.ts), the image from image.ts.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { JENKINS_DEFAULTS } from "../defaults";
import { imageVersion, selectorLabels, standardLabels } from "../labels";
import { suppliedOrGenerated } from "../credentials";
import { podSecurityNamespace } from "../namespace";
import { keepOptions } from "../protection";
import { claimTemplate, singleReplicaSetSpec } from "../statefulParts";
import { dockerConfigSecret } from "../registry";
import type { JenkinsArgs } from "./args";
import { AGENT_SERVICE_ACCOUNT, cascDocument, jenkinsUrl } from "./casc";
import { controllerPodSpec } from "./controller";
import { controllerImage } from "./image";

export type { AgentContainer, AgentImages, JenkinsArgs, JenkinsCustomImage, JenkinsIngress, JenkinsPodTemplate } from "./args";
export { contentTag } from "./image";
export { JENKINS_DEFAULTS } from "../defaults";

export class Jenkins extends pulumi.ComponentResource {
  /** Where users reach the UI: the Ingress host, or the in-cluster Service. */
  public readonly url: string;
  public readonly adminUser: string;
  /** Only ever a Pulumi secret. */
  public readonly adminPassword: pulumi.Output<string>;
  /** The controller image in use (the custom one when built). */
  public readonly image: pulumi.Output<string>;

  constructor(name: string, args: JenkinsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ci:Jenkins", name, {}, opts);
    const d = JENKINS_DEFAULTS;
    const ns = args.namespace;
    const agentNs = args.agentNamespace;
    const labels = standardLabels({ name: "jenkins", component: "ci" });
    const selector = selectorLabels({ name: "jenkins" });
    const meta = (n: string, namespace = ns) => ({ name: n, namespace, labels });
    const keep = keepOptions(this, args.protect);

    const controllerNs = podSecurityNamespace(`${name}-ns`, { name: ns, labels, level: "restricted" }, { parent: this });
    // Rootless BuildKit needs seccomp and AppArmor unconfined, which only the privileged level admits;
    // warn and audit still report against restricted.
    const agentNamespace = podSecurityNamespace(`${name}-agents-ns`, { name: agentNs, labels, level: "privileged", report: "restricted" }, { parent: this });
    const inNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: [controllerNs] };
    const inAgentNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: [agentNamespace] };

    this.adminUser = args.adminUser ?? d.adminUser;
    this.adminPassword = suppliedOrGenerated(`${name}-admin-password`, args.adminPassword, { length: d.passwordLength }, keep);
    const admin = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: meta("jenkins-admin"),
        type: "Opaque",
        stringData: { username: this.adminUser, password: this.adminPassword },
      },
      { ...keep, dependsOn: [controllerNs] },
    );

    // The controller's account drives agent pods in the agent namespace and nothing else (no secrets).
    const sa = new k8s.core.v1.ServiceAccount(`${name}-controller`, { metadata: meta("jenkins"), automountServiceAccountToken: true }, inNs);
    const role = new k8s.rbac.v1.Role(
      `${name}-agents`,
      {
        metadata: meta("jenkins-agents", agentNs),
        rules: [
          { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] },
          { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
          { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
          { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
        ],
      },
      inAgentNs,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-agents`,
      {
        metadata: meta("jenkins-agents", agentNs),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns }],
      },
      inAgentNs,
    );
    // Agent pods need no Kubernetes API access.
    new k8s.core.v1.ServiceAccount(`${name}-agent`, { metadata: meta(AGENT_SERVICE_ACCOUNT, agentNs), automountServiceAccountToken: false }, inAgentNs);

    const pushSecrets: Record<string, string> = {};
    for (const [team, credentials] of Object.entries(args.registryPush ?? {})) {
      const secretName = `registry-push-${team}`;
      dockerConfigSecret(`${name}-push-${team}`, meta(secretName, agentNs), credentials, inAgentNs);
      pushSecrets[team] = secretName;
    }

    const http = new k8s.core.v1.Service(
      `${name}-http`,
      {
        metadata: meta("jenkins"),
        spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: d.httpPort, targetPort: "http", protocol: "TCP" }] },
      },
      inNs,
    );
    new k8s.core.v1.Service(
      `${name}-agent-listener`,
      {
        metadata: meta("jenkins-agent"),
        spec: { type: "ClusterIP", selector, ports: [{ name: "agent", port: d.agentPort, targetPort: "agent", protocol: "TCP" }] },
      },
      inNs,
    );

    this.url = jenkinsUrl(ns, args.ingress?.host);
    const casc = cascDocument({
      namespace: ns,
      agentNamespace: agentNs,
      url: this.url,
      podTemplates: args.podTemplates,
      agentImages: args.agentImages,
      pushSecrets,
      seedJob: args.seedJob,
    });
    const cascMap = new k8s.core.v1.ConfigMap(`${name}-casc`, { metadata: meta("jenkins-casc"), data: { "jenkins.yaml": casc } }, inNs);

    const pluginMode = !args.customImage;
    const plugins = args.plugins ?? "";
    if (pluginMode && !plugins.trim()) throw new Error("Jenkins: plugins (plugins.txt content) are required unless a custom image is built");
    const pluginList = pluginMode
      ? new k8s.core.v1.ConfigMap(`${name}-plugins`, { metadata: meta("jenkins-plugins"), data: { "plugins.txt": plugins } }, inNs)
      : undefined;

    const baseImage = args.image ?? d.image;
    const image = controllerImage(name, baseImage, args.customImage, this);
    this.image = image;

    new k8s.apps.v1.StatefulSet(
      `${name}`,
      {
        metadata: meta("jenkins"),
        spec: singleReplicaSetSpec({
          serviceName: http.metadata.name,
          selector,
          template: {
            metadata: {
              // The release is the controller image (a custom image's tag is its content hash).
              labels: image.apply((i) => ({ ...labels, "app.kubernetes.io/version": imageVersion(i) })),
              // A JCasC or plugin change restarts the controller so it takes effect.
              annotations: {
                "checksum/config": crypto
                  .createHash("sha256")
                  .update(casc + plugins)
                  .digest("hex"),
              },
            },
            spec: controllerPodSpec({
              serviceAccountName: sa.metadata.name,
              image,
              baseImage,
              adminSecret: admin.metadata.name,
              cascConfigMap: cascMap.metadata.name,
              pluginListConfigMap: pluginList?.metadata.name,
              resources: args.resources,
            }),
          },
          // JENKINS_HOME. Depends on storage settings only, so image, plugin, JCasC and resource changes never replace it.
          claims: [claimTemplate("jenkins-home", labels, { size: args.storage?.size ?? d.storage.size, storageClass: args.storage?.storageClass })],
        }),
      },
      { ...keep, dependsOn: [controllerNs] },
    );

    if (args.ingress) {
      new k8s.networking.v1.Ingress(
        `${name}`,
        {
          metadata: meta("jenkins"),
          spec: {
            ingressClassName: args.ingress.className,
            tls: [{ hosts: [args.ingress.host], secretName: args.ingress.tlsSecretName ?? d.tlsSecretName }],
            rules: [
              {
                host: args.ingress.host,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: http.metadata.name, port: { name: "http" } } } }] },
              },
            ],
          },
        },
        inNs,
      );
    }

    const fromNamespaces = (names: string[]) => [
      { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }] } },
    ];
    const allowFrom = args.allowIngressFrom ?? [];
    new k8s.networking.v1.NetworkPolicy(
      `${name}-controller`,
      {
        metadata: meta("jenkins-controller"),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [
            // Agents connect back over HTTP (registration) and the agent tunnel.
            {
              from: fromNamespaces([agentNs]),
              ports: [
                { protocol: "TCP", port: d.httpPort },
                { protocol: "TCP", port: d.agentPort },
              ],
            },
            ...(allowFrom.length > 0 ? [{ from: fromNamespaces(allowFrom), ports: [{ protocol: "TCP", port: d.httpPort }] }] : []),
          ],
        },
      },
      inNs,
    );

    this.registerOutputs({ url: this.url, adminUser: this.adminUser, adminPassword: this.adminPassword, image: this.image });
  }
}
