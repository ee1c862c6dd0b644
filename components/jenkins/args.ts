// What the Jenkins component takes. Types only at run time, so the pure builders and config
// validation can share them without loading the Kubernetes SDK.
import type * as pulumi from "@pulumi/pulumi";
import type { RegistryCredentials } from "../registry";
import type { Resources } from "../rules";
import type { JenkinsSeedJob } from "./seedJob";

/** A build container in an agent pod, beside the jnlp agent. */
export interface AgentContainer {
  name: string;
  image: string;
  /** @default ["cat"] (with a TTY: the container idles until a pipeline step runs in it) */
  command?: string[];
  args?: string[];
  /** @default JENKINS_DEFAULTS.agentResources */
  resources?: Resources;
  env?: Record<string, string>;
}

export interface JenkinsPodTemplate {
  name: string;
  /** The label pipelines ask for. @default the template's name */
  label?: string;
  /** The team whose robot credential (from `registryPush`) the image builder pushes with. */
  team?: string;
  /** @default a node build container and the rootless BuildKit image builder (`agentImages`) */
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

/** Images of the agent pods' jnlp agent and default build containers. */
export interface AgentImages {
  jnlp?: string;
  node?: string;
  builder?: string;
}

export interface JenkinsArgs {
  namespace: string;
  agentNamespace: string;
  /** @default JENKINS_DEFAULTS.adminUser ("admin") */
  adminUser?: string;
  /** Supplied admin password (a secret). @default generated with @pulumi/random */
  adminPassword?: pulumi.Input<string>;
  /** Official controller image, or the base of the custom image. @default JENKINS_DEFAULTS.image */
  image?: string;
  /** plugins.txt content, installed by an init container at start. Not used with `customImage`. */
  plugins?: string;
  /** Build and push a controller image with the plugins baked in (no init container). */
  customImage?: JenkinsCustomImage;
  /** @default JENKINS_DEFAULTS.agentImages */
  agentImages?: AgentImages;
  /** @default size JENKINS_DEFAULTS.storage.size, the cluster's default storage class */
  storage?: { size?: string; storageClass?: string };
  /** @default JENKINS_DEFAULTS.resources */
  resources?: Resources;
  /** Expose the UI through an Ingress with TLS (@default tlsSecretName JENKINS_DEFAULTS.tlsSecretName). */
  ingress?: JenkinsIngress;
  /** Namespaces (e.g. the ingress controller's) allowed to reach the UI on 8080. @default [] */
  allowIngressFrom?: string[];
  podTemplates: JenkinsPodTemplate[];
  /** Push credentials per team; each becomes a dockerconfigjson Secret in the agent namespace. */
  registryPush?: Record<string, RegistryCredentials>;
  /** Never replace or delete JENKINS_HOME, the admin Secret or the generated password (prod). @default false */
  protect?: boolean;
  /** Seed a multibranch job for the platform's own repository (its Jenkinsfile). */
  seedJob?: JenkinsSeedJob;
}

export interface JenkinsIngress {
  host: string;
  className?: string;
  tlsSecretName?: string;
}
