// Deploy mode at scale: `up` creating every object of a generated N-team config on a fresh
// loopback cluster (npm run cluster), with the file backend's intermediate checkpoints (what
// deploy mode does: crash-safe) and without them (PULUMI_SKIP_CHECKPOINTS, what render mode
// does), then a no-change `preview`. Each `up` gets a cluster of its own, so both start empty.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { newProject, ROOT } from "../test/e2e/support/project";
import { withConfig } from "../testing/harness";
import { generatedConfig } from "./cases";
import { createsKubernetesObject, runPlatform, seconds, stepTimings, writeStack } from "./engineRun";

export interface DeployRow {
  teams: number;
  checkpoints: "all" | "skip";
  objects: number;
  upMs: number;
  upCpuMs: number;
  previewMs: number;
}

/** Generated teams without the stateful app: the loopback cluster seeds 20 volumes, and its one node takes 10,000 pods. */
export function deployConfig(teams: number) {
  return withConfig(generatedConfig(teams), (c) => {
    c.apps = (c.apps as { kind: string }[]).filter((a) => a.kind !== "stateful");
  });
}

function cluster(...args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/cluster/main.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PLATFORM_TOOLCHAIN_NO_BUILD: "1" },
    timeout: 5 * 60 * 1000,
  });
  if (r.status !== 0) throw new Error(`cluster ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Runs `fn` with a fresh loopback cluster's kubeconfig; the cluster is stopped whatever happens (once `fn`'s promise settles, if it returns one). */
export function withCluster<T>(fn: (kubeconfig: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-cluster-"));
  const stop = () => {
    try {
      cluster("stop", "--dir", dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  let result: T;
  try {
    cluster("start", "--dir", dir);
    result = fn(path.join(dir, "kubeconfig"));
  } catch (e) {
    stop();
    throw e;
  }
  if (result instanceof Promise) return result.finally(stop) as T;
  stop();
  return result;
}

export function deployCase(teams: number, checkpoints: "all" | "skip", log: (line: string) => void): DeployRow {
  return withCluster((kubeconfig) => {
    const dir = newProject(`bench-deploy-${teams}`);
    try {
      writeStack(dir, "scale", deployConfig(teams), "dev", (c: any) => (c["platform:cluster"].kubeconfig = kubeconfig));
      const env = checkpoints === "skip" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
      const up = runPlatform(dir, ["up", "--stack", "scale", "--yes", "--json"], env);
      const preview = runPlatform(dir, ["preview", "--stack", "scale", "--json"], env);
      const objects = stepTimings(up.record).filter(createsKubernetesObject).length;
      const row: DeployRow = { teams, checkpoints, objects, upMs: up.wallMs, upCpuMs: up.cpuMs, previewMs: preview.wallMs };
      log(
        `deploy ${teams} teams (checkpoints: ${checkpoints}): ${objects} objects, up ${seconds(row.upMs)} (CPU ${seconds(row.upCpuMs)}, ` +
          `${(row.upMs / objects).toFixed(0)} ms/object), no-change preview ${seconds(row.previewMs)}`,
      );
      return row;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (require.main === module) {
  // Exploration: `node -r ts-node/register/transpile-only bench/engineDeploy.ts TEAMS all|skip`
  require("./engineRun").compileDriver();
  const [teams = "10", checkpoints = "all"] = process.argv.slice(2);
  deployCase(Number(teams), checkpoints as "all" | "skip", (l) => process.stdout.write(`${l}\n`));
}
