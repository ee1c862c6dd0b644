// The binaries of the loopback test cluster (cluster/): etcd, the Kubernetes control plane and
// kwok's fake nodes, each built from a wrapper module in toolchain/go/ and cached like the
// toolchain's pieces (per version and wrapper source). Static binaries: CGO_ENABLED=0.
import * as fs from "fs";
import * as path from "path";
import { ensurePiece } from "./index";
import { goBuild, goModuleDir, Piece, Stamps } from "./pieces";

export const KUBE_VERSION = "1.34.4";
export const ETCD_VERSION = "3.6.16";
export const KWOK_VERSION = "0.8.0";
const BUILD_COMMAND = "npm run cluster -- build";

/** Clients refuse a server that reports v0.0.0, so both version packages get the release. */
function kubeVersionStamps(): Stamps {
  const [major, minor] = KUBE_VERSION.split(".");
  const vars = { gitVersion: `v${KUBE_VERSION}`, gitMajor: major, gitMinor: minor, gitTreeState: "clean", buildDate: "1970-01-01T00:00:00Z" };
  return Object.fromEntries(
    ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => Object.entries(vars).map(([name, value]) => [`${pkg}.${name}`, value])),
  );
}

/** A control-plane piece: its build gets a static-build environment, and a missing binary names the cluster's build command. */
function controlPlanePiece(name: string, version: string, binary: string, build: Piece["build"]): Piece {
  return {
    name,
    version,
    binary,
    buildCommand: BUILD_COMMAND,
    build: (src, outDir, run) => build(src, outDir, { ...run, env: { ...run.env, CGO_ENABLED: "0" } }),
  };
}

export const KUBE_COMMANDS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"] as const;

// One go build for all four: they share most packages, and it links them in parallel.
const kube = controlPlanePiece("kube", KUBE_VERSION, "kube-apiserver", (src, outDir, run) =>
  goBuild(
    run,
    src,
    kubeVersionStamps(),
    `${outDir}/`,
    KUBE_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}`),
  ),
);

const etcd = controlPlanePiece("etcd", ETCD_VERSION, "etcd", (src, outDir, run) =>
  goBuild(run, src, { "go.etcd.io/etcd/api/v3/version.GitSHA": "module" }, path.join(outDir, "etcd"), ["go.etcd.io/etcd/server/v3"]),
);

/** kwok's own stage files, shipped in its module: fake nodes that stay Ready, pods that start and Jobs' pods that end. */
export const KWOK_STAGE_FILES = [
  "node/fast/node-initialize.yaml",
  "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "pod/fast/pod-ready.yaml",
  "pod/fast/pod-complete.yaml",
  "pod/fast/pod-delete.yaml",
];

const kwok = controlPlanePiece("kwok", KWOK_VERSION, "kwok", async (src, outDir, run) => {
  await goBuild(run, src, { "sigs.k8s.io/kwok/pkg/consts.Version": KWOK_VERSION }, path.join(outDir, "kwok"), ["sigs.k8s.io/kwok/cmd/kwok"]);
  // The cluster script reads the stages from the cache, so starting needs no module download.
  const moduleDir = await goModuleDir(run, src, "sigs.k8s.io/kwok");
  for (const file of KWOK_STAGE_FILES) {
    const to = path.join(outDir, "stages", file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(moduleDir, "kustomize", "stage", file), to);
  }
});

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  /** Folder of kwok's stock stage files (KWOK_STAGE_FILES, relative to it). */
  kwokStages: string;
}

/** Builds what is missing (all three side by side) and returns where the binaries are. */
export async function ensureControlPlane(log: (line: string) => void): Promise<ControlPlaneBinaries> {
  const [kubeApiserver, etcdBinary, kwokBinary] = await Promise.all([kube, etcd, kwok].map((p) => ensurePiece(p, log)));
  const kubeDir = path.dirname(kubeApiserver);
  return {
    etcd: etcdBinary,
    kubeApiserver,
    kubeControllerManager: path.join(kubeDir, "kube-controller-manager"),
    kubeScheduler: path.join(kubeDir, "kube-scheduler"),
    kubectl: path.join(kubeDir, "kubectl"),
    kwok: kwokBinary,
    kwokStages: path.join(path.dirname(kwokBinary), "stages"),
  };
}
