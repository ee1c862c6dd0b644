// Where the toolchain keeps things. Builds are shared by every clone (cached per user, keyed by
// version and wrapper source); plugins and state belong to this clone only.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root: the nearest folder above this file that holds Pulumi.yaml (works from bin/ and from source). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}

/** Heavy builds, reused across clones: `$XDG_CACHE_HOME/k8s-devops-platform` or `~/.cache/k8s-devops-platform`. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "k8s-devops-platform");
}

/** This clone's own Pulumi home (plugins, workspace settings): never the user's ~/.pulumi. */
export function projectPulumiHome(root = PROJECT_ROOT): string {
  return path.join(root, ".platform", "pulumi-home");
}

export function logDir(): string {
  return path.join(cacheRoot(), "logs");
}
