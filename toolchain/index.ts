// Makes sure the Pulumi CLI and the provider plugins this project needs are present, building
// what is missing (cached per version and wrapper source), and returns the environment to run them in.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeLaunchers } from "./launchers";
import { cacheRoot, logDir, PROJECT_ROOT, projectPulumiHome } from "./paths";
import { PIECES, Piece, CLI_VERSION, TOOLS } from "./pieces";
import { tryOutput, runLogged, ToolchainError } from "./process";
import { findSystemPulumi, findUserPlugin } from "./reuse";

export { ToolchainError } from "./process";

export interface Toolchain {
  /** The CLI binary. */
  pulumi: string;
  /** Its install root, for the Automation API (`PulumiCommand.get({ root })` runs `<root>/bin/pulumi`). */
  root: string;
  /** Folder of the CLI and the launchers; first on PATH for the engine. */
  binDir: string;
  /** Environment for every CLI run: this clone's PULUMI_HOME, offline settings, launchers on PATH. */
  env: Record<string, string>;
}

export interface EnsureOptions {
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  root?: string;
}

/** The passphrase used only for this repo's local file backend, only when the user set none. */
export const LOCAL_PASSPHRASE = "local-dev-only-not-secret";

export async function ensureToolchain(opts: EnsureOptions = {}): Promise<Toolchain> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = opts.root ?? PROJECT_ROOT;
  const pulumiHome = projectPulumiHome(root);
  fs.mkdirSync(pulumiHome, { recursive: true });

  // The pieces build side by side: each go build is partly serial (linking), so two cores stay busy.
  const system = findSystemPulumi(CLI_VERSION);
  const [cliBinary, ...plugins] = await Promise.all([
    system ? Promise.resolve(linkSystemCli(system)) : ensurePiece(PIECES[0], log),
    ...PIECES.slice(1).map((piece) => findUserPlugin(piece) ?? ensurePiece(piece, log)),
  ]);
  const binDir = path.dirname(cliBinary);
  writeLaunchers(binDir);
  const env = cliEnvironment(root, binDir, pulumiHome);
  for (const [i, piece] of PIECES.slice(1).entries()) await installPlugin(piece, plugins[i], cliBinary, env);
  return { pulumi: cliBinary, root: path.dirname(binDir), binDir, env };
}

/** A user's own CLI, linked into a `<root>/bin/` of ours so the launchers can sit beside it. */
function linkSystemCli(system: string): string {
  const link = path.join(cacheRoot(), "system-cli", "bin", "pulumi");
  fs.mkdirSync(path.dirname(link), { recursive: true });
  if (!fs.existsSync(link) || fs.realpathSync(link) !== fs.realpathSync(system)) {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(fs.realpathSync(system), link);
  }
  return link;
}

/** The environment for the CLI: offline, this clone's plugins, never the user's own PULUMI_HOME. */
export function cliEnvironment(root: string, binDir: string, pulumiHome: string): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_HOME: pulumiHome,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PLATFORM_PROJECT_ROOT: root,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  const backend = process.env.PULUMI_BACKEND_URL;
  const localBackend = !backend || backend.startsWith("file://");
  if (localBackend && !process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    env.PULUMI_CONFIG_PASSPHRASE = LOCAL_PASSPHRASE;
  }
  return env;
}

/** Where a piece's build of this version and wrapper source lives in the cache. */
function pieceOutput(piece: Piece): { wrapper: string; outDir: string; binary: string } {
  const wrapper = path.join(PROJECT_ROOT, "toolchain", "go", piece.name);
  const outDir = path.join(cacheRoot(), "toolchain", `${piece.name}-${piece.version}-${sourceKey(wrapper)}`);
  return { wrapper, outDir, binary: path.join(outDir, piece.binary) };
}

/** The cached binary of a piece when it is built; undefined otherwise (never builds). */
export function builtBinary(piece: Piece): string | undefined {
  const { binary } = pieceOutput(piece);
  return fs.existsSync(binary) ? binary : undefined;
}

