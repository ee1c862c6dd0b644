// Credentials of CI and registry (Harbor secrets, team robot accounts) and the rules that span
// sections for them: robots and pod templates naming teams, namespaces claimed once, passwords an
// external database or Redis needs.
import { z } from "zod";
import { HARBOR_DEFAULTS, JENKINS_DEFAULTS, LOG_DEFAULTS } from "../../components/defaults";
import { dnsLabel } from "./primitives";
import { entries, field, Issue, items, valid } from "./salvage";

/** A credential: its messages never echo the value. */
export const credential = z.string({ error: "expected a string" }).min(1, { error: "must not be empty" });

/** The Harbor secret key encrypts data at rest in Harbor; the chart requires exactly 16 characters. */
export const harborSecretKey = credential.refine((v) => v.length === HARBOR_DEFAULTS.secretKeyLength, {
  error: (iss) => `must be exactly ${HARBOR_DEFAULTS.secretKeyLength} characters (it has ${String(iss.input).length})`,
});

/** Each team's Harbor robot account: {"payments": {"username": "robot$payments+ci", "password": "..."}}. */
export const registryRobots = z.record(dnsLabel, z.strictObject({ username: credential, password: credential })).default({});

/** Cross-section rules of CI and registry, on config as far as it parsed (see salvage.ts). */
export function checkCiAndRegistry(c: unknown, teams: ReadonlySet<string>, issue: Issue): void {
  const teamList = [...teams].join(", ");
  const robots = entries(field(c, "registryRobots")).map(([team]) => team);
  const harborConfigured = field(c, "harbor") !== undefined;
  const harbor = harborConfigured && field(field(c, "harbor"), "enabled") !== false ? field(c, "harbor") : undefined;
  const jenkins = field(c, "jenkins") !== undefined && field(field(c, "jenkins"), "enabled") !== false ? field(c, "jenkins") : undefined;

  for (const team of robots) {
    if (!teams.has(team) && valid(dnsLabel, team)) issue(["registryRobots", team], `"${team}" is not a configured team (teams: ${teamList})`);
  }
  if (robots.length > 0 && !harborConfigured) issue(["registryRobots"], "needs platform:harbor.host: robot accounts log in to that registry");

  // Namespaces the services create must not collide with each other, a team's, or the log collector's.
  const taken = new Map<string, string>([...teams].map((t) => [t, `team "${t}"`]));
  const logging = field(c, "logging");
  const loggingNs = logging === undefined ? undefined : valid(dnsLabel.default(LOG_DEFAULTS.namespace), field(logging, "namespace"));
  if (loggingNs) taken.set(loggingNs, "the log collector");
  const claim = (path: PropertyKey[], ns: string | undefined, owner: string) => {
    if (ns === undefined) return;
    const other = taken.get(ns);
    if (other) issue(path, `"${ns}" is already the namespace of ${other}`);
    else taken.set(ns, owner);
  };
  if (jenkins) {
    claim(["jenkins", "namespace"], valid(dnsLabel.default(JENKINS_DEFAULTS.namespace), field(jenkins, "namespace")), "jenkins");
    claim(["jenkins", "agentNamespace"], valid(dnsLabel.default(JENKINS_DEFAULTS.agentNamespace), field(jenkins, "agentNamespace")), "jenkins agents");
  }
  if (harbor) claim(["harbor", "namespace"], valid(dnsLabel.default(HARBOR_DEFAULTS.namespace), field(harbor, "namespace")), "harbor");

  if (jenkins) {
    items(field(jenkins, "podTemplates")).forEach((t, i) => {
      const team = valid(dnsLabel, field(t, "team"));
      if (team === undefined) return;
      if (!teams.has(team)) issue(["jenkins", "podTemplates", i, "team"], `"${team}" is not a configured team (teams: ${teamList})`);
      else if (!robots.includes(team)) {
        issue(
          ["jenkins", "podTemplates", i, "team"],
          `team "${team}" has no robot account: pulumi config set --secret platform:registryRobots '{"${team}": {"username": "...", "password": "..."}}'`,
        );
      }
    });
    if (field(field(jenkins, "image"), "build") === true && !harborConfigured) {
      issue(["jenkins", "image", "build"], "needs platform:harbor.host: the registry the custom image is pushed to");
    }
  }

  const database = field(harbor, "database");
  const dbPassword = field(c, "harborDatabasePassword") !== undefined;
  const existingSecret = field(database, "existingSecret") !== undefined;
  if (field(database, "type") === "external") {
    if (!dbPassword && !existingSecret) {
      issue(
        ["harborDatabasePassword"],
        "is required when harbor.database.type is external (or name harbor.database.existingSecret): pulumi config set --secret platform:harborDatabasePassword <password>",
      );
    }
    if (dbPassword && existingSecret) issue(["harbor", "database", "existingSecret"], "set either this or platform:harborDatabasePassword, not both");
  }
  if (field(field(harbor, "redis"), "type") === "external" && field(c, "harborRedisPassword") === undefined) {
    issue(["harborRedisPassword"], "is required when harbor.redis.type is external: pulumi config set --secret platform:harborRedisPassword <password>");
  }
}
