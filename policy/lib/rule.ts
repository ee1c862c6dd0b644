// Builds CrossGuard policies from a rule's metadata and one check function, so every rule reports
// the same way: its name, the factor it enforces, what is wrong and how to fix it.
import type { EnforcementLevel, PolicyResource, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { ExemptionConfig, exemptWorkloadsSchema, isExempt } from "./config";
import { describeWorkload, Workload, WorkloadKind, WORKLOAD_KINDS, workloadOf } from "./workloads";

export type Factor =
  | "II. Dependencies"
  | "III. Config"
  | "IV. Backing services"
  | "V. Build, release, run"
  | "VI. Processes"
  | "VII. Port binding"
  | "VIII. Concurrency"
  | "IX. Disposability"
  | "X. Dev/prod parity"
  | "XI. Logs"
  | "XII. Admin processes"
  | "Security baseline";

export interface RuleMeta {
  name: string;
  factor: Factor;
  /** What the rule checks, one sentence. */
  checks: string;
  /** What the user changes to comply. */
  remediation: string;
  severity: Severity;
  /** Level when no policy config names one. Defaults to mandatory: without config the pack is strict. */
  enforcementLevel?: EnforcementLevel;
  /** Rule settings beyond `exemptWorkloads` (JSON schema per key). */
  config?: Record<string, PolicyConfigJSONSchema>;
  /**
   * What this platform chose where a standard leaves room or the rule goes beyond one (e.g. which
   * added capabilities are fine), so the description says it; settings name where it can differ.
   */
  choice?: string;
  /** The workload shapes the rule applies to; every shape when absent. */
  kinds?: WorkloadKind[];
}

export type Report = (problem: string) => void;

/** Rule metadata the README and tests read back: which factor, and how to fix. */
export interface Rule {
  meta: RuleMeta;
  policy: ResourceValidationPolicy | StackValidationPolicy;
}

/** The policy description: factor, what it checks, the platform's choice, how to comply. */
export function describeRule(meta: RuleMeta): string {
  return `[${meta.factor}] ${meta.checks}${meta.choice ? ` Choice: ${meta.choice}` : ""} Remediation: ${meta.remediation}`;
}

/** The workload shapes a rule applies to. */
export const kindsOf = (meta: RuleMeta): WorkloadKind[] => meta.kinds ?? [...WORKLOAD_KINDS];

function policyFields(meta: RuleMeta, exemptible: boolean) {
  return {
    name: meta.name,
    description: describeRule(meta),
    enforcementLevel: meta.enforcementLevel ?? "mandatory",
    severity: meta.severity,
    remediationSteps: meta.remediation,
    tags: [meta.factor.startsWith("Security") ? "security" : "twelve-factor"],
    configSchema: {
      properties: { ...(exemptible ? { exemptWorkloads: exemptWorkloadsSchema } : {}), ...(meta.config ?? {}) },
    },
  };
}

/** The violation text: rule name first, so it is what a user greps for in a preview. */
export function violation(meta: RuleMeta, subject: string, problem: string): string {
  return `${meta.name}: ${subject}: ${problem}. [${meta.factor}] Fix: ${meta.remediation}`;
}

/**
 * A rule over one workload's pod spec (the shapes in `kinds`); exempt workloads are skipped by name.
 * `exemptible: false` for rules whose settings carry finer exceptions than a whole workload.
 */
export function workloadRule<C extends object = object>(meta: RuleMeta & { exemptible?: boolean; check(w: Workload, cfg: C, report: Report): void }): Rule {
  const exemptible = meta.exemptible ?? true;
  const kinds = new Set(kindsOf(meta));
  return {
    meta,
    policy: {
      ...policyFields(meta, exemptible),
      validateResource: (args, reportViolation) => {
        const w = workloadOf(args.type, args.props, args.name);
        if (!w || !kinds.has(w.kind)) return;
        const cfg = args.getConfig<C & ExemptionConfig>();
        if (exemptible && isExempt(w, cfg.exemptWorkloads)) return;
        meta.check(w, cfg, (problem) => reportViolation(violation(meta, describeWorkload(w), problem)));
      },
    },
  };
}

/** A rule over resource types (ConfigMap, Service, ...): it applies to no workload shape unless `kinds` says so. */
export function resourceRule<C extends object = object>(
  meta: RuleMeta & { types: RegExp; check(props: Record<string, any>, cfg: C, report: Report): void },
): Rule {
  return {
    meta: { ...meta, kinds: meta.kinds ?? [] },
    policy: {
      ...policyFields(meta, false),
      validateResource: (args, reportViolation) => {
        if (!meta.types.test(args.type)) return;
        const kind = args.type.split(":").pop();
        const m = args.props.metadata ?? {};
        const subject = `${kind} ${m.namespace ?? "default"}/${m.name ?? args.name}`;
        meta.check(args.props, args.getConfig<C>(), (problem) => reportViolation(violation(meta, subject, problem)));
      },
    },
  };
}

/** A workload found in the stack, with the resource it came from (for the violation's URN). */
export interface StackWorkload extends Workload {
  resource: PolicyResource;
}

export type StackReport = (resource: PolicyResource, subject: string, problem: string) => void;

/** A rule that needs the whole stack (Service → workload, HPA → Deployment, parity across images). */
export function stackRule<C extends object = object>(
  meta: RuleMeta & { exemptible?: boolean; check(resources: PolicyResource[], workloads: StackWorkload[], cfg: C, report: StackReport): void },
): Rule {
  const exemptible = meta.exemptible ?? true;
  return {
    meta,
    policy: {
      ...policyFields(meta, exemptible),
      validateStack: (args, reportViolation) => {
        const cfg = args.getConfig<C & ExemptionConfig>();
        const kinds = new Set(kindsOf(meta));
        const workloads: StackWorkload[] = [];
        for (const r of args.resources) {
          const w = workloadOf(r.type, r.props, r.name);
          if (w && kinds.has(w.kind) && !(exemptible && isExempt(w, cfg.exemptWorkloads))) workloads.push({ ...w, resource: r });
        }
        meta.check(args.resources, workloads, cfg, (r, subject, problem) => reportViolation(violation(meta, subject, problem), r.urn));
      },
    },
  };
}

/** `kind namespace/name` of any Kubernetes resource in the stack. */
export function describeResource(r: PolicyResource): string {
  const m = r.props.metadata ?? {};
  return `${r.type.split(":").pop()} ${m.namespace ?? "default"}/${m.name ?? r.name}`;
}
