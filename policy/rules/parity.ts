// X. Dev/prod parity: prod runs exactly the images that passed dev, compared by digest (the same
// bits, whichever registry replicated them).
import { parseImage } from "../lib/images";
import { describeResource, stackRule } from "../lib/rule";
import { containersOf } from "../lib/workloads";

interface ParityConfig {
  promotedImages?: string[];
}

export const imagesPromoted = stackRule<ParityConfig>({
  name: "images-promoted",
  factor: "X. Dev/prod parity",
  checks: "Every workload image is pinned by a digest listed in promotedImages (the images that passed dev), matched by repository path and digest.",
  remediation: "promote the image through dev first, then add <repository>@sha256:<digest> to promotedImages in the prod policy config",
  severity: "high",
  config: {
    promotedImages: {
      type: "array",
      default: [],
      items: { type: "string", pattern: "^[a-z0-9][a-z0-9._/-]*@sha256:[a-f0-9]{64}$" },
      description: 'Images that passed dev: "<repository path>@sha256:<digest>", e.g. "payments/web@sha256:3f1b...".',
    },
  },
  check(_resources, workloads, cfg, report) {
    const promoted = new Set(cfg.promotedImages ?? []);
    for (const w of workloads) {
      for (const { container, where } of containersOf(w.podSpec)) {
        const ref = parseImage(String(container.image ?? ""));
        const id = `${ref.repository}@${ref.digest}`;
        if (!ref.digest) report(w.resource, describeResource(w.resource), `${where} image "${container.image}" has no digest to compare with dev`);
        else if (!promoted.has(id)) report(w.resource, describeResource(w.resource), `${where} image ${id} was never promoted from dev`);
      }
    }
  },
});

export const parityRules = [imagesPromoted];
