// Policy config shared by rules: the exemption list and its JSON schema.
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { Workload } from "./workloads";

export interface Exemption {
  namespace: string;
  name: string;
  /** Restrict to one kind (e.g. "DaemonSet"); any kind when absent. */
  kind?: string;
  /** Why this workload may break the rule. Required: an exemption nobody can explain is a hole. */
  reason: string;
}

export interface ExemptionConfig {
  exemptWorkloads?: Exemption[];
}

export const exemptWorkloadsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "System workloads this rule does not apply to, by namespace and name, each with a reason.",
  default: [],
  items: {
    type: "object",
    required: ["namespace", "name", "reason"],
    additionalProperties: false,
    properties: {
      namespace: { type: "string", minLength: 1 },
      name: { type: "string", minLength: 1 },
      kind: { type: "string", enum: ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] },
      reason: { type: "string", minLength: 10 },
    },
  },
};

export function isExempt(w: Workload, exemptions: Exemption[] | undefined): boolean {
  return (exemptions ?? []).some((e) => e.namespace === w.namespace && e.name === w.name && (!e.kind || e.kind === w.kind));
}
