// Shared label helpers. Plain functions, not transforms: transforms do not run under mocks, and
// labels must be visible in unit tests and to the policy pack.

export const PART_OF = "k8s-platform";
export const MANAGED_BY = "pulumi";

export interface LabelArgs {
  /** app.kubernetes.io/name: what the thing is (e.g. "fluent-bit", "web"). */
  name: string;
  /** app.kubernetes.io/instance: which one of them (defaults to name). */
  instance?: string;
  /** app.kubernetes.io/component: its role ("log-collector", "controller"). */
  component?: string;
  /** app.kubernetes.io/version: the release, usually the image tag. */
  version?: string;
  /** app.kubernetes.io/part-of: the larger system (defaults to the platform). */
  partOf?: string;
}

/** The `app.kubernetes.io/*` label set every platform object carries. */
export function standardLabels(a: LabelArgs): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/name": a.name,
    "app.kubernetes.io/instance": a.instance ?? a.name,
    "app.kubernetes.io/part-of": a.partOf ?? PART_OF,
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
  if (a.component) labels["app.kubernetes.io/component"] = a.component;
  if (a.version) labels["app.kubernetes.io/version"] = a.version;
  return labels;
}

/** The stable subset used in selectors: never includes version, so selectors never change on release. */
export function selectorLabels(a: Pick<LabelArgs, "name" | "instance">): Record<string, string> {
  return { "app.kubernetes.io/name": a.name, "app.kubernetes.io/instance": a.instance ?? a.name };
}

/** The tag (or digest) part of an image reference, usable as a version label. */
export function imageVersion(image: string): string {
  const at = image.indexOf("@sha256:");
  if (at >= 0) return image.slice(at + 8, at + 8 + 12);
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : "unversioned";
}
