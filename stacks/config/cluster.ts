// platform:cluster — which cluster, which CNI, and how pods are networked.
import { z } from "zod";
import { cidr, dnsLabel, image, url } from "./primitives";

export const CALICO_ENCAPSULATIONS = ["IPIP", "IPIPCrossSubnet", "VXLAN", "VXLANCrossSubnet", "None"] as const;
export const FLANNEL_BACKENDS = ["vxlan", "host-gw", "wireguard"] as const;

/** A Helm chart from a pinned repo and version, or from a local path (air-gapped clusters). */
export const chartSource = z
  .strictObject({ repo: url.optional(), version: z.string().min(1).optional(), path: z.string().min(1).optional() })
  .superRefine((c, ctx) => {
    if (c.path && (c.repo || c.version)) {
      ctx.addIssue({ code: "custom", message: "set either path (a local chart) or repo and version, not both" });
    } else if (!c.path && !(c.repo && c.version)) {
      ctx.addIssue({ code: "custom", message: "set repo and version (pinned), or path to a local chart" });
    }
  });

const calico = z.strictObject({
  encapsulation: z.enum(CALICO_ENCAPSULATIONS).default("VXLAN"),
  bgp: z.enum(["Enabled", "Disabled"]).default("Disabled"),
  natOutgoing: z.boolean().default(true),
  nodeSelector: z.string().min(1).default("all()"),
  blockSize: z.number().int().min(20).max(32).default(26),
  chart: chartSource,
});

const flannel = z.strictObject({
  backend: z.enum(FLANNEL_BACKENDS).default("vxlan"),
  image: image.optional(),
  cniPluginImage: image.optional(),
});

export const clusterSchema = z
  .strictObject({
    name: dnsLabel,
    cni: z.enum(["calico", "flannel"]),
    podCidr: cidr,
    /** Path to a kubeconfig file; with it (or a context) the stack deploys, without both it renders manifests. */
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    /** false: the CNI named by `cni` is installed by another stack (a PR stack shares dev's cluster). */
    installCni: z.boolean().default(true),
    /** Prod with a CNI that does not enforce NetworkPolicy must say it knows. */
    acknowledgeNoNetworkPolicy: z.boolean().default(false),
    calico: calico.optional(),
    flannel: flannel.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.cni === "calico" && !c.calico) {
      ctx.addIssue({ code: "custom", path: ["calico"], message: "is required when cni is calico (at least calico.chart)" });
    }
    if (c.cni !== "calico" && c.calico) {
      ctx.addIssue({ code: "custom", path: ["calico"], message: `only applies when cni is calico, but cni is "${c.cni}"` });
    }
    if (c.cni !== "flannel" && c.flannel) {
      ctx.addIssue({ code: "custom", path: ["flannel"], message: `only applies when cni is flannel, but cni is "${c.cni}"` });
    }
    const problem = c.calico && calicoModeProblem(c.calico.encapsulation, c.calico.bgp);
    if (problem) ctx.addIssue({ code: "custom", path: ["calico", "encapsulation"], message: problem });
  });

/**
 * Calico combinations that cannot route pod traffic. IPIP and the CrossSubnet modes rely on BGP
 * to learn routes; no encapsulation needs BGP (or a BGP-capable fabric) to route at all.
 */
export function calicoModeProblem(encapsulation: string, bgp: string): string | undefined {
  if (bgp === "Enabled") return undefined;
  if (encapsulation === "VXLAN") return undefined;
  if (encapsulation === "None") return `"None" (plain routing) needs bgp: Enabled; with BGP disabled use "VXLAN"`;
  return `"${encapsulation}" needs BGP to distribute routes, but calico.bgp is "Disabled"; enable BGP or use "VXLAN"`;
}

export type ClusterConfig = z.infer<typeof clusterSchema>;
