// The control plane's processes: started detached (they outlive `cluster start`), output to one
// log file each, stopped by the pid recorded at start, and only when that pid still runs our binary.
import { spawn } from "child_process";
import * as fs from "fs";
import { ClusterError } from "./errors";

export interface Started {
  name: string;
  pid: number;
  binary: string;
  log: string;
}

/** Starts `binary args` in the background with stdout and stderr in `log`. */
export function startProcess(name: string, binary: string, args: string[], log: string, env: NodeJS.ProcessEnv): Started {
  if (!fs.existsSync(binary)) {
    throw new ClusterError(`${name}: the binary ${binary} is missing: run \`npm run cluster -- build\` first`);
  }
  const out = fs.openSync(log, "a");
  fs.appendFileSync(log, `$ ${binary} ${args.join(" ")}\n`);
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", out, out], env });
  fs.closeSync(out);
  if (child.pid === undefined) throw new ClusterError(`${name}: could not start ${binary} (see ${log})`);
  child.unref();
  // /proc/<pid>/exe names the resolved file, so that is what is recorded.
  return { name, pid: child.pid, binary: fs.realpathSync(binary), log };
}

/** Whether `pid` runs `binary` (a recycled pid of another program is never signalled). */
export function runs(pid: number, binary: string): boolean {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`) === binary;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(p: Pick<Started, "pid" | "binary">, graceMs = 10_000): Promise<void> {
  if (!runs(p.pid, p.binary)) return;
  process.kill(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (runs(p.pid, p.binary) && Date.now() < deadline) await sleep(100);
  if (runs(p.pid, p.binary)) process.kill(p.pid, "SIGKILL");
  while (runs(p.pid, p.binary)) await sleep(50);
}

/** The last lines of a log, indented, for error messages. */
export function logTail(log: string, lines = 6): string {
  if (!fs.existsSync(log)) return "";
  return fs
    .readFileSync(log, "utf8")
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join("\n");
}

/** A process that died while starting: the reason from its log, a taken port named as such. */
export function diedMessage(p: Started): string {
  const tail = logTail(p.log, 12);
  // Go reports it as "listen tcp 127.0.0.1:PORT: bind: address already in use".
  const taken = /:(\d+): bind: address already in use/.exec(tail);
  if (taken) {
    return `${p.name} could not listen: port ${taken[1]} on 127.0.0.1 is already in use; stop what listens there and start again (log: ${p.log})`;
  }
  return `${p.name} exited while starting; last lines of ${p.log}:\n${logTail(p.log, 8)}`;
}
