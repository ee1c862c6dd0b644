// Horizontal autoscaling bounds: a range the HPA can hold and at least one utilisation target.
import type { Verdict } from "./verdict";

export interface ScalingBounds {
  minReplicas?: number;
  maxReplicas?: number;
  targetCpuUtilization?: unknown;
  targetMemoryUtilization?: unknown;
}

/** Why an HPA with these settings cannot work; fields left undefined are not judged (except the targets). */
export function scalingProblems(s: ScalingBounds): Verdict[] {
  const out: Verdict[] = [];
  if (s.minReplicas !== undefined && s.maxReplicas !== undefined && s.maxReplicas < s.minReplicas) {
    out.push({ at: ["maxReplicas"], problem: `${s.maxReplicas} is below minReplicas ${s.minReplicas}` });
  }
  if (s.targetCpuUtilization === undefined && s.targetMemoryUtilization === undefined) {
    out.push({ at: ["targetCpuUtilization"], problem: "set targetCpuUtilization and/or targetMemoryUtilization (percent of requests)" });
  }
  return out;
}
