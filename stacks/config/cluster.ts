// platform:cluster — which cluster, which CNI, and how pods are networked.
import { z } from "zod";
import { cniSchema } from "./cni";
import { cidr, dnsLabel, image, labelledImage, url } from "./primitives";
import { ALWAYS, field, reporter, text, valid } from "./salvage";

export const CALICO_ENCAPSULATIONS = ["IPIP", "IPIPCrossSubnet", "VXLAN", "VXLANCrossSubnet", "None"] as const;
export const FLANNEL_BACKENDS = ["vxlan", "host-gw", "wireguard"] as const;

/** A Helm chart from a pinned repo and version, or from a local path (air-gapped clusters). */
export const chartSource = z
  .strictObject({ repo: url.optional(), version: z.string().min(1).optional(), path: z.string().min(1).optional() })
  .superRefine((c, ctx) => {
    // Presence, not validity: a misspelt repo URL is its own error, not a missing one.
    const has = (k: string) => field(c, k) !== undefined;
    if (has("path") && (has("repo") || has("version"))) {
      ctx.addIssue({ code: "custom", message: "set either path (a local chart) or repo and version, not both" });
    } else if (!has("path") && !(has("repo") && has("version"))) {
      ctx.addIssue({ code: "custom", message: "set repo and version (pinned), or path to a local chart" });
    }
  }, ALWAYS);

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
  image: labelledImage.optional(),
  cniPluginImage: image.optional(),
});

export const clusterSchema = z
  .strictObject({
    name: dnsLabel,
    cni: cniSchema,
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
    const issue = reporter(ctx);
    const cni = valid(z.enum(["calico", "flannel"]), field(c, "cni"));
    const calico = field(c, "calico");
    if (cni === "calico" && calico === undefined) issue(["calico"], "is required when cni is calico (at least calico.chart)");
    if (cni && cni !== "calico" && calico !== undefined) issue(["calico"], `only applies when cni is calico, but cni is "${cni}"`);
    if (cni && cni !== "flannel" && field(c, "flannel") !== undefined) issue(["flannel"], `only applies when cni is flannel, but cni is "${cni}"`);
    if (cni !== "calico" || calico === undefined) return;
    const encapsulation = valid(z.enum(CALICO_ENCAPSULATIONS).default("VXLAN"), field(calico, "encapsulation"));
    const bgp = valid(z.enum(["Enabled", "Disabled"]).default("Disabled"), field(calico, "bgp"));
    const problem = encapsulation && bgp && calicoModeProblem(encapsulation, bgp);
    if (problem) issue(["calico", "encapsulation"], problem);
    const podCidr = valid(cidr, text(c, "podCidr"));
    const blockSize = valid(z.number().int().min(20).max(32).default(26), field(calico, "blockSize"));
    const prefix = podCidr ? Number(podCidr.split("/")[1]) : undefined;
    // tigera-operator: an IP pool must hold at least one block ("IP pool size is too small").
    if (prefix !== undefined && blockSize !== undefined && prefix > blockSize) {
      issue(["calico", "blockSize"], `/${blockSize} blocks do not fit in the pod CIDR ${podCidr}; use a blockSize of ${prefix} or more, or a larger podCidr`);
    }
  }, ALWAYS);

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

export type ClusterConfig = z.infer<typeof clusterSchema>;
