// The README agrees with the code it documents: the policy rule table is the pack's own metadata
// and per-environment levels, and the config reference renders as one table.
import * as fs from "fs";
import * as path from "path";
import { rules } from "../policy/pack";
import { ROOT } from "../testing/harness";
import { loadPolicyConfig, resolveConfig } from "./support/policy";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");

/** The lines of a `## title` section. */
function section(title: string): string[] {
  const start = readme.indexOf(`## ${title}`);
  const end = readme.findIndex((l, i) => i > start && /^## /.test(l));
  return readme.slice(start + 1, end < 0 ? undefined : end);
}

test("the rule table lists every rule with its factor, what it checks, its choice and its levels", () => {
  const dev = resolveConfig(loadPolicyConfig("dev"));
  const prod = resolveConfig(loadPolicyConfig("prod"));
  const expected = rules.map(({ meta }) => {
    const checks = `${meta.checks}${meta.choice ? ` Choice: ${meta.choice}` : ""}`.replace(/\|/g, "\\|");
    return `| \`${meta.name}\` | ${meta.factor} | ${checks} | ${dev.get(meta.name)!.level} | ${prod.get(meta.name)!.level} |`;
  });
  const table = readme.filter((l) => /^\| `[a-z-]+` \| (II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\. |^\| `[a-z-]+` \| Security baseline \|/.test(l));
  expect(table).toEqual(expected);
});

test("the config reference is one table: no blank line splits its rows", () => {
  const lines = section("Config reference");
  const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("| `"));
  const first = rows[0][1];
  const last = rows[rows.length - 1][1];
  expect(lines.slice(first, last + 1).filter((l) => !l.startsWith("|"))).toEqual([]);
  expect(lines.filter((l) => l.startsWith("| Key |"))).toHaveLength(1);
  // The jenkins and harbor rows, which a blank line once cut off, are inside it.
  expect(lines.slice(first, last + 1).some((l) => l.startsWith("| `harbor.host`"))).toBe(true);
});
