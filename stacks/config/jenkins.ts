// platform:jenkins — the CI controller, its agent namespace and the agent pod templates.
import * as fs from "fs";
import { z } from "zod";
import { dnsLabel, hostname, image, labelledImage, quantity } from "./primitives";
import { ALWAYS, field, items, text, valid } from "./salvage";

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });
const resources = z.strictObject({ requests: cpuMemory, limits: cpuMemory });

const agentContainer = z.strictObject({
  name: dnsLabel,
  image: image,
  /** Build containers idle (`cat` with a TTY) until a pipeline step runs in them. */
  command: z.array(z.string().min(1)).optional(),
  args: z.array(z.string()).optional(),
  resources: resources.optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "env names are letters, digits and _" }), z.string()).optional(),
});

const podTemplate = z.strictObject({
  name: dnsLabel,
  /** The label pipelines ask for (`agent { label 'payments' }`); defaults to the name. */
  label: z.string().regex(/^\S+$/, { error: "a label is one word" }).optional(),
  /** The team whose Harbor robot account (platform:registryRobots) pushes the images built here. */
  team: dnsLabel.optional(),
  /** Build containers beside the jnlp agent; default: node and the rootless BuildKit image builder. */
  containers: z.array(agentContainer).min(1, { error: "list at least one container, or leave containers out for the defaults" }).optional(),
});

export const jenkinsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    namespace: dnsLabel.default("jenkins"),
    /** Agent pods run here, apart from the controller and its secrets. */
    agentNamespace: dnsLabel.default("jenkins-agents"),
    adminUser: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "a user id is letters, digits, '.', '_' and '-'" }).default("admin"),
    image: z
      .strictObject({
        /** The official controller image (plugins installed at start), or the base of the custom image. */
        controller: labelledImage.optional(),
        /** Bake the plugins into a custom image, built and pushed to Harbor with @pulumi/docker. */
        build: z.boolean().default(false),
        /** Harbor project/repository of the custom image. */
        repository: z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/, { error: 'expected "<project>/<name>" like "platform/jenkins"' }).default("platform/jenkins"),
      })
      .default({ build: false, repository: "platform/jenkins" }),
    /** The pinned plugin list the init container installs, relative to the project. */
    pluginsFile: z.string().refine((f) => fs.existsSync(f) && fs.statSync(f).isFile(), { error: (iss) => `no such file: ${String(iss.input)}` }).default("images/jenkins/plugins.txt"),
    agentImages: z.strictObject({ jnlp: image.optional(), node: image.optional(), builder: image.optional() }).optional(),
    storage: z.strictObject({ size: quantity.optional(), storageClass: z.string().min(1).optional() }).optional(),
    resources: resources.optional(),
    ingress: z.strictObject({ host: hostname, className: z.string().min(1).optional(), tlsSecretName: dnsLabel.optional() }).optional(),
    /** Namespaces (e.g. the ingress controller's) allowed to reach the web UI on 8080. */
    allowIngressFrom: z.array(dnsLabel).default([]),
    /** Default: one template per team with a robot account in platform:registryRobots, or one "default". */
    podTemplates: z.array(podTemplate).min(1, { error: "list at least one pod template, or leave podTemplates out for the defaults" }).optional(),
  })
  .superRefine((j, ctx) => {
    const namespace = valid(dnsLabel.default("jenkins"), field(j, "namespace"));
    const agentNamespace = valid(dnsLabel.default("jenkins-agents"), field(j, "agentNamespace"));
    if (namespace && namespace === agentNamespace) {
      ctx.addIssue({ code: "custom", path: ["agentNamespace"], message: `must differ from jenkins.namespace "${namespace}": agents never share the controller's namespace` });
    }
    const seen = new Map<string, number>();
    items(field(j, "podTemplates")).forEach((t, i) => {
      const name = valid(dnsLabel, field(t, "name"));
      const first = name === undefined ? undefined : seen.get(name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["podTemplates", i, "name"], message: `"${name}" is already used by podTemplates[${first}]` });
      else if (name !== undefined) seen.set(name, i);
      if (items(field(t, "containers")).some((c) => text(c, "name") === "jnlp")) {
        ctx.addIssue({ code: "custom", path: ["podTemplates", i, "containers"], message: "the jnlp agent container is added by the platform; list only build containers" });
      }
    });
  }, ALWAYS);

export type JenkinsConfig = z.infer<typeof jenkinsSchema>;
