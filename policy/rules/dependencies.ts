// II. Dependencies: every dependency is declared and pinned in the image; nothing is fetched at run time.
import { MOVING_TAGS, parseImage } from "../lib/images";
import { workloadRule } from "../lib/rule";
import { containersOf } from "../lib/workloads";

export const imageTagPinned = workloadRule({
  name: "image-tag-pinned",
  factor: "II. Dependencies",
  checks: "Every container image names an explicit tag or digest, never `latest` or another moving tag.",
  remediation: "reference the image as registry/repo:<release tag> or registry/repo@sha256:<digest>",
  severity: "high",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      const image = parseImage(container.image ?? "");
      if (image.digest) continue;
      if (!image.tag) report(`${where} image "${container.image}" has no tag, so it pulls whatever "latest" is`);
      else if (MOVING_TAGS.has(image.tag.toLowerCase())) report(`${where} image "${container.image}" uses the moving tag "${image.tag}"`);
    }
  },
});

export const imageDigestRequired = workloadRule({
  name: "image-digest-required",
  factor: "II. Dependencies",
  checks: "Every container image is pinned by an @sha256 digest, so a release runs exactly the bits that were tested.",
  remediation: "use the digest the registry reported when the image was pushed: registry/repo@sha256:<64 hex>",
  severity: "high",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      if (!parseImage(container.image ?? "").digest) report(`${where} image "${container.image}" is not pinned by digest`);
    }
  },
});

interface RegistryConfig {
  allowedRegistries?: string[];
}

export const imageRegistryAllowed = workloadRule<RegistryConfig>({
  name: "image-registry-allowed",
  factor: "II. Dependencies",
  checks: "Every container image comes from a registry on the allow-list (the team's Harbor), where it was scanned and signed.",
  remediation: "push or mirror the image to an allowed registry and reference it there",
  severity: "high",
  config: {
    allowedRegistries: {
      type: "array",
      minItems: 1,
      items: { type: "string", minLength: 1 },
      description: 'Registry hosts images may come from, e.g. "harbor.prod.example.com"; "docker.io" for Docker Hub.',
    },
  },
  check(w, cfg, report) {
    const allowed = cfg.allowedRegistries ?? [];
    for (const { container, where } of containersOf(w.podSpec)) {
      const { registry } = parseImage(container.image ?? "");
      if (!allowed.includes(registry)) {
        report(
          `${where} image "${container.image}" comes from "${registry}", not from ${allowed.length ? allowed.join(", ") : "a configured registry (allowedRegistries is empty)"}`,
        );
      }
    }
  },
});

// Package managers that fetch software when the container starts.
const INSTALL =
  /\b(apt-get|apt|yum|dnf|microdnf|apk|zypper)\s+(-\S+\s+)*(install|add|update|upgrade)\b|\b(pip3?|npm|yarn|pnpm|gem|go|cargo)\s+(-\S+\s+)*(install|add|get)\b|\bcurl\b[^|]*\|\s*(ba)?sh\b|\bwget\b[^|]*\|\s*(ba)?sh\b/;

export const noRuntimeInstalls = workloadRule({
  name: "no-runtime-package-installs",
  factor: "II. Dependencies",
  checks: "No container command or args install packages at start-up (apt-get install, pip install, curl | sh ...).",
  remediation: "install the dependency in the image build (Dockerfile) and release a new image",
  severity: "medium",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      const line = [...(container.command ?? []), ...(container.args ?? [])].join(" ");
      const hit = INSTALL.exec(line);
      if (hit) report(`${where} installs software at start-up ("${hit[0]}")`);
    }
  },
});

export const dependencyRules = [imageTagPinned, imageDigestRequired, imageRegistryAllowed, noRuntimeInstalls];
