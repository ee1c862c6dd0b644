// Image references, read the way the container runtime resolves them.

export interface ImageRef {
  /** Registry host, normalised: Docker Hub shorthand ("postgres") is "docker.io". */
  registry: string;
  /** Repository path inside the registry ("library/postgres", "payments/web"). */
  repository: string;
  tag?: string;
  /** "sha256:<64 hex>" when pinned by digest. */
  digest?: string;
}

const DIGEST = /@(sha256:[a-f0-9]{64})$/;

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const d = DIGEST.exec(rest);
  if (d) {
    digest = d[1];
    rest = rest.slice(0, d.index);
  } else if (rest.includes("@")) {
    // A malformed digest is no pin at all.
    rest = rest.slice(0, rest.indexOf("@"));
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split("/")[0];
  // Same rule as the Docker reference grammar: a first part with a dot, a port or "localhost" is a host.
  const hasHost = rest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasHost ? first : "docker.io";
  let repository = hasHost ? rest.slice(first.length + 1) : rest;
  if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  return { registry, repository, tag, digest };
}

/** The tag is the release id unless it is missing or a moving name. */
export const MOVING_TAGS = new Set(["latest", "stable", "main", "master", "edge", "nightly", "dev"]);
