// `npm run cluster -- <build|start|stop|status> [--dir DIR] [--port N]`: a Kubernetes control
// plane on 127.0.0.1 for deploying the stacks for real (see README, "A cluster on loopback").
import { ensureControlPlane } from "../toolchain/controlPlane";
import { ToolchainError } from "../toolchain/process";
import { ClusterError } from "./errors";
import { DEFAULT_CLUSTER_DIR, ClusterLayout } from "./layout";
import { readRecord, running, startCluster, stopCluster } from "./lifecycle";

export const USAGE = `usage: npm run cluster -- <command> [--dir DIR] [--port N]
  build    build etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok (cached)
  start    start a fresh cluster on 127.0.0.1 and write DIR/kubeconfig (builds first when needed)
  stop     stop the cluster started from DIR
  status   say whether it runs
  --dir    the cluster's folder (default ${DEFAULT_CLUSTER_DIR})
  --port   the API server's port (default: a free one)`;

interface Args {
  command: "build" | "start" | "stop" | "status";
  dir: string;
  port?: number;
}

export function parseClusterArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (!["build", "start", "stop", "status"].includes(command)) {
    throw new ClusterError(command ? `unknown command "${command}"` : "no command given");
  }
  const args: Args = { command: command as Args["command"], dir: DEFAULT_CLUSTER_DIR };
  for (let i = 0; i < rest.length; i++) {
    const value = rest[i + 1];
    if (rest[i] === "--dir" && value) args.dir = value;
    else if (rest[i] === "--port" && value && /^\d+$/.test(value) && +value > 0 && +value < 65536) args.port = +value;
    else if (rest[i] === "--port") throw new ClusterError(`--port needs a port number from 1 to 65535, got ${value === undefined ? "nothing" : `"${value}"`}`);
    else throw new ClusterError(`unknown or incomplete option "${rest[i]}"`);
    i++;
  }
  if (args.port !== undefined && command !== "start") throw new ClusterError("--port applies to start only");
  return args;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function run(args: Args): Promise<number> {
  if (args.command === "build" || args.command === "start") {
    const started = Date.now();
    const bin = await ensureControlPlane((line) => log(line.replace(/^toolchain:/, "cluster:")));
    if (args.command === "build") {
      process.stdout.write(`cluster: control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n  kubectl: ${bin.kubectl}\n`);
      return 0;
    }
    const t0 = Date.now();
    const record = await startCluster(bin, { dir: args.dir, port: args.port, log });
    process.stdout.write(
      [
        `cluster: started in ${((Date.now() - t0) / 1000).toFixed(1)}s at ${record.server}`,
        `  kubeconfig: ${record.kubeconfig}   (set it as platform:cluster.kubeconfig to deploy a stack here)`,
        `  kubectl:    ${bin.kubectl} --kubeconfig ${record.kubeconfig} get nodes`,
        `  logs:       ${new ClusterLayout(args.dir).logs}`,
        `  stop:       npm run cluster -- stop${args.dir === DEFAULT_CLUSTER_DIR ? "" : ` --dir ${args.dir}`}`,
      ].join("\n") + "\n",
    );
    return 0;
  }
  if (args.command === "stop") {
    const n = await stopCluster(args.dir);
    process.stdout.write(`cluster: stopped (${n} process${n === 1 ? "" : "es"} were running)\n`);
    return 0;
  }
  const record = readRecord(new ClusterLayout(args.dir));
  const alive = running(record);
  for (const p of record?.processes ?? []) process.stdout.write(`${p.name.padEnd(24)} pid ${p.pid}  ${alive.includes(p) ? "running" : "stopped"}\n`);
  process.stdout.write(alive.length > 0 ? `cluster: running at ${record!.server}\n` : "cluster: not running\n");
  return alive.length > 0 && alive.length === record!.processes.length ? 0 : 1;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseClusterArgs(argv);
  } catch (err) {
    log(`cluster: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(args);
  } catch (err) {
    if (err instanceof ClusterError) log(`cluster: ${err.message}`);
    else if (err instanceof ToolchainError) log(err.message);
    else log(`cluster: unexpected error: ${(err as Error).stack ?? err}`);
    return 1;
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
