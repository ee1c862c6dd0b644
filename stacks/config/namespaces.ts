// Stack config keys are `<namespace>:<key>`. This program reads `platform:`; a few other namespaces
// belong to the engine and to the providers the program loads. A key in any other namespace is read
// by nobody, so a misspelt `platfrom:teams` would be dropped without a word: it is an error instead.
import { NAMESPACE } from "./errors";

/** Namespaces that someone in this program really reads, and who. */
export const OTHER_NAMESPACES: Record<string, string> = {
  pulumi: "the Pulumi engine (pulumi:tags, pulumi:disable-default-providers, ...)",
  kubernetes: "the @pulumi/kubernetes provider",
  // The custom Jenkins image is built with the default Docker provider (docker:host, docker:registryAuth).
  docker: "the @pulumi/docker provider",
};

/** Edit distance counting an adjacent transposition as one edit ("platfrom" is one from "platform"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Why a key outside the platform namespace is a mistake, or undefined when its namespace is read.
 * `platformKeys`: the platform namespace's top-level keys (the schema's), for "did you mean".
 */
export function namespaceProblem(fullKey: string, platformKeys: ReadonlySet<string>): string | undefined {
  const i = fullKey.indexOf(":");
  const ns = i < 0 ? "" : fullKey.slice(0, i);
  const key = i < 0 ? fullKey : fullKey.slice(i + 1);
  if (ns in OTHER_NAMESPACES) return undefined;
  const known = [NAMESPACE, ...Object.keys(OTHER_NAMESPACES)];
  const near = known
    .map((k) => ({ k, d: editDistance(ns.toLowerCase(), k) }))
    .filter(({ k, d }) => d <= 2 || (k === NAMESPACE && platformKeys.has(key.split(".")[0])))
    .sort((x, y) => x.d - y.d)[0];
  const hint = near ? ` (did you mean "${near.k}:${key}"?)` : "";
  return (
    `${fullKey}: unknown config namespace "${ns}"${hint}; nothing reads it. This program reads ${NAMESPACE}:, and ` +
    `${Object.keys(OTHER_NAMESPACES)
      .map((k) => `${k}:`)
      .join(", ")} belong to the engine and the providers it loads`
  );
}
