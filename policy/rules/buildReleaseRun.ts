// V. Build, release, run: every running release is identifiable, and its id is the image it runs.
import { parseImage } from "../lib/images";
import { resourceRule, workloadRule } from "../lib/rule";
import { containersOf } from "../lib/workloads";

const NAME = "app.kubernetes.io/name";
const PART_OF = "app.kubernetes.io/part-of";
const VERSION = "app.kubernetes.io/version";

const missing = (labels: Record<string, string>, keys: string[]) => keys.filter((k) => !labels[k]);

/** A version label names an image when it is its tag, or a prefix (7+ characters) of its digest. */
export function versionMatchesImage(version: string, image: string): boolean {
  const ref = parseImage(image);
  if (ref.tag === version) return true;
  const hex = ref.digest?.slice("sha256:".length);
  return !!hex && version.length >= 7 && hex.startsWith(version);
}

const meta = {
  factor: "V. Build, release, run" as const,
  remediation: `label workloads and their pods with ${NAME}, ${PART_OF} and ${VERSION} (the image tag or digest prefix), and Services with ${NAME} and ${PART_OF}`,
  severity: "low" as const,
};

export const releaseLabels = workloadRule({
  ...meta,
  name: "release-labels",
  checks: `Workloads carry ${NAME} and ${PART_OF}; their pods also carry ${VERSION}, which matches a container image's tag or digest.`,
  check(w, _cfg, report) {
    const own = missing(w.labels, [NAME, PART_OF]);
    if (own.length) report(`metadata.labels lack ${own.join(", ")}`);
    const pod = missing(w.podLabels, [NAME, PART_OF, VERSION]);
    if (pod.length) report(`pod labels lack ${pod.join(", ")}`);
    const version = w.podLabels[VERSION];
    if (!version) return;
    const images = containersOf(w.podSpec).map((c) => String(c.container.image ?? ""));
    if (!images.some((i) => versionMatchesImage(version, i))) {
      report(`pod label ${VERSION}="${version}" matches none of its images (${images.join(", ")})`);
    }
  },
});

export const serviceLabels = resourceRule({
  ...meta,
  name: "service-labels",
  checks: `Services carry ${NAME} and ${PART_OF}. (No version: a Service outlives releases; in blue-green it fronts two.)`,
  types: /^kubernetes:core\/v1:Service$/,
  check(props, _cfg, report) {
    const absent = missing(props.metadata?.labels ?? {}, [NAME, PART_OF]);
    if (absent.length) report(`metadata.labels lack ${absent.join(", ")}`);
  },
});

export const buildReleaseRunRules = [releaseLabels, serviceLabels];
