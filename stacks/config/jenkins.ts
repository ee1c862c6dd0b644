// platform:jenkins — the CI controller, its agent namespace and the agent pod templates.
import * as fs from "fs";
import { z } from "zod";
import { JENKINS_DEFAULTS } from "../../components/defaults";
import { SEED_JOB_DEFAULTS } from "../../components/jenkins/seedJob";
import { describe, dnsLabel, hostname, image, labelledImage, quantity, resources } from "./primitives";
import { ALWAYS, field, items, text, valid } from "./salvage";

/** The custom Jenkins image's build context (Dockerfile and the plugins.txt it bakes in). */
export const JENKINS_IMAGE_CONTEXT = "images/jenkins";

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

/** A git remote Jenkins can clone: https://, ssh:// or scp-like git@host:path. */
const gitRepo = z.string().refine((v) => /^(https:\/\/[^\s/]+\/\S+|ssh:\/\/[^\s/]+\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/.test(v) && !/['"\\\s]/.test(v), {
  error: (iss) =>
    `expected a git repository URL like "https://github.com/acme/platform.git" or "git@git.example.com:acme/platform.git", got ${describe(iss.input)}`,
});

const seedJob = z.strictObject({
  repo: gitRepo,
  /** A Jenkins credential for a private repository. */
  credentialsId: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, { error: "a credentials id is letters, digits, '.', '_' and '-'" })
    .optional(),
});

export const jenkinsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    namespace: dnsLabel.default(JENKINS_DEFAULTS.namespace),
    /** Agent pods run here, apart from the controller and its secrets. */
    agentNamespace: dnsLabel.default(JENKINS_DEFAULTS.agentNamespace),
    adminUser: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { error: "a user id is letters, digits, '.', '_' and '-'" })
      .default(JENKINS_DEFAULTS.adminUser),
    image: z
      .strictObject({
        /** The official controller image (plugins installed at start), or the base of the custom image. */
        controller: labelledImage.optional(),
        /** Bake the plugins into a custom image, built and pushed to Harbor with @pulumi/docker. */
        build: z.boolean().default(false),
        /** Harbor project/repository of the custom image. */
        repository: z
          .string()
          .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/, { error: 'expected "<project>/<name>" like "platform/jenkins"' })
          .default(JENKINS_DEFAULTS.imageRepository),
      })
      .default({ build: false, repository: JENKINS_DEFAULTS.imageRepository }),
    /** The pinned plugin list the init container installs, relative to the project. */
    pluginsFile: z
      .string()
      .refine((f) => fs.existsSync(f) && fs.statSync(f).isFile(), { error: (iss) => `no such file: ${String(iss.input)}` })
      .default(`${JENKINS_IMAGE_CONTEXT}/plugins.txt`),
    agentImages: z.strictObject({ jnlp: image.optional(), node: image.optional(), builder: image.optional() }).optional(),
    storage: z.strictObject({ size: quantity.optional(), storageClass: z.string().min(1).optional() }).optional(),
    resources: resources.optional(),
    ingress: z.strictObject({ host: hostname, className: z.string().min(1).optional(), tlsSecretName: dnsLabel.optional() }).optional(),
    /** Namespaces (e.g. the ingress controller's) allowed to reach the web UI on 8080. */
    allowIngressFrom: z.array(dnsLabel).default([]),
    /** Default: one template per team with a robot account in platform:registryRobots, or one "default". */
    podTemplates: z.array(podTemplate).min(1, { error: "list at least one pod template, or leave podTemplates out for the defaults" }).optional(),
    /** Seed a job for the platform's own repository; its Jenkinsfile runs on the "default" template's node container. */
    seedJob: seedJob.optional(),
  })
  .superRefine((j, ctx) => {
    const namespace = valid(dnsLabel.default(JENKINS_DEFAULTS.namespace), field(j, "namespace"));
    const agentNamespace = valid(dnsLabel.default(JENKINS_DEFAULTS.agentNamespace), field(j, "agentNamespace"));
    if (namespace && namespace === agentNamespace) {
      ctx.addIssue({
        code: "custom",
        path: ["agentNamespace"],
        message: `must differ from jenkins.namespace "${namespace}": agents never share the controller's namespace`,
      });
    }
    const seen = new Map<string, number>();
    // Each check reads only fields that are valid on their own, so it runs beside type errors.
    const templates = items(field(j, "podTemplates"));
    const seedJob = field(j, "seedJob") !== undefined;
    templates.forEach((t, i) => {
      const name = valid(dnsLabel, field(t, "name"));
      const first = name === undefined ? undefined : seen.get(name);
      if (first !== undefined)
        ctx.addIssue({ code: "custom", path: ["podTemplates", i, "name"], message: `"${name}" is already used by podTemplates[${first}]` });
      else if (name !== undefined) seen.set(name, i);
      const containers = items(field(t, "containers"));
      if (
        seedJob &&
        name === SEED_JOB_DEFAULTS.podTemplate &&
        field(t, "containers") !== undefined &&
        !containers.some((c) => text(c, "name") === SEED_JOB_DEFAULTS.container)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["podTemplates", i, "containers"],
          message: `the seed job's Jenkinsfile runs in a "${SEED_JOB_DEFAULTS.container}" container of this template: add one`,
        });
      }
      if (containers.some((c) => text(c, "name") === "jnlp")) {
        ctx.addIssue({
          code: "custom",
          path: ["podTemplates", i, "containers"],
          message: "the jnlp agent container is added by the platform; list only build containers",
        });
      }
    });
    if (seedJob && field(j, "podTemplates") !== undefined && !templates.some((t) => text(t, "name") === SEED_JOB_DEFAULTS.podTemplate)) {
      ctx.addIssue({
        code: "custom",
        path: ["seedJob"],
        message: `the Jenkinsfile runs on the pod template "${SEED_JOB_DEFAULTS.podTemplate}": add it to jenkins.podTemplates`,
      });
    }
  }, ALWAYS);
