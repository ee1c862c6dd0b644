// A user who already has the Pulumi CLI (and the exact plugins) does not wait for a build.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Piece } from "./pieces";
import { tryOutput } from "./process";

/** `pulumi` on PATH when its version is at least `minimum`; PLATFORM_BUILD_TOOLCHAIN=1 ignores it. */
export function findSystemPulumi(minimum: string): string | undefined {
  if (process.env.PLATFORM_BUILD_TOOLCHAIN === "1") return undefined;
  const found = tryOutput("sh", ["-c", "command -v pulumi"])?.trim();
  if (!found) return undefined;
  const version = tryOutput(found, ["version"])?.trim().replace(/^v/, "");
  return version && compareVersions(version, minimum) >= 0 ? found : undefined;
}

/** The user's own installed plugin binary of exactly this version, to install from (never written to). */
export function findUserPlugin(piece: Piece): string | undefined {
  if (process.env.PLATFORM_BUILD_TOOLCHAIN === "1") return undefined;
  const home = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  const file = path.join(home, "plugins", `resource-${piece.name}-v${piece.version}`, piece.binary);
  return fs.existsSync(file) ? file : undefined;
}

/** Compares dotted numeric versions ("3.250.1" vs "3.248.0"); pre-release suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]
      .split(".")
      .map((n) => parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
