// Compute resources as Kubernetes takes them: cpu/memory pairs of quantities, requests within limits.
import { parseQuantity } from "./quantity";

/** A cpu/memory pair of Kubernetes quantities ("500m", "1Gi"). A type, not an interface, so it fits the SDK's string maps. */
export type CpuMemory = { cpu: string; memory: string };

/** Container requests and limits. */
export type Resources = { requests: CpuMemory; limits: CpuMemory };

/** Why a request exceeds its limit (the API server refuses such a container), or undefined. */
export function requestAboveLimit(request: string, limit: string, resource: keyof CpuMemory): string | undefined {
  return parseQuantity(request) > parseQuantity(limit) ? `${request} is more than limits.${resource} ${limit}` : undefined;
}
