// Runs build commands with their output in a log file, and turns a failure into one clear message.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";

/** A toolchain step failed: names the piece, the command and the log to read. */
export class ToolchainError extends Error {
  constructor(
    readonly piece: string,
    readonly command: string,
    readonly logFile?: string,
    detail?: string,
    message?: string,
  ) {
    super(message ?? `toolchain: building ${piece} failed${detail ? ` (${detail})` : ""}\n  command: ${command}` + (logFile ? `\n  log: ${logFile}` : ""));
    this.name = "ToolchainError";
  }

  /** A piece that is not built, where building was not allowed (the end-to-end tests). */
  static missing(piece: string, version: string, command = "npm run toolchain"): ToolchainError {
    const first = command === "npm run toolchain" ? " (about 40 minutes the first time)" : "";
    return new ToolchainError(piece, command, undefined, undefined, `toolchain: ${piece} ${version} is not built yet: run \`${command}\`${first}`);
  }
}

export interface LoggedRun {
  piece: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

/** Runs `cmd args` in `run.cwd`, appending stdout and stderr to the log; rejects with a ToolchainError. */
export function runLogged(run: LoggedRun, cmd: string, args: string[]): Promise<void> {
  const command = [cmd, ...args].join(" ");
  fs.appendFileSync(run.logFile, `\n$ (cd ${run.cwd} && ${command})\n`);
  const log = fs.openSync(run.logFile, "a");
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: run.cwd, env: run.env, stdio: ["ignore", log, log] });
    child.on("error", (err) => {
      fs.closeSync(log);
      reject(new ToolchainError(run.piece, command, run.logFile, err.message));
    });
    child.on("close", (code) => {
      fs.closeSync(log);
      if (code === 0) resolve();
      else reject(new ToolchainError(run.piece, command, run.logFile, `exit code ${code}; last lines:\n${tail(run.logFile, 8)}`));
    });
  });
}

/** Runs a quick command and returns its stdout, or undefined when it cannot run or fails. */
export function tryOutput(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(cmd, args, { encoding: "utf8", env, timeout: 30_000 });
  return result.status === 0 ? result.stdout : undefined;
}

function tail(file: string, lines: number): string {
  const text = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  return text
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join("\n");
}
