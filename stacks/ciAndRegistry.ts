// CI and registry from config: Jenkins and Harbor, and each team's registry credentials.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { Harbor } from "../components/harbor";
import { Jenkins, JenkinsPodTemplate } from "../components/jenkins";
import { SEED_JOB_DEFAULTS } from "../components/jenkins/seedJob";
import type { RegistryCredentials } from "../components/registry";
import { type PlatformConfig, secretInput } from "./config";
import { JENKINS_IMAGE_CONTEXT } from "./config/jenkins";
import { harborMetrics, jenkinsIngressFrom, jenkinsPlugins } from "./observability";

export interface JenkinsOutputs {
  url: string;
  adminUser: string;
  /** A Pulumi secret. */
  adminPassword: pulumi.Output<string>;
}

export interface CiAndRegistryOutputs {
  jenkins?: JenkinsOutputs;
  harbor?: { externalURL: string };
}

/** A team's Harbor robot account for `harbor.host`, when both are configured. */
export function teamRegistry(cfg: PlatformConfig, team: string): RegistryCredentials | undefined {
  const robot = cfg.registryRobots[team];
  if (!cfg.harbor || !robot) return undefined;
  return { server: cfg.harbor.host, username: robot.username, password: pulumi.secret(robot.password) };
}

/** Pod templates from config, or one per team with a robot account (it pushes as that team), or one "default". */
function podTemplates(cfg: PlatformConfig, teamsWithRobots: string[]): JenkinsPodTemplate[] {
  if (cfg.jenkins?.podTemplates) return cfg.jenkins.podTemplates;
  const teams = teamsWithRobots.map((team) => ({ name: team, team }));
  // The seed job's Jenkinsfile runs on "default" (no team's push credential), so it is kept beside team templates.
  const needsDefault = teams.length === 0 || (cfg.jenkins?.seedJob && !teams.some((t) => t.name === SEED_JOB_DEFAULTS.podTemplate));
  return needsDefault ? [...teams, { name: SEED_JOB_DEFAULTS.podTemplate }] : teams;
}

export function createCiAndRegistry(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions): CiAndRegistryOutputs {
  const prod = cfg.environment === "prod";
  const outputs: CiAndRegistryOutputs = {};

  let harbor: Harbor | undefined;
  const h = cfg.harbor;
  if (h?.enabled) {
    harbor = new Harbor(
      "harbor",
      {
        namespace: h.namespace,
        host: h.host,
        // Both required by config when Harbor is enabled (stacks/config/harbor.ts).
        chart: h.chart!,
        expose: h.expose!,
        externalURL: h.externalURL,
        persistence: h.persistence,
        externalDatabase:
          h.database.type === "external"
            ? {
                host: h.database.host!,
                port: h.database.port,
                username: h.database.username!,
                coreDatabase: h.database.coreDatabase,
                sslmode: h.database.sslmode,
                // Validated: one of the two is set.
                password: secretInput(cfg.harborDatabasePassword),
                existingSecret: h.database.existingSecret,
              }
            : undefined,
        externalRedis:
          h.redis.type === "external" ? { addr: h.redis.addr!, username: h.redis.username, password: pulumi.secret(cfg.harborRedisPassword!) } : undefined,
        trivy: h.trivy,
        metrics: harborMetrics(cfg),
        adminPassword: secretInput(cfg.harborAdminPassword),
        secretKey: secretInput(cfg.harborSecretKey),
        protect: prod,
      },
      opts,
    );
    outputs.harbor = { externalURL: harbor.externalURL };
  }

  const j = cfg.jenkins;
  if (j?.enabled) {
    const registryPush = Object.fromEntries(
      cfg.teams.flatMap((t) => {
        const r = teamRegistry(cfg, t.name);
        return r ? [[t.name, r]] : [];
      }),
    );
    const jenkins = new Jenkins(
      "jenkins",
      {
        namespace: j.namespace,
        agentNamespace: j.agentNamespace,
        adminUser: j.adminUser,
        adminPassword: secretInput(cfg.jenkinsAdminPassword),
        image: j.image.controller,
        plugins: j.image.build ? undefined : jenkinsPlugins(cfg, fs.readFileSync(j.pluginsFile, "utf8")),
        // Validated: building needs harbor.host. The stack's own Harbor admin pushes; otherwise `docker login`.
        customImage: j.image.build
          ? {
              context: JENKINS_IMAGE_CONTEXT,
              repository: `${cfg.harbor!.host}/${j.image.repository}`,
              registry: harbor ? { server: cfg.harbor!.host, username: "admin", password: harbor.adminPassword } : undefined,
            }
          : undefined,
        agentImages: j.agentImages,
        storage: j.storage,
        resources: j.resources,
        ingress: j.ingress,
        allowIngressFrom: jenkinsIngressFrom(cfg, j.allowIngressFrom),
        podTemplates: podTemplates(cfg, Object.keys(registryPush)),
        registryPush,
        seedJob: j.seedJob,
        protect: prod,
      },
      opts,
    );
    outputs.jenkins = { url: jenkins.url, adminUser: jenkins.adminUser, adminPassword: jenkins.adminPassword };
  }
  return outputs;
}
