// Prod pins every image it runs by @sha256 digest: a tag can be moved to other bits after the image
// passed dev; a digest cannot. The same rule as the policy pack's image-digest-required (mandatory
// in prod), applied here to every image config names or leaves to a default, so a prod stack with a
// tag fails at config validation, before the pack ever sees it. Images rendered by third-party
// charts (tigera-operator, Harbor) are pinned by their chart version instead.
import { BLUE_GREEN_DEFAULTS, JENKINS_DEFAULTS, LOG_DEFAULTS, NETWORK_DEFAULTS } from "../../components/defaults";
import { pinnedByDigest } from "./primitives";
import { field, Issue, items, text } from "./salvage";

const HOW = 'mirror it into the prod registry and use "<registry>/<repository>@sha256:<digest>"';

/** One image setting: set and pinned by digest, or reported with the default it would fall back to. */
function pinned(issue: Issue, path: PropertyKey[], holder: unknown, key: string, fallback?: string): void {
  const value = field(holder, key);
  if (value === undefined) {
    if (fallback !== undefined) issue(path, `is required in prod: the default "${fallback}" is pinned by tag only; ${HOW}`);
    return;
  }
  // A value that is not an image at all has its own message.
  if (typeof value === "string" && !pinnedByDigest(value) && /[:@]/.test(value)) {
    issue(path, `prod pins images by digest, but "${value}" is a tag; ${HOW}`);
  }
}

export function checkProdImages(c: unknown, issue: Issue): void {
  items(field(c, "apps")).forEach((a, i) => {
    const at = (...p: PropertyKey[]) => ["apps", i, ...p];
    const kind = text(a, "kind");
    if (kind === "blueGreen") {
      for (const color of ["blue", "green"]) pinned(issue, at("images", color), field(a, "images"), color);
      if (field(a, "smokeTest") !== undefined) pinned(issue, at("smokeTest", "image"), field(a, "smokeTest"), "image", BLUE_GREEN_DEFAULTS.smokeTestImage);
    } else if (kind === "autoscaled" || kind === "stateful") {
      pinned(issue, at("image"), a, "image");
    }
  });

  const logging = field(c, "logging");
  // A collector that is off runs no image (a teams stack leaves it to the platform stack).
  if (logging !== undefined && field(logging, "enabled") !== false) pinned(issue, ["logging", "image"], logging, "image", LOG_DEFAULTS.image);

  const cluster = field(c, "cluster");
  // Flannel's images run only when the platform installs the CNI.
  if (text(cluster, "cni") === "flannel" && field(cluster, "installCni") !== false) {
    const flannel = field(cluster, "flannel") ?? {};
    pinned(issue, ["cluster", "flannel", "image"], flannel, "image", NETWORK_DEFAULTS.flannel.image);
    pinned(issue, ["cluster", "flannel", "cniPluginImage"], flannel, "cniPluginImage", NETWORK_DEFAULTS.flannel.cniPluginImage);
  }

  const jenkins = field(c, "jenkins");
  if (jenkins === undefined || field(jenkins, "enabled") === false) return;
  const image = field(jenkins, "image") ?? {};
  if (field(image, "build") === true) {
    issue(
      ["jenkins", "image", "build"],
      "prod runs only images that passed dev, by digest: build the controller image in dev, then set jenkins.image.controller to its digest",
    );
  } else {
    pinned(issue, ["jenkins", "image", "controller"], image, "controller", JENKINS_DEFAULTS.image);
  }
  const agents = field(jenkins, "agentImages") ?? {};
  const templates = items(field(jenkins, "podTemplates"));
  // node and builder run only in templates that list no containers of their own (the defaults).
  const defaultContainers = field(jenkins, "podTemplates") === undefined || templates.some((t) => field(t, "containers") === undefined);
  const used = defaultContainers ? (["jnlp", "node", "builder"] as const) : (["jnlp"] as const);
  for (const agent of used) pinned(issue, ["jenkins", "agentImages", agent], agents, agent, JENKINS_DEFAULTS.agentImages[agent]);
  templates.forEach((t, i) => {
    items(field(t, "containers")).forEach((ct, j) => pinned(issue, ["jenkins", "podTemplates", i, "containers", j, "image"], ct, "image"));
  });
}
