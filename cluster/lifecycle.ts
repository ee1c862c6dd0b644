// Starts a loopback cluster in a folder (etcd, API server, controller manager, scheduler, kwok),
// and stops it by the pids recorded there. A start that fails stops what it started.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import type { ControlPlaneBinaries } from "../toolchain/controlPlane";
import { KubeApi } from "./api";
import { makeCertificates } from "./certs";
import { apiServerSpec, ComponentSpec, CONTROL_PLANE_USERS, ControlPlaneUser, controllerManagerSpec, etcdSpec, kwokSpec, schedulerSpec } from "./components";
import { ClusterError } from "./errors";
import { kwokStagesYaml } from "./kwokStages";
import { KubeAccess, writeKubeconfig } from "./kubeconfig";
import { ClusterLayout } from "./layout";
import { ClusterPorts, pickPorts } from "./ports";
import { diedMessage, runs, startProcess, Started, stopProcess } from "./processes";
import { clusterWorks, seedCluster, waitFor } from "./seed";

export interface ClusterRecord {
  startedAt: string;
  server: string;
  kubeconfig: string;
  auditLog: string;
  ports: ClusterPorts;
  processes: Started[];
}

const READY_TIMEOUT_MS = 180_000;
const CONTEXT = "platform-loopback";

export function readRecord(layout: ClusterLayout): ClusterRecord | undefined {
  if (!fs.existsSync(layout.record)) return undefined;
  return JSON.parse(fs.readFileSync(layout.record, "utf8"));
}

/** The recorded processes that still run. */
export function running(record: ClusterRecord | undefined): Started[] {
  return (record?.processes ?? []).filter((p) => runs(p.pid, p.binary));
}

/** A fresh folder: refuses one that is not a cluster folder, or whose cluster still runs. */
function prepareFolder(layout: ClusterLayout): void {
  if (fs.existsSync(layout.dir)) {
    const entries = fs.readdirSync(layout.dir);
    if (entries.length > 0 && !entries.includes("cluster.json")) {
      throw new ClusterError(`${layout.dir} is not empty and holds no cluster: choose an empty or new folder with --dir`);
    }
    const alive = running(readRecord(layout));
    if (alive.length > 0) {
      throw new ClusterError(`a cluster already runs from ${layout.dir} (pids ${alive.map((p) => p.pid).join(", ")}): stop it first (npm run cluster -- stop)`);
    }
    fs.rmSync(layout.dir, { recursive: true, force: true });
  }
  for (const dir of [layout.dir, layout.logs, layout.config, layout.etcdData, layout.kwokHome]) fs.mkdirSync(dir, { recursive: true });
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    users: ["${CONTROL_PLANE_USERS.admin.user}"]
    verbs: [create, update, patch, delete, deletecollection]
  - level: None
`;

/** Tokens, kubeconfigs, audit policy and kwok stages; returns the admin's access. */
function writeConfig(layout: ClusterLayout, ports: ClusterPorts, bin: ControlPlaneBinaries): KubeAccess {
  const server = `https://127.0.0.1:${ports.apiServer}`;
  const ca = fs.readFileSync(layout.cert("ca"), "utf8");
  const rows: string[] = [];
  let admin: KubeAccess | undefined;
  for (const [key, who] of Object.entries(CONTROL_PLANE_USERS) as [ControlPlaneUser, { user: string; groups: readonly string[] }][]) {
    const token = crypto.randomBytes(24).toString("hex");
    rows.push(`${token},${who.user},${who.user}${who.groups.length ? `,"${who.groups.join(",")}"` : ""}`);
    const access = { server, ca, token };
    if (key === "admin") admin = access;
    else writeKubeconfig(layout.componentKubeconfig(key), CONTEXT, who.user, access);
  }
  fs.writeFileSync(path.join(layout.config, "tokens.csv"), `${rows.join("\n")}\n`, { mode: 0o600 });
  writeKubeconfig(layout.kubeconfig, CONTEXT, CONTROL_PLANE_USERS.admin.user, admin!);
  fs.writeFileSync(path.join(layout.config, "audit-policy.yaml"), AUDIT_POLICY);
  fs.writeFileSync(path.join(layout.config, "kwok-stages.yaml"), kwokStagesYaml(bin.kwokStages));
  return admin!;
}

function etcdHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port, path: "/health", timeout: 2000 }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(res.statusCode === 200 && /"health":\s*"true"/.test(body)));
      })
      .on("error", () => resolve(false));
  });
}

export interface StartOptions {
  dir: string;
  /** The API server's port; a free one when absent. */
  port?: number;
  log: (line: string) => void;
}

export async function startCluster(bin: ControlPlaneBinaries, o: StartOptions): Promise<ClusterRecord> {
  const layout = new ClusterLayout(path.resolve(o.dir));
  prepareFolder(layout);
  const ports = await pickPorts(o.port);
  makeCertificates(layout);
  const admin = writeConfig(layout, ports, bin);
  const api = new KubeApi(admin);

  const started: Started[] = [];
  const launch = (spec: ComponentSpec) => {
    started.push(startProcess(spec.name, spec.binary, spec.args, layout.log(spec.name), spec.env));
  };
  const alive = () => {
    const dead = started.find((p) => !runs(p.pid, p.binary));
    if (dead) throw new ClusterError(diedMessage(dead));
  };
  const t0 = Date.now();
  const step = (what: string) => o.log(`cluster: ${what} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  try {
    launch(etcdSpec(bin, layout, ports));
    await waitFor("etcd to be healthy", READY_TIMEOUT_MS, () => etcdHealthy(ports.etcdClient), alive);
    step(`etcd healthy on 127.0.0.1:${ports.etcdClient}`);
    launch(apiServerSpec(bin, layout, ports));
    await waitFor("the API server's /readyz", READY_TIMEOUT_MS, async () => (await api.request("GET", "/readyz")).status === 200, alive);
    step(`API server ready on ${admin.server}`);
    for (const spec of [controllerManagerSpec, schedulerSpec, kwokSpec]) launch(spec(bin, layout, ports));
    await seedCluster(api);
    await waitFor("the fake node to be Ready and the default ServiceAccount to exist", READY_TIMEOUT_MS, () => clusterWorks(api), alive);
    step("controller manager, scheduler and kwok working (node Ready)");
  } catch (err) {
    for (const p of started.reverse()) await stopProcess(p);
    throw err;
  }
  const record: ClusterRecord = {
    startedAt: new Date().toISOString(),
    server: admin.server,
    kubeconfig: layout.kubeconfig,
    auditLog: layout.auditLog,
    ports,
    processes: started,
  };
  fs.writeFileSync(layout.record, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** Stops the recorded processes, last started first; the folder (logs, kubeconfig) stays. Returns how many ran. */
export async function stopCluster(dir: string): Promise<number> {
  const layout = new ClusterLayout(path.resolve(dir));
  const record = readRecord(layout);
  if (!record) throw new ClusterError(`no cluster was started from ${layout.dir} (no cluster.json there)`);
  const alive = running(record);
  for (const p of [...record.processes].reverse()) await stopProcess(p);
  return alive.length;
}
