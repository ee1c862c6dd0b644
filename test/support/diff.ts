// What changed between two runs of the program: per resource, the exact input paths that differ.
import type { Registered } from "../../testing/harness";

/** Leaf paths (`spec.selector.color`) whose values differ between two input trees. */
export function diffPaths(a: unknown, b: unknown, at = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object";
  if (!isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [at || "(root)"];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffPaths(a[k], b[k], at ? `${at}.${k}` : k));
}

/** Resources created, deleted or changed between two runs, keyed by `type::name`. */
export function changes(before: Registered[], after: Registered[]): Record<string, string[]> {
  const index = (rs: Registered[]) => new Map(rs.filter((r) => r.custom).map((r) => [`${r.type}::${r.name}`, r]));
  const a = index(before);
  const b = index(after);
  const out: Record<string, string[]> = {};
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (!x) out[id] = ["created"];
    else if (!y) out[id] = ["deleted"];
    else {
      const paths = diffPaths(x.inputs, y.inputs);
      if (paths.length > 0) out[id] = paths;
    }
  }
  return out;
}
