// Pod networking choices: which CNI enforces NetworkPolicy, and the Calico settings the operator accepts.
import type { Verdict } from "./verdict";

export const CNIS = ["calico", "flannel"] as const;
export type Cni = (typeof CNIS)[number];
export const CALICO_ENCAPSULATIONS = ["IPIP", "IPIPCrossSubnet", "VXLAN", "VXLANCrossSubnet", "None"] as const;
export type CalicoEncapsulation = (typeof CALICO_ENCAPSULATIONS)[number];
export const CALICO_BGP = ["Enabled", "Disabled"] as const;
export type CalicoBgp = (typeof CALICO_BGP)[number];
export const FLANNEL_BACKENDS = ["vxlan", "host-gw", "wireguard"] as const;
export type FlannelBackend = (typeof FLANNEL_BACKENDS)[number];

/** Whether a CNI enforces NetworkPolicy (Calico does, Flannel does not), installed by this stack or not. */
export function cniEnforcesNetworkPolicy(cni: Cni): boolean {
  return cni === "calico";
}

/**
 * Calico combinations the tigera operator refuses, as its Installation validation does
 * (pkg/controller/installation/validation.go): with calicoNetwork.bgp Disabled, an IP pool with
 * IPIP or IPIPCrossSubnet encapsulation ("IPIP encapsulation requires that BGP is enabled") or
 * with None ("Unencapsulated IP pools require that BGP is enabled") is rejected. VXLAN and
 * VXLANCrossSubnet need no BGP: Felix programs VXLAN routes itself, also the unencapsulated routes
 * within a subnet (Calico docs: "If you use only VXLAN pools, BGP networking is not required").
 * BGP Enabled works with every mode.
 */
export function calicoModeProblem(encapsulation: string, bgp: string): string | undefined {
  if (bgp === "Enabled") return undefined;
  if (encapsulation === "None") return `"None" (plain routing) needs bgp: Enabled to distribute routes; with BGP disabled use "VXLAN" or "VXLANCrossSubnet"`;
  if (encapsulation.startsWith("IPIP")) {
    return `"${encapsulation}" needs BGP to distribute routes, but calico.bgp is "Disabled"; enable BGP or use "VXLAN" or "VXLANCrossSubnet"`;
  }
  return undefined;
}

export interface CalicoPool {
  encapsulation?: string;
  bgp?: string;
  /** The pod CIDR, "10.244.0.0/16". */
  podCidr?: string;
  blockSize?: number;
}

/** Settings the operator would refuse, as verdicts on the calico section's keys; undefined fields are not judged. */
export function calicoProblems(c: CalicoPool): Verdict[] {
  const out: Verdict[] = [];
  const mode = c.encapsulation && c.bgp ? calicoModeProblem(c.encapsulation, c.bgp) : undefined;
  if (mode) out.push({ at: ["encapsulation"], problem: mode });
  const prefix = c.podCidr ? Number(c.podCidr.split("/")[1]) : undefined;
  // tigera-operator: an IP pool must hold at least one block ("IP pool size is too small").
  if (prefix !== undefined && c.blockSize !== undefined && prefix > c.blockSize) {
    out.push({
      at: ["blockSize"],
      problem: `/${c.blockSize} blocks do not fit in the pod CIDR ${c.podCidr}; use a blockSize of ${prefix} or more, or a larger podCidr`,
    });
  }
  return out;
}