/** Builds (or finds) the developer tools (actionlint); returns each binary by name. */
export async function ensureTools(opts: EnsureOptions = {}): Promise<Record<string, string>> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binaries = await Promise.all(TOOLS.map((piece) => ensurePiece(piece, log)));
  return Object.fromEntries(TOOLS.map((piece, i) => [piece.name, binaries[i]]));
}

/** The cached binary of a piece, built first when this version and wrapper source have none yet. */
export async function ensurePiece(piece: Piece, log: (line: string) => void): Promise<string> {
  const { wrapper, outDir, binary } = pieceOutput(piece);
  if (fs.existsSync(binary)) return binary;
  if (process.env.PLATFORM_TOOLCHAIN_NO_BUILD === "1") {
    throw ToolchainError.missing(piece.name, piece.version, piece.buildCommand);
  }

  if (!tryOutput("go", ["version"])) {
    throw new ToolchainError(
      piece.name,
      "go version",
      undefined,
      "Go is not installed; install Go 1.25 or later, or put a Pulumi CLI >= 3.248 with the plugins on PATH",
    );
  }
  fs.mkdirSync(logDir(), { recursive: true });
  const logFile = path.join(logDir(), `${piece.name}-${piece.version}.log`);
  fs.writeFileSync(logFile, `building ${piece.name} ${piece.version} at ${new Date().toISOString()}\n`);
  const src = `${outDir}.src`;
  const partial = `${outDir}.partial`;
  fs.rmSync(src, { recursive: true, force: true });
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(wrapper, src, { recursive: true });
  fs.mkdirSync(partial, { recursive: true });

  const started = Date.now();
  log(`toolchain: building ${piece.name} ${piece.version} (first run only; log: ${logFile})`);
  const ticker = setInterval(() => log(`toolchain: still building ${piece.name} (${elapsed(started)})`), 60_000);
  try {
    await piece.build(src, partial, { piece: piece.name, cwd: src, env: goEnvironment(), logFile });
  } finally {
    clearInterval(ticker);
  }
  fs.renameSync(partial, outDir); // complete builds only: an interrupted one leaves no outDir
  fs.rmSync(src, { recursive: true, force: true });
  log(`toolchain: built ${piece.name} ${piece.version} in ${elapsed(started)}`);
  return binary;
}

/** Go settings for builds from the module proxy alone: no checksum database, no toolchain download. */
function goEnvironment(): NodeJS.ProcessEnv {
  const flags = [process.env.GOFLAGS, "-mod=mod"].filter(Boolean).join(" ");
  return { ...process.env, GOSUMDB: "off", GOFLAGS: flags, GOTOOLCHAIN: "local" };
}

/** Installs a provider binary as a plugin of this clone's PULUMI_HOME, unless that exact file is already installed. */
async function installPlugin(piece: Piece, binary: string, cli: string, env: Record<string, string>): Promise<void> {
  const dir = path.join(env.PULUMI_HOME, "plugins", `resource-${piece.name}-v${piece.version}`);
  const stamp = path.join(dir, ".installed-from");
  const stat = fs.statSync(binary);
  const source = `${binary}\n${stat.size}:${stat.mtimeMs}\n`;
  if (fs.existsSync(path.join(dir, piece.binary)) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === source) return;
  fs.mkdirSync(logDir(), { recursive: true });
  const logFile = path.join(logDir(), `plugin-${piece.name}.log`);
  await runLogged({ piece: `${piece.name} plugin`, cwd: PROJECT_ROOT, env: { ...process.env, ...env }, logFile }, cli, [
    "plugin",
    "install",
    "resource",
    piece.name,
    piece.version,
    "--file",
    binary,
  ]);
  fs.writeFileSync(stamp, source);
}

/** A short hash of a wrapper folder's files: a changed wrapper builds anew. */
export function sourceKey(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(path.relative(dir, full)).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 12);
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
