// platform:cluster — which cluster, which CNI, and how pods are networked.
import { z } from "zod";
import { cniSchema } from "./cni";
import { cidr, dnsLabel, image, labelledImage, url } from "./primitives";
import { CALICO_BGP, CALICO_ENCAPSULATIONS, calicoProblems, CNIS, FLANNEL_BACKENDS } from "../../components/rules";
import { NETWORK_DEFAULTS } from "../../components/defaults";
import { ALWAYS, field, reporter, text, valid } from "./salvage";

const CALICO = NETWORK_DEFAULTS.calico;
/** The IP pool's block size: a /20 to a /32 per node. */
const blockSize = z.number().int().min(20).max(32).default(CALICO.blockSize);

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
  encapsulation: z.enum(CALICO_ENCAPSULATIONS).default(CALICO.encapsulation),
  bgp: z.enum(CALICO_BGP).default(CALICO.bgp),
  natOutgoing: z.boolean().default(CALICO.natOutgoing),
  nodeSelector: z.string().min(1).default(CALICO.nodeSelector),
  blockSize,
  chart: chartSource,
});

const flannel = z.strictObject({
  backend: z.enum(FLANNEL_BACKENDS).default(NETWORK_DEFAULTS.flannel.backend),
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
    const cni = valid(z.enum(CNIS), field(c, "cni"));
    const calico = field(c, "calico");
    // Another stack that installs the CNI holds its settings; this one only needs to know which CNI runs.
    if (cni === "calico" && calico === undefined && field(c, "installCni") !== false)
      issue(["calico"], "is required when cni is calico and installCni is true (at least calico.chart)");
    if (cni && cni !== "calico" && calico !== undefined) issue(["calico"], `only applies when cni is calico, but cni is "${cni}"`);
    if (cni && cni !== "flannel" && field(c, "flannel") !== undefined) issue(["flannel"], `only applies when cni is flannel, but cni is "${cni}"`);
    if (cni !== "calico" || calico === undefined) return;
    const verdicts = calicoProblems({
      encapsulation: valid(z.enum(CALICO_ENCAPSULATIONS).default(CALICO.encapsulation), field(calico, "encapsulation")),
      bgp: valid(z.enum(CALICO_BGP).default(CALICO.bgp), field(calico, "bgp")),
      podCidr: valid(cidr, text(c, "podCidr")),
      blockSize: valid(blockSize, field(calico, "blockSize")),
    });
    for (const v of verdicts) issue(["calico", ...v.at], v.problem);
  }, ALWAYS);
