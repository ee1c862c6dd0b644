// Derived-name limits of teams and apps (components/rules/names.ts), reported on the config keys
// that name them.
import { z } from "zod";
import { APP_KINDS, appNameProblems, derivedNameProblems, teamDerivedNames } from "../../components/rules/names";
import { dnsLabel } from "./primitives";
import { field, Issue, items, text, valid } from "./salvage";

export function checkDerivedNames(c: unknown, issue: Issue): void {
  items(field(c, "teams")).forEach((t, i) => {
    const team = valid(dnsLabel, field(t, "name"));
    if (team === undefined) return;
    for (const v of derivedNameProblems(team, teamDerivedNames(team))) issue(["teams", i, "name", ...v.at], v.problem);
  });
  items(field(c, "apps")).forEach((a, i) => {
    const app = valid(dnsLabel, field(a, "name"));
    const kind = valid(z.enum(APP_KINDS), text(a, "kind"));
    if (app === undefined || kind === undefined) return;
    const smokeTest = kind === "blueGreen" && field(a, "smokeTest") !== undefined;
    for (const v of appNameProblems(app, kind, smokeTest)) issue(["apps", i, "name", ...v.at], v.problem);
  });
}
