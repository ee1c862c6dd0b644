// Rules that span sections of platform config (teams, apps, logging, CI and registry, environment). They
// run on config as far as it parsed (salvage.ts), so one message lists every independent problem.
import { z } from "zod";
import { LOG_DEFAULTS } from "../../components/defaults";
import { keyPath } from "./errors";
import { checkJobs } from "./jobs";
import { checkMesh } from "./mesh";
import { checkDerivedNames } from "./names";
import { dnsLabel } from "./primitives";
import { checkProdImages } from "./prodImages";
import { entries, field, Issue, items, reporter, text, valid } from "./salvage";
import { checkCiAndRegistry } from "./credentials";

/** The names of the configured teams, as written (each name's own errors are reported on it). */
export function teamNames(c: unknown): Set<string> {
  return new Set(
    items(field(c, "teams"))
      .map((t) => text(t, "name"))
      .filter((n): n is string => n !== undefined),
  );
}

export function checkPlatform(c: unknown, ctx: z.RefinementCtx): void {
  const issue = reporter(ctx);
  const environment = valid(z.enum(["dev", "prod"]), field(c, "environment"));
  const cluster = field(c, "cluster");
  const logging = field(c, "logging");

  if (environment === "prod" && text(cluster, "cni") === "flannel" && field(cluster, "acknowledgeNoNetworkPolicy") !== true) {
    issue(
      ["cluster", "cni"],
      "flannel does not enforce NetworkPolicy, so teams in prod would not be isolated; use calico, or set cluster.acknowledgeNoNetworkPolicy: true",
    );
  }
  if (field(logging, "user") !== undefined && field(logging, "backend") !== "forward" && field(c, "loggingPassword") === undefined) {
    issue(["loggingPassword"], `is required when logging.user is set: pulumi config set --secret ${keyPath(["loggingPassword"])} <password>`);
  }

  const teams = teamNames(c);
  checkApps(c, teams, issue);
  const loggingNs = logging === undefined ? undefined : valid(dnsLabel.default(LOG_DEFAULTS.namespace), field(logging, "namespace"));
  items(field(c, "teams")).forEach((t, i) => {
    if (loggingNs !== undefined && text(t, "name") === loggingNs) issue(["teams", i, "name"], `"${loggingNs}" is the log collector's namespace`);
  });
  checkCiAndRegistry(c, teams, issue);
  checkDerivedNames(c, issue);
  checkJobs(c, issue);
  checkMesh(c, issue);
  if (environment === "prod") checkProdImages(c, issue);
}

/** Each app names a configured team, once per team; supplied passwords name configured apps. */
function checkApps(c: unknown, teams: ReadonlySet<string>, issue: Issue): void {
  const apps = new Set<string>();
  items(field(c, "apps")).forEach((a, i) => {
    const team = valid(dnsLabel, field(a, "team"));
    const name = valid(dnsLabel, field(a, "name"));
    if (team !== undefined && !teams.has(team)) issue(["apps", i, "team"], `"${team}" is not a configured team (teams: ${[...teams].join(", ")})`);
    if (team === undefined || name === undefined) return;
    const id = `${team}/${name}`;
    if (apps.has(id)) issue(["apps", i, "name"], `"${name}" is already used by another app of team "${team}"`);
    apps.add(id);
  });
  // Only when every app has a valid identity: otherwise an unnamed app could be the one meant.
  const identified = items(field(c, "apps")).every((a) => valid(dnsLabel, field(a, "team")) && valid(dnsLabel, field(a, "name")));
  for (const [key] of entries(field(c, "appPasswords"))) {
    if (identified && !apps.has(key)) issue(["appPasswords", key], `no app "${key}" is configured`);
  }
}
