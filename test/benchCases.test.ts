// The benchmarks' generated configs are valid platform config: a bench that fails on its config measures nothing.
import { benchCases, generatedConfig } from "../bench/cases";
import { deployConfig } from "../bench/engineDeploy";
import { teamGroup } from "../bench/engineSplit";
import { problemsOf } from "../testing/harness";

describe("generated N-team configs", () => {
  test.each([1, 3, 12])("%i teams: valid, each team with a copy of every dev app and admin process", (n) => {
    const cfg = generatedConfig(n);
    expect(problemsOf(cfg)).toEqual([]);
    const teams = JSON.parse(cfg.config["platform:teams"]).map((t: { name: string }) => t.name);
    expect(teams).toHaveLength(n);
    const apps = JSON.parse(cfg.config["platform:apps"]) as Array<{ team: string }>;
    const jobs = JSON.parse(cfg.config["platform:jobs"]) as Array<{ app: string }>;
    for (const team of teams) {
      expect(apps.filter((a) => a.team === team).length).toBe(apps.length / n);
      expect(jobs.filter((j) => j.app.startsWith(`${team}/`)).length).toBe(jobs.length / n);
    }
  });

  test("every --quick case is valid config", () => {
    expect(benchCases(true).map((c) => ({ name: c.name, problems: problemsOf(c.config) }))).toEqual(
      benchCases(true).map((c) => ({ name: c.name, problems: [] })),
    );
  });

  test("the split bench's stacks are valid: the platform stack with the first teams, teams stacks with the rest", () => {
    const all = deployConfig(6);
    const groups = [teamGroup(all, 0, 3, true), teamGroup(all, 3, 6, false)];
    expect(groups.map(problemsOf)).toEqual([[], []]);
    expect(groups.map((g) => g.config["platform:scope"])).toEqual([undefined, "teams"]);
    expect(groups.flatMap((g) => JSON.parse(g.config["platform:teams"]).map((t: { name: string }) => t.name))).toHaveLength(6);
  });
});
