// Turns validation issues into one readable message that names every key path.
import type { z } from "zod";
import * as pulumi from "@pulumi/pulumi";
import { describe } from "./primitives";

export const NAMESPACE = "platform";

/** ["teams", 1, "quota", "cpu"] -> "platform:teams[1].quota.cpu" */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = NAMESPACE + ":";
  path.forEach((p, i) => {
    if (typeof p === "number") out += `[${p}]`;
    else out += (i === 0 ? "" : ".") + String(p);
  });
  return out;
}

function explain(issue: z.core.$ZodIssue): string[] {
  const at = keyPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((k) => `${keyPath([...issue.path, k])}: unknown key (check the spelling)`);
    case "invalid_type":
      if (input === undefined) return [`${at}: is required (expected ${issue.expected})`];
      if (issue.message.startsWith("Invalid input")) return [`${at}: expected ${issue.expected}, got ${describe(input)}`];
      return [`${at}: ${issue.message}`];
    case "invalid_value":
      if (input === undefined) return [`${at}: is required (one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")})`];
      // A schema that explains a refused value (e.g. cluster.cni: weave) keeps its message.
      if (!issue.message.startsWith("Invalid")) return [`${at}: ${issue.message}`];
      return [`${at}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, got ${describe(input)}`];
    case "invalid_union":
      // Our unions carry their own message; zod's default for them is not helpful.
      return [`${at}: ${issue.message === "Invalid input" ? `unexpected ${describe(input)}` : issue.message}`];
    default:
      // zod's own messages ("Too small: ...") do not say what was given; ours do.
      return [`${at}: ${issue.message}${input !== undefined && /^(Too (small|big)|Invalid)/.test(issue.message) ? `, got ${describe(input)}` : ""}`];
  }
}

export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string[] {
  return issues.flatMap(explain);
}

/** Thrown before any resource is registered. RunError prints without a stack trace. */
export class PlatformConfigError extends pulumi.RunError {
  constructor(
    readonly problems: string[],
    stack: string,
  ) {
    super(
      `Invalid stack config for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix them in Pulumi.${stack}.yaml or with \`pulumi config set\`. Nothing was changed.`,
    );
  }
}
