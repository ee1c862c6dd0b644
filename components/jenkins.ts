// Jenkins on Kubernetes from native resources: a one-replica controller StatefulSet with a persistent
// JENKINS_HOME, configured entirely as code (JCasC), and build agents as on-demand pods in a
// namespace of their own. Native resources (not a chart) keep it testable offline and visible to policy.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { JenkinsSeedJob, seedJobs } from "./jenkinsSeedJob";
import { imageVersion, selectorLabels, standardLabels } from "./labels";
import { podSecurityLabels, restrictedContainer } from "./podSecurity";
import { dockerConfigSecret, RegistryCredentials } from "./registry";
import type { Resources } from "./workloadParts";

/** A build container in an agent pod, beside the jnlp agent. */
export interface AgentContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  resources?: Resources;
  env?: Record<string, string>;
}

export interface JenkinsPodTemplate {
  name: string;
  /** The label pipelines ask for; defaults to the name. */
  label?: string;
  /** The team whose robot credential (from `registryPush`) the image builder pushes with. */
  team?: string;
  /** Default: a node build container and the rootless BuildKit image builder. */
  containers?: AgentContainer[];
}

export interface JenkinsCustomImage {
  /** Build context with a Dockerfile and plugins.txt, relative to the Pulumi project. */
  context: string;
  /** `<registry host>/<project>/<name>`; the tag is a hash of the context and the base image. */
  repository: string;
  /** Push credentials; without them the docker login of the machine running Pulumi is used. */
  registry?: RegistryCredentials;
}

export interface JenkinsArgs {
  namespace: string;
  agentNamespace: string;
  adminUser?: string;
  /** Supplied admin password (a secret); generated with @pulumi/random when absent. */
  adminPassword?: pulumi.Input<string>;
  /** Official controller image, or the base of the custom image. */
  image?: string;
  /** plugins.txt content, installed by an init container at start. Not used with `customImage`. */
  plugins?: string;
  /** Build and push a controller image with the plugins baked in (no init container). */
  customImage?: JenkinsCustomImage;
  agentImages?: { jnlp?: string; node?: string; builder?: string };
  storage?: { size?: string; storageClass?: string };
  resources?: Resources;
  /** Expose the UI through an Ingress with TLS. */
  ingress?: { host: string; className?: string; tlsSecretName?: string };
  /** Namespaces (e.g. the ingress controller's) allowed to reach the UI on 8080. */
  allowIngressFrom?: string[];
  podTemplates: JenkinsPodTemplate[];
  /** Push credentials per team; each becomes a dockerconfigjson Secret in the agent namespace. */
  registryPush?: Record<string, RegistryCredentials>;
  /** Never replace or delete JENKINS_HOME, the admin Secret or the generated password (prod). */
  protect?: boolean;
  /** Seed a multibranch job for the platform's own repository (its Jenkinsfile). */
  seedJob?: JenkinsSeedJob;
}

