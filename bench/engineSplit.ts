// Deploy mode, one large stack against the same platform split into stacks: the first keeps the
// cluster-wide parts (CNI, log collector and store, monitoring, Jenkins) and a group of teams, each
// further stack holds only a group of teams. All keep the file backend's intermediate checkpoints
// (deploy mode's crash safety). The groups go up side by side, `parallel` at a time, as one CI job
// per stack would; on one fresh loopback cluster per case, like bench/engineDeploy.ts.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { newProject, ROOT } from "../test/e2e/support/project";
import { StackConfig, withConfig } from "../testing/harness";
import { deployConfig, withCluster } from "./engineDeploy";
import { childrenCpuMs, compileDriver, createsKubernetesObject, DRIVER_JS, seconds, writeStack } from "./engineRun";

export interface SplitRow {
  teams: number;
  stacks: number;
  parallel: number;
  objects: number;
  /** From the first `up` starting to the last one ending. */
  upMs: number;
  upCpuMs: number;
  /** Each stack's own `up`. */
  stackUpMs: number[];
}

/** Teams [from, to) of `all`, with their apps and admin processes; the cluster-wide parts only when `clusterWide`. */
export function teamGroup(all: StackConfig, from: number, to: number, clusterWide: boolean): StackConfig {
  return withConfig(all, (c) => {
    const teams = new Set((c.teams as { name: string }[]).slice(from, to).map((t) => t.name));
    c.teams = c.teams.filter((t: { name: string }) => teams.has(t.name));
    c.apps = c.apps.filter((a: { team: string }) => teams.has(a.team));
    c.jobs = c.jobs?.filter((j: { app: string }) => teams.has(j.app.split("/")[0]));
    if (clusterWide) return;
    // A teams stack (README "Large platforms"): the platform stack on the same cluster owns the rest.
    c.scope = "teams";
    c.cluster = { ...c.cluster, installCni: false };
    c.logging = { backend: c.logging.backend, index: c.logging.index, host: "unused.invalid", port: 9200, enabled: false };
    if (c.monitoring) c.monitoring = { ...c.monitoring, metricsServer: undefined, prometheusStack: undefined };
    delete c.jenkins;
    if (c.harbor) c.harbor = { ...c.harbor, enabled: false };
  });
}

interface Finished {
  wallMs: number;
  objects: number;
}

/** `npm run platform -- up` of one stack through the timing driver, without blocking the others. */
function upAsync(dir: string, stack: string): Promise<Finished> {
  const events = path.join(dir, `events-${stack}.json`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRIVER_JS, events, "up", "--stack", stack, "--yes", "--json"], {
      cwd: ROOT,
      env: { ...process.env, PLATFORM_WORK_DIR: dir, PLATFORM_TOOLCHAIN_NO_BUILD: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`up --stack ${stack} failed (${code}):\n${stderr.slice(-2000)}`));
      const record = JSON.parse(fs.readFileSync(events, "utf8")) as { events: { kind: string; op?: string; type?: string }[] };
      const objects = record.events.filter((e) => e.kind === "outputs" && createsKubernetesObject(e)).length;
      resolve({ wallMs: Date.now() - started, objects });
    });
  });
}

/** Runs the `up`s of `stacks`, `parallel` at a time, with a progress line per stack (a 1000-team run takes over an hour). */
async function upAll(dir: string, stacks: string[], parallel: number, log: (line: string) => void): Promise<Finished[]> {
  const results: Finished[] = new Array(stacks.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < stacks.length) {
      const i = next++;
      results[i] = await upAsync(dir, stacks[i]);
      const r = results[i];
      log(`  ${stacks[i]} (${++done}/${stacks.length}): ${r.objects} objects in ${seconds(r.wallMs)}, ${(r.wallMs / r.objects).toFixed(0)} ms/object`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, stacks.length) }, lane));
  return results;
}

export async function splitCase(teams: number, stacks: number, parallel: number, log: (line: string) => void): Promise<SplitRow> {
  compileDriver(true);
  const all = deployConfig(teams);
  const size = Math.ceil(teams / stacks);
  return withCluster(async (kubeconfig) => {
    const dir = newProject(`bench-split-${teams}`);
    try {
      const names = Array.from({ length: stacks }, (_, g) => `group-${g}`);
      names.forEach((name, g) =>
        writeStack(dir, name, teamGroup(all, g * size, (g + 1) * size, g === 0), "dev", (c: any) => {
          c["platform:cluster"].kubeconfig = kubeconfig;
          // writeStack turns dev's own Harbor on (fixture chart); only the first stack may own it.
          if (g > 0 && c["platform:harbor"]) c["platform:harbor"].enabled = false;
        }),
      );
      const cpu0 = childrenCpuMs();
      const started = Date.now();
      // The stack with the cluster-wide parts goes first: the others' pods need its CNI and namespaces exist apart.
      const first = await upAll(dir, names.slice(0, 1), 1, log);
      const rest = await upAll(dir, names.slice(1), parallel, log);
      const done = [...first, ...rest];
      const row: SplitRow = {
        teams,
        stacks,
        parallel,
        objects: done.reduce((n, r) => n + r.objects, 0),
        upMs: Date.now() - started,
        upCpuMs: childrenCpuMs() - cpu0,
        stackUpMs: done.map((r) => r.wallMs),
      };
      log(
        `split ${teams} teams into ${stacks} stacks (${parallel} at a time): ${row.objects} objects, up ${seconds(row.upMs)} (CPU ${seconds(row.upCpuMs)}, ` +
          `${(row.upMs / row.objects).toFixed(0)} ms/object); per stack ${row.stackUpMs.map(seconds).join(", ")}`,
      );
      return row;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (require.main === module) {
  // Exploration: `node -r ts-node/register/transpile-only bench/engineSplit.ts TEAMS STACKS PARALLEL`
  const [teams = "10", stacks = "2", parallel = "2"] = process.argv.slice(2);
  splitCase(Number(teams), Number(stacks), Number(parallel), (l) => process.stdout.write(`${l}\n`)).catch((e) => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}
