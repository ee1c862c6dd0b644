// The controller's pod: the official image (or the custom one) under uid 1000, JCasC and the plugin
// list mounted from ConfigMaps, the admin credentials from the Secret by reference, a read-only root.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { JENKINS_DEFAULTS } from "../defaults";
import { restrictedContainer, volumeOwnerPod } from "../podSecurity";
import type { Resources } from "../rules";

const CASC_DIR = "/var/jenkins_casc";
const PLUGIN_LIST_DIR = "/var/jenkins_plugin_list";
const REF_PLUGINS = "/usr/share/jenkins/ref/plugins";

export interface ControllerPodArgs {
  serviceAccountName: pulumi.Input<string>;
  /** The image the controller runs (the custom one when built). */
  image: pulumi.Input<string>;
  /** The official image: it runs the plugin installer. */
  baseImage: string;
  /** The Secret holding `username` and `password`. */
  adminSecret: pulumi.Input<string>;
  cascConfigMap: pulumi.Input<string>;
  /** The plugins.txt ConfigMap; without it (a custom image) no init container installs plugins. */
  pluginListConfigMap?: pulumi.Input<string>;
  /** @default JENKINS_DEFAULTS.resources */
  resources?: Resources;
}

export function controllerPodSpec(a: ControllerPodArgs): k8s.types.input.core.v1.PodSpec {
  const d = JENKINS_DEFAULTS;
  const adminEnv = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: a.adminSecret, key } } });
  const probe = (extra: object) => ({ httpGet: { path: "/login", port: "http" }, timeoutSeconds: 5, ...extra });
  const mount = (volume: string, mountPath: string) => ({ name: volume, mountPath });
  return {
    serviceAccountName: a.serviceAccountName,
    // Without the volume's group the official image cannot write a freshly provisioned JENKINS_HOME.
    securityContext: volumeOwnerPod(d.uid),
    initContainers: a.pluginListConfigMap
      ? [
          {
            name: "install-plugins",
            image: a.baseImage,
            command: ["jenkins-plugin-cli", "--plugin-file", `${PLUGIN_LIST_DIR}/plugins.txt`, "--plugin-download-directory", REF_PLUGINS, "--latest", "false"],
            resources: d.jnlpResources,
            securityContext: restrictedContainer(),
            volumeMounts: [
              { name: "plugin-list", mountPath: PLUGIN_LIST_DIR, readOnly: true },
              mount("plugins", REF_PLUGINS),
              mount("jenkins-home", "/var/jenkins_home"),
              mount("tmp", "/tmp"),
            ],
          },
        ]
      : undefined,
    containers: [
      {
        name: "jenkins",
        image: a.image,
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
        resources: a.resources ?? d.resources,
        // Startup allows a slow first boot (plugin unpacking); after it, readiness and liveness take over.
        startupProbe: probe({ periodSeconds: 10, failureThreshold: 60 }),
        readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
        livenessProbe: probe({ periodSeconds: 20, failureThreshold: 5 }),
        securityContext: restrictedContainer(),
        volumeMounts: [
          mount("jenkins-home", "/var/jenkins_home"),
          { name: "casc", mountPath: CASC_DIR, readOnly: true },
          ...(a.pluginListConfigMap ? [mount("plugins", REF_PLUGINS)] : []),
          mount("cache", "/var/jenkins_cache"),
          mount("tmp", "/tmp"),
        ],
      },
    ],
    volumes: [
      { name: "casc", configMap: { name: a.cascConfigMap } },
      ...(a.pluginListConfigMap
        ? [
            { name: "plugin-list", configMap: { name: a.pluginListConfigMap } },
            { name: "plugins", emptyDir: { sizeLimit: "1Gi" } },
          ]
        : []),
      { name: "cache", emptyDir: { sizeLimit: "1Gi" } },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ],
  };
}
