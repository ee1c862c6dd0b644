// The JCasC document and the agent pod templates it carries: pure functions of plain arguments, so
// they are tested directly and the component only places their output in a ConfigMap.
import { standardLabels } from "../labels";
import { restrictedPod } from "../podSecurity";
import { JENKINS_DEFAULTS } from "../defaults";
import type { AgentContainer, AgentImages, JenkinsPodTemplate } from "./args";
import { JenkinsSeedJob, seedJobs } from "./seedJob";

/** The ServiceAccount agent pods run as (no API token). */
export const AGENT_SERVICE_ACCOUNT = "jenkins-agent";
/** Where the rootless BuildKit image reads push credentials (DOCKER_CONFIG). */
const BUILDER_DOCKER_CONFIG = "/home/user/.docker";
/** Agent containers other than the builder: no escalation, no capabilities (images need a writable root). */
const UNPRIVILEGED = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** Where users reach the UI: the Ingress host, or the in-cluster Service. */
export function jenkinsUrl(namespace: string, ingressHost?: string): string {
  return ingressHost ? `https://${ingressHost}/` : `http://jenkins.${namespace}.svc.cluster.local:${JENKINS_DEFAULTS.httpPort}/`;
}

export interface CascArgs {
  namespace: string;
  agentNamespace: string;
  /** The UI's address (`jenkinsUrl`), written to Jenkins' location setting. */
  url: string;
  podTemplates: JenkinsPodTemplate[];
  agentImages?: AgentImages;
  /** The push Secret's name per team. */
  pushSecrets?: Record<string, string>;
  seedJob?: JenkinsSeedJob;
}

/**
 * The JCasC document. JSON is valid YAML, and the admin credentials are `${...}` references that
 * JCasC resolves from the controller's environment, so no password is ever in the ConfigMap.
 */
export function cascDocument(a: CascArgs): string {
  const d = JENKINS_DEFAULTS;
  const controllerHost = `jenkins.${a.namespace}.svc.cluster.local`;
  const doc = {
    jenkins: {
      systemMessage: "Managed by Pulumi (k8s-platform): change stack config, not this page.",
      // Builds never run on the controller, only on agent pods.
      numExecutors: 0,
      mode: "EXCLUSIVE",
      slaveAgentPort: d.agentPort,
      securityRealm: { local: { allowsSignup: false, users: [{ id: "${JENKINS_ADMIN_ID}", password: "${JENKINS_ADMIN_PASSWORD}" }] } },
      authorizationStrategy: { loggedInUsersCanDoAnything: { allowAnonymousRead: false } },
      clouds: [
        {
          kubernetes: {
            name: "kubernetes",
            namespace: a.agentNamespace,
            jenkinsUrl: `http://${controllerHost}:${d.httpPort}/`,
            jenkinsTunnel: `jenkins-agent.${a.namespace}.svc.cluster.local:${d.agentPort}`,
            containerCapStr: String(d.containerCap),
            templates: a.podTemplates.map((t) => ({
              name: t.name,
              label: t.label ?? t.name,
              namespace: a.agentNamespace,
              nodeUsageMode: "EXCLUSIVE",
              serviceAccount: AGENT_SERVICE_ACCOUNT,
              yaml: JSON.stringify(agentPod(t, a.agentImages, t.team ? a.pushSecrets?.[t.team] : undefined)),
            })),
          },
        },
      ],
    },
    unclassified: { location: { url: a.url } },
    ...seedJobs(a.seedJob),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** The agent pod of one template: jnlp agent, build containers and, for a team, its push credential. */
export function agentPod(t: JenkinsPodTemplate, agentImages: AgentImages = {}, pushSecret?: string): Record<string, unknown> {
  const d = JENKINS_DEFAULTS;
  const images = { ...d.agentImages, ...agentImages };
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
      ? {
          runAsUser: d.uid,
          runAsGroup: d.uid,
          seccompProfile: { type: "Unconfined" },
          appArmorProfile: { type: "Unconfined" },
          capabilities: { drop: ["ALL"], add: ["SETUID", "SETGID"] },
        }
      : UNPRIVILEGED,
    volumeMounts: isBuilder(c) && pushSecret ? [{ name: "registry-push", mountPath: BUILDER_DOCKER_CONFIG, readOnly: true }] : [],
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      labels: { ...standardLabels({ name: "jenkins-agent", instance: t.name, component: "ci" }), ...(t.team ? { "platform.k8s/team": t.team } : {}) },
    },
    spec: {
      serviceAccountName: AGENT_SERVICE_ACCOUNT,
      automountServiceAccountToken: false,
      securityContext: restrictedPod({ runAsUser: d.uid, runAsGroup: d.uid, fsGroup: d.uid }),
      containers: [
        {
          name: "jnlp",
          image: images.jnlp,
          resources: d.jnlpResources,
          securityContext: UNPRIVILEGED,
        },
        ...builds.map(container),
      ],
      volumes: pushSecret ? [{ name: "registry-push", secret: { secretName: pushSecret, items: [{ key: ".dockerconfigjson", path: "config.json" }] } }] : [],
    },
  };
}
