// Platform services' credentials and the rules that span several sections (teams, jenkins, harbor).
import { z } from "zod";
import type { HarborConfig } from "./harbor";
import type { JenkinsConfig } from "./jenkins";
import { dnsLabel } from "./primitives";

/** A credential: its messages never echo the value. */
export const credential = z.string({ error: "expected a string" }).min(1, { error: "must not be empty" });

/** The Harbor secret key encrypts data at rest in Harbor; the chart requires exactly 16 characters. */
export const harborSecretKey = credential.refine((v) => v.length === 16, {
  error: (iss) => `must be exactly 16 characters (it has ${String(iss.input).length})`,
});

/** Each team's Harbor robot account: {"payments": {"username": "robot$payments+ci", "password": "..."}}. */
export const registryRobots = z.record(dnsLabel, z.strictObject({ username: credential, password: credential })).default({});

interface ServicesConfig {
  teams: { name: string }[];
  logging: { namespace: string };
  jenkins?: JenkinsConfig;
  harbor?: HarborConfig;
  registryRobots: Record<string, unknown>;
  harborDatabasePassword?: string;
  harborRedisPassword?: string;
}

export function checkServices(c: ServicesConfig, ctx: z.core.$RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const teams = new Set(c.teams.map((t) => t.name));
  const teamList = [...teams].join(", ");
  const harbor = c.harbor?.enabled ? c.harbor : undefined;

  for (const team of Object.keys(c.registryRobots)) {
    if (!teams.has(team)) issue(["registryRobots", team], `"${team}" is not a configured team (teams: ${teamList})`);
  }
  if (Object.keys(c.registryRobots).length > 0 && !c.harbor) {
    issue(["registryRobots"], "needs platform:harbor.host: robot accounts log in to that registry");
  }

  // Namespaces the services create must not collide with each other, a team's, or the log collector's.
  const taken = new Map<string, string>([...teams].map((t) => [t, `team "${t}"`]));
  taken.set(c.logging.namespace, "the log collector");
  const claim = (path: PropertyKey[], ns: string, owner: string) => {
    const other = taken.get(ns);
    if (other) issue(path, `"${ns}" is already the namespace of ${other}`);
    else taken.set(ns, owner);
  };
  if (c.jenkins?.enabled) {
    claim(["jenkins", "namespace"], c.jenkins.namespace, "jenkins");
    claim(["jenkins", "agentNamespace"], c.jenkins.agentNamespace, "jenkins agents");
  }
  if (harbor) claim(["harbor", "namespace"], harbor.namespace, "harbor");

  const j = c.jenkins;
  if (j?.enabled) {
    j.podTemplates?.forEach((t, i) => {
      if (t.team === undefined) return;
      if (!teams.has(t.team)) issue(["jenkins", "podTemplates", i, "team"], `"${t.team}" is not a configured team (teams: ${teamList})`);
      else if (!(t.team in c.registryRobots)) {
        issue(["jenkins", "podTemplates", i, "team"], `team "${t.team}" has no robot account: pulumi config set --secret platform:registryRobots '{"${t.team}": {"username": "...", "password": "..."}}'`);
      }
    });
    if (j.image.build && !c.harbor) issue(["jenkins", "image", "build"], "needs platform:harbor.host: the registry the custom image is pushed to");
  }

  if (harbor?.database.type === "external") {
    if (!c.harborDatabasePassword && !harbor.database.existingSecret) {
      issue(["harborDatabasePassword"], "is required when harbor.database.type is external (or name harbor.database.existingSecret): pulumi config set --secret platform:harborDatabasePassword <password>");
    }
    if (c.harborDatabasePassword && harbor.database.existingSecret) {
      issue(["harbor", "database", "existingSecret"], "set either this or platform:harborDatabasePassword, not both");
    }
  }
  if (harbor?.redis.type === "external" && !c.harborRedisPassword) {
    issue(["harborRedisPassword"], "is required when harbor.redis.type is external: pulumi config set --secret platform:harborRedisPassword <password>");
  }
}
