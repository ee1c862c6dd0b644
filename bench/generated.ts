// Generated stack configs for the benchmarks: N dev-shaped teams.
import { loadStackConfig, StackConfig, withConfig } from "../test/support/harness";

/** A dev-shaped config with `n` generated teams, each running a copy of every dev app (blue-green, autoscaled, stateful). */
export function generatedConfig(n: number): StackConfig {
  return withConfig(loadStackConfig("dev"), (c) => {
    const template = c.teams[0];
    const apps = c.apps as Array<Record<string, unknown>>;
    c.teams = Array.from({ length: n }, (_, i) => ({ ...template, name: `team-${String(i).padStart(4, "0")}`, allowIngressFrom: ["ingress"] }));
    c.apps = c.teams.flatMap((t: { name: string }) => apps.map((a) => ({ ...a, team: t.name })));
  });
}