export const JENKINS_DEFAULTS = {
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

const CASC_DIR = "/var/jenkins_casc";
const PLUGIN_LIST_DIR = "/var/jenkins_plugin_list";
const REF_PLUGINS = "/usr/share/jenkins/ref/plugins";
const AGENT_SERVICE_ACCOUNT = "jenkins-agent";
/** Where the rootless BuildKit image reads push credentials (DOCKER_CONFIG). */
const BUILDER_DOCKER_CONFIG = "/home/user/.docker";

/** A short hash of a build context's files and the base image: the custom image's immutable tag. */
export function contentTag(context: string, baseImage: string): string {
  const hash = crypto.createHash("sha256").update(baseImage);
  for (const file of fs.readdirSync(context).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(context, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

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
    const keep: pulumi.CustomResourceOptions = { parent: this, protect: args.protect, retainOnDelete: args.protect };

    const controllerNs = new k8s.core.v1.Namespace(`${name}-ns`, {
      metadata: { name: ns, labels: { ...labels, ...podSecurityLabels("restricted") } },
    }, { parent: this });
    // Rootless BuildKit needs seccomp and AppArmor unconfined, which only the privileged level admits;
    // warn and audit still report against restricted.
    const agentNamespace = new k8s.core.v1.Namespace(`${name}-agents-ns`, {
      metadata: { name: agentNs, labels: { ...labels, ...podSecurityLabels("privileged"), "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" } },
    }, { parent: this });
    const inNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: [controllerNs] };
    const inAgentNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: [agentNamespace] };

    this.adminUser = args.adminUser ?? d.adminUser;
    this.adminPassword = args.adminPassword !== undefined
      ? pulumi.secret(args.adminPassword)
      // The provider marks `result` secret; saying so here keeps it secret whatever engine runs this.
      : pulumi.secret(new random.RandomPassword(`${name}-admin-password`, { length: d.passwordLength, special: false }, keep).result);
    const admin = new k8s.core.v1.Secret(`${name}-admin`, {
      metadata: meta("jenkins-admin"),
      type: "Opaque",
      stringData: { username: this.adminUser, password: this.adminPassword },
    }, { ...keep, dependsOn: [controllerNs] });

    // The controller's account drives agent pods in the agent namespace and nothing else (no secrets).
    const sa = new k8s.core.v1.ServiceAccount(`${name}-controller`, { metadata: meta("jenkins"), automountServiceAccountToken: true }, inNs);
    const role = new k8s.rbac.v1.Role(`${name}-agents`, {
      metadata: meta("jenkins-agents", agentNs),
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] },
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
      ],
    }, inAgentNs);
    new k8s.rbac.v1.RoleBinding(`${name}-agents`, {
      metadata: meta("jenkins-agents", agentNs),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns }],
    }, inAgentNs);
    // Agent pods need no Kubernetes API access.
    new k8s.core.v1.ServiceAccount(`${name}-agent`, { metadata: meta(AGENT_SERVICE_ACCOUNT, agentNs), automountServiceAccountToken: false }, inAgentNs);

    const pushSecrets = new Map<string, string>();
    for (const [team, credentials] of Object.entries(args.registryPush ?? {})) {
      const secretName = `registry-push-${team}`;
      dockerConfigSecret(`${name}-push-${team}`, meta(secretName, agentNs), credentials, inAgentNs);
      pushSecrets.set(team, secretName);
    }

    const http = new k8s.core.v1.Service(`${name}-http`, {
      metadata: meta("jenkins"),
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: d.httpPort, targetPort: "http", protocol: "TCP" }] },
    }, inNs);
    new k8s.core.v1.Service(`${name}-agent-listener`, {
      metadata: meta("jenkins-agent"),
      spec: { type: "ClusterIP", selector, ports: [{ name: "agent", port: d.agentPort, targetPort: "agent", protocol: "TCP" }] },
    }, inNs);

    this.url = args.ingress ? `https://${args.ingress.host}/` : `http://jenkins.${ns}.svc.cluster.local:${d.httpPort}/`;
    const casc = this.cascYaml(args, pushSecrets);
    const cascMap = new k8s.core.v1.ConfigMap(`${name}-casc`, { metadata: meta("jenkins-casc"), data: { "jenkins.yaml": casc } }, inNs);

    const pluginMode = !args.customImage;
    const plugins = args.plugins ?? "";
    if (pluginMode && !plugins.trim()) throw new Error("Jenkins: plugins (plugins.txt content) are required unless a custom image is built");
    const pluginList = pluginMode
      ? new k8s.core.v1.ConfigMap(`${name}-plugins`, { metadata: meta("jenkins-plugins"), data: { "plugins.txt": plugins } }, inNs)
      : undefined;

    const baseImage = args.image ?? d.image;
    let image: pulumi.Output<string> = pulumi.output(baseImage);
    if (args.customImage) {
      const built = new docker.Image(`${name}-controller`, {
        build: { context: args.customImage.context, dockerfile: path.join(args.customImage.context, "Dockerfile"), platform: "linux/amd64", args: { JENKINS_IMAGE: baseImage } },
        imageName: `${args.customImage.repository}:${contentTag(args.customImage.context, baseImage)}`,
        registry: args.customImage.registry,
      }, { parent: this });
      image = built.imageName;
    }
    this.image = image;

    const adminEnv = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: admin.metadata.name, key } } });
    const probe = (extra: object) => ({ httpGet: { path: "/login", port: "http" }, timeoutSeconds: 5, ...extra });
    const mount = (volume: string, mountPath: string) => ({ name: volume, mountPath });
    new k8s.apps.v1.StatefulSet(`${name}`, {
      metadata: meta("jenkins"),
      spec: {
        serviceName: http.metadata.name,
        replicas: 1,
        selector: { matchLabels: selector },
        updateStrategy: { type: "RollingUpdate" },
        // JENKINS_HOME is data: it stays when the set is deleted or scaled to zero.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: {
          metadata: {
            // The release is the controller image (a custom image's tag is its content hash).
            labels: image.apply((i) => ({ ...labels, "app.kubernetes.io/version": imageVersion(i) })),
            // A JCasC or plugin change restarts the controller so it takes effect.
            annotations: { "checksum/config": crypto.createHash("sha256").update(casc + plugins).digest("hex") },
          },
          spec: {
            serviceAccountName: sa.metadata.name,
            securityContext: {
              runAsNonRoot: true, runAsUser: d.uid, runAsGroup: d.uid,
              // Without this the official image cannot write a freshly provisioned JENKINS_HOME.
              fsGroup: d.uid, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" },
            },
            initContainers: pluginMode ? [{
              name: "install-plugins",
              image: baseImage,
              command: ["jenkins-plugin-cli", "--plugin-file", `${PLUGIN_LIST_DIR}/plugins.txt`, "--plugin-download-directory", REF_PLUGINS, "--latest", "false"],
              resources: d.jnlpResources,
              securityContext: restrictedContainer(),
              volumeMounts: [
                { name: "plugin-list", mountPath: PLUGIN_LIST_DIR, readOnly: true },
                mount("plugins", REF_PLUGINS),
                mount("jenkins-home", "/var/jenkins_home"),
                mount("tmp", "/tmp"),
              ],
            }] : undefined,
            containers: [{
              name: "jenkins",
              image,
              ports: [
                { name: "http", containerPort: d.httpPort, protocol: "TCP" },
                { name: "agent", containerPort: d.agentPort, protocol: "TCP" },
              ],
              env: [
                { name: "JAVA_OPTS", value: "-Djenkins.install.runSetupWizard=false -XX:MaxRAMPercentage=75" },
                // The war unpacks to a scratch volume: the root filesystem is read-only.
                { name: "JENKINS_OPTS", value: "--webroot=/var/jenkins_cache/war" },
                { name: "CASC_JENKINS_CONFIG", value: `${CASC_DIR}/jenkins.yaml` },
                adminEnv("JENKINS_ADMIN_ID", "username"),
                adminEnv("JENKINS_ADMIN_PASSWORD", "password"),
              ],
              resources: args.resources ?? d.resources,
              // Startup allows a slow first boot (plugin unpacking); after it, readiness and liveness take over.
              startupProbe: probe({ periodSeconds: 10, failureThreshold: 60 }),
              readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
              livenessProbe: probe({ periodSeconds: 20, failureThreshold: 5 }),
              securityContext: restrictedContainer(),
              volumeMounts: [
                mount("jenkins-home", "/var/jenkins_home"),
                { name: "casc", mountPath: CASC_DIR, readOnly: true },
                ...(pluginMode ? [mount("plugins", REF_PLUGINS)] : []),
                mount("cache", "/var/jenkins_cache"),
                mount("tmp", "/tmp"),
              ],
            }],
            volumes: [
              { name: "casc", configMap: { name: cascMap.metadata.name } },
              ...(pluginList ? [{ name: "plugin-list", configMap: { name: pluginList.metadata.name } }, { name: "plugins", emptyDir: { sizeLimit: "1Gi" } }] : []),
              { name: "cache", emptyDir: { sizeLimit: "1Gi" } },
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
            ],
          },
        },
        // Depends on storage settings only, so image, plugin, JCasC and resource changes never replace it.
        volumeClaimTemplates: [{
          metadata: { name: "jenkins-home", labels },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: args.storage?.storageClass,
            resources: { requests: { storage: args.storage?.size ?? d.storage.size } },
          },
        }],
      },
    }, { ...keep, dependsOn: [controllerNs] });

    if (args.ingress) {
      new k8s.networking.v1.Ingress(`${name}`, {
        metadata: meta("jenkins"),
        spec: {
          ingressClassName: args.ingress.className,
          tls: [{ hosts: [args.ingress.host], secretName: args.ingress.tlsSecretName ?? d.tlsSecretName }],
          rules: [{
            host: args.ingress.host,
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: http.metadata.name, port: { name: "http" } } } }] },
          }],
        },
      }, inNs);
    }

    const fromNamespaces = (names: string[]) => [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }] } }];
    const allowFrom = args.allowIngressFrom ?? [];
    new k8s.networking.v1.NetworkPolicy(`${name}-controller`, {
      metadata: meta("jenkins-controller"),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
          // Agents connect back over HTTP (registration) and the agent tunnel.
          { from: fromNamespaces([agentNs]), ports: [{ protocol: "TCP", port: d.httpPort }, { protocol: "TCP", port: d.agentPort }] },
          ...(allowFrom.length > 0 ? [{ from: fromNamespaces(allowFrom), ports: [{ protocol: "TCP", port: d.httpPort }] }] : []),
        ],
      },
    }, inNs);

    this.registerOutputs({ url: this.url, adminUser: this.adminUser, adminPassword: this.adminPassword, image: this.image });
  }

  /**
   * The JCasC document. JSON is valid YAML, and the admin credentials are `${...}` references that
   * JCasC resolves from the controller's environment, so no password is ever in the ConfigMap.
   */
  private cascYaml(args: JenkinsArgs, pushSecrets: Map<string, string>): string {
    const d = JENKINS_DEFAULTS;
    const controllerHost = `jenkins.${args.namespace}.svc.cluster.local`;
    const doc = {
      jenkins: {
        systemMessage: "Managed by Pulumi (k8s-platform): change stack config, not this page.",
        // Builds never run on the controller, only on agent pods.
        numExecutors: 0,
        mode: "EXCLUSIVE",
        slaveAgentPort: d.agentPort,
        securityRealm: { local: { allowsSignup: false, users: [{ id: "${JENKINS_ADMIN_ID}", password: "${JENKINS_ADMIN_PASSWORD}" }] } },
        authorizationStrategy: { loggedInUsersCanDoAnything: { allowAnonymousRead: false } },
        clouds: [{
          kubernetes: {
            name: "kubernetes",
            namespace: args.agentNamespace,
            jenkinsUrl: `http://${controllerHost}:${d.httpPort}/`,
            jenkinsTunnel: `jenkins-agent.${args.namespace}.svc.cluster.local:${d.agentPort}`,
            containerCapStr: String(d.containerCap),
            templates: args.podTemplates.map((t) => ({
              name: t.name,
              label: t.label ?? t.name,
              namespace: args.agentNamespace,
              nodeUsageMode: "EXCLUSIVE",
              serviceAccount: AGENT_SERVICE_ACCOUNT,
              yaml: JSON.stringify(this.agentPod(args, t, t.team ? pushSecrets.get(t.team) : undefined)),
            })),
          },
        }],
      },
      unclassified: { location: { url: this.url } },
      ...seedJobs(args.seedJob),
    };
    return JSON.stringify(doc, null, 2) + "\n";
  }

  /** The agent pod of one template: jnlp agent, build containers and, for a team, its push credential. */
  private agentPod(args: JenkinsArgs, t: JenkinsPodTemplate, pushSecret: string | undefined): Record<string, unknown> {
    const d = JENKINS_DEFAULTS;
    const images = { ...d.agentImages, ...args.agentImages };
    const builds: AgentContainer[] = t.containers ?? [
      { name: "node", image: images.node },
      { name: "builder", image: images.builder, env: { BUILDKITD_FLAGS: "--oci-worker-no-process-sandbox" } },
    ];
    // The container named "builder" is the image builder: it gets the push credential.
    const isBuilder = (c: AgentContainer) => c.name === "builder";
    const container = (c: AgentContainer) => ({
      name: c.name,
      image: c.image,
      // Build containers idle until a pipeline step runs in them.
      command: c.command ?? ["cat"],
      args: c.args,
      tty: true,
      env: [
        ...Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
        ...(isBuilder(c) && pushSecret ? [{ name: "DOCKER_CONFIG", value: BUILDER_DOCKER_CONFIG }] : []),
      ],
      resources: c.resources ?? d.agentResources,
      // Rootless BuildKit maps users with newuidmap (setuid) inside an unconfined profile; it still
      // runs as uid 1000 with only SETUID/SETGID. No Docker socket, no privileged container.
      securityContext: isBuilder(c)
        ? { runAsUser: d.uid, runAsGroup: d.uid, seccompProfile: { type: "Unconfined" }, appArmorProfile: { type: "Unconfined" }, capabilities: { drop: ["ALL"], add: ["SETUID", "SETGID"] } }
        : { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      volumeMounts: isBuilder(c) && pushSecret ? [{ name: "registry-push", mountPath: BUILDER_DOCKER_CONFIG, readOnly: true }] : [],
    });
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { labels: { ...standardLabels({ name: "jenkins-agent", instance: t.name, component: "ci" }), ...(t.team ? { "platform.k8s/team": t.team } : {}) } },
      spec: {
        serviceAccountName: AGENT_SERVICE_ACCOUNT,
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: d.uid, runAsGroup: d.uid, fsGroup: d.uid, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "jnlp",
            image: images.jnlp,
            resources: d.jnlpResources,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
          ...builds.map(container),
        ],
        volumes: pushSecret ? [{ name: "registry-push", secret: { secretName: pushSecret, items: [{ key: ".dockerconfigjson", path: "config.json" }] } }] : [],
      },
    };
  }
}
