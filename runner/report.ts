// What the runner tells a person (a short summary) or a script (JSON) after the engine ran.
import type { EngineEvent, OutputMap, Stack } from "@pulumi/pulumi/automation";

export interface Operation {
  urn: string;
  type: string;
  op: string;
  /** Changed property paths (the provider's detailed diff where it has one). */
  paths: string[];
}

export interface PolicyViolation {
  policy: string;
  level: string;
  urn?: string;
  message: string;
}

/** Collects one entry per resource operation other than "same", and policy violations, from the engine's events. */
export class OperationLog {
  readonly operations: Operation[] = [];
  readonly policyViolations: PolicyViolation[] = [];

  readonly onEvent = (event: EngineEvent): void => {
    const step = event.resourcePreEvent?.metadata;
    if (step && step.op !== "same") {
      const paths = step.detailedDiff ? Object.keys(step.detailedDiff) : (step.diffs ?? []);
      this.operations.push({ urn: step.urn, type: step.type, op: step.op, paths: paths.sort() });
    }
    const policy = event.policyEvent;
    if (policy) {
      this.policyViolations.push({ policy: policy.policyName, level: policy.enforcementLevel, urn: policy.resourceUrn, message: policy.message.trim() });
    }
  };
}

/** Objects per Kubernetes kind in the stack's state (providers and components left out). */
export async function kindsInState(stack: Stack): Promise<Record<string, number>> {
  const deployment = await stack.exportStack();
  const counts: Record<string, number> = {};
  for (const r of deployment.deployment.resources ?? []) {
    const type: string = r.type ?? "";
    if (!type.startsWith("kubernetes:") || !r.custom) continue;
    const kind = type.split(":")[2];
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Stack outputs for a person: secrets stay hidden, long values are shortened. */
export function formatOutputs(outputs: OutputMap): string[] {
  return Object.entries(outputs).map(([key, { value, secret }]) => {
    const text = secret ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
    return `  ${key}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
  });
}

/** The config flip a person would try next: the first blue-green app's idle color. */
export function flipHint(config: Record<string, { value: string }>, stack: string): string | undefined {
  try {
    const apps: { kind?: string; activeColor?: string }[] = JSON.parse(config["platform:apps"]?.value ?? "[]");
    const i = apps.findIndex((a) => a.kind === "blueGreen");
    if (i < 0) return undefined;
    const next = apps[i].activeColor === "green" ? "blue" : "green";
    return `npm run pulumi -- config set --path 'platform:apps[${i}].activeColor' ${next} --stack ${stack} && npm run platform -- up --stack ${stack} --yes`;
  } catch {
    return undefined;
  }
}

export interface Summary {
  stack: string;
  command: string;
  changes: Record<string, number>;
  kinds: Record<string, number>;
  renderedTo?: string;
  outputs: OutputMap;
  config: Record<string, { value: string }>;
}

export function humanSummary(s: Summary): string {
  const total = Object.values(s.kinds).reduce((a, b) => a + b, 0);
  const where = s.renderedTo
    ? `rendered to ${s.renderedTo}/ (render mode: no cluster in the stack config; Secrets are written there in plain text)`
    : "deployed to the cluster";
  const kinds = Object.entries(s.kinds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`);
  const changes =
    Object.entries(s.changes)
      .map(([op, n]) => `${n} ${op}`)
      .join(", ") || "no changes";
  const flip = flipHint(s.config, s.stack);
  return [
    "",
    `${s.stack}: ${total} Kubernetes objects ${where}`,
    `  changes: ${changes}`,
    ...wrap(kinds, "  kinds: "),
    "outputs:",
    ...formatOutputs(s.outputs),
    "next:",
    ...(flip ? [`  flip the first blue-green app:  ${flip}`] : []),
    "  preview prod with the policy pack:  npm run platform -- preview --stack prod --policy",
    `  read a secret output:  npm run pulumi -- stack output --show-secrets --stack ${s.stack}`,
  ].join("\n");
}

function wrap(items: string[], prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const item of items) {
    if (line.length + item.length > width && line !== prefix) {
      lines.push(line.replace(/, $/, ""));
      line = " ".repeat(prefix.length);
    }
    line += `${item}, `;
  }
  if (line.trim()) lines.push(line.replace(/, $/, ""));
  return lines;
}
