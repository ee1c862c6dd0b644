// How each control-plane process is started: its binary, flags and environment. Everything
// listens on 127.0.0.1 only; clients authenticate with bearer tokens, RBAC authorizes.
import * as path from "path";
import type { ControlPlaneBinaries } from "../toolchain/controlPlane";
import { ClusterLayout } from "./layout";
import type { ClusterPorts } from "./ports";

export interface ComponentSpec {
  name: string;
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The users the control plane's own parts log in as: bootstrap RBAC already grants these names what they need. */
export const CONTROL_PLANE_USERS = {
  admin: { user: "platform-admin", groups: ["system:masters"] },
  controllerManager: { user: "system:kube-controller-manager", groups: [] },
  scheduler: { user: "system:kube-scheduler", groups: [] },
  // kwok writes node and pod status, leases and events for fake kubelets: admin rights keep it simple here.
  kwok: { user: "kwok-controller", groups: ["system:masters"] },
} as const;

export type ControlPlaneUser = keyof typeof CONTROL_PLANE_USERS;

export const SERVICE_CIDR = "10.96.0.0/16";
export const KWOK_NODE_ANNOTATION = { key: "kwok.x-k8s.io/node", value: "fake" };

/** The environment minus variables a binary would read as settings (etcd reads every ETCD_* as a flag). */
export function cleanEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("ETCD_") || key === "KUBECONFIG") continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function etcdSpec(bin: ControlPlaneBinaries, layout: ClusterLayout, ports: ClusterPorts): ComponentSpec {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return {
    name: "etcd",
    binary: bin.etcd,
    args: [
      "--name=loopback",
      `--data-dir=${layout.etcdData}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=loopback=${peer}`,
      // A throwaway test store: skip fsync so a busy disk does not slow every write.
      "--unsafe-no-fsync=true",
      "--log-level=warn",
    ],
    env: cleanEnvironment(),
  };
}

export function apiServerSpec(bin: ControlPlaneBinaries, layout: ClusterLayout, ports: ClusterPorts): ComponentSpec {
  const pub = path.join(layout.certs, "service-account.pub");
  return {
    name: "kube-apiserver",
    binary: bin.kubeApiserver,
    args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${ports.apiServer}`,
      `--tls-cert-file=${layout.cert("apiserver")}`,
      `--tls-private-key-file=${layout.key("apiserver")}`,
      `--client-ca-file=${layout.cert("ca")}`,
      `--token-auth-file=${path.join(layout.config, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      `--service-account-issuer=https://kubernetes.default.svc`,
      `--service-account-key-file=${pub}`,
      `--service-account-signing-key-file=${layout.key("service-account")}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // The default reconciler writes this host's address into the kubernetes Endpoints; on loopback it refuses to start.
      "--endpoint-reconciler-type=none",
      // Request-header (front-proxy) settings: the controller manager and scheduler wait for them at start.
      `--requestheader-client-ca-file=${layout.cert("front-proxy-ca")}`,
      "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-username-headers=X-Remote-User",
      "--requestheader-group-headers=X-Remote-Group",
      "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      `--proxy-client-cert-file=${layout.cert("front-proxy-client")}`,
      `--proxy-client-key-file=${layout.key("front-proxy-client")}`,
      // Every write by the admin user (the engine) goes to the audit log: tests count what a change wrote.
      `--audit-policy-file=${path.join(layout.config, "audit-policy.yaml")}`,
      `--audit-log-path=${layout.auditLog}`,
      "--audit-log-mode=blocking",
      "--allow-privileged=true",
      "--profiling=false",
    ],
    env: cleanEnvironment(),
  };
}

/** The controller manager and the scheduler: same kind of flags, their own kubeconfig and port. */
function delegatingComponent(name: string, binary: string, kubeconfig: string, port: number, extra: string[]): ComponentSpec {
  return {
    name,
    binary,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${port}`,
      "--leader-elect=false",
      ...extra,
    ],
    env: cleanEnvironment(),
  };
}

export function controllerManagerSpec(bin: ControlPlaneBinaries, layout: ClusterLayout, ports: ClusterPorts): ComponentSpec {
  return delegatingComponent("kube-controller-manager", bin.kubeControllerManager, layout.componentKubeconfig("controllerManager"), ports.controllerManager, [
    // Signs service-account tokens; garbage collection and namespace deletion (destroy) run here.
    `--service-account-private-key-file=${layout.key("service-account")}`,
    `--root-ca-file=${layout.cert("ca")}`,
    "--use-service-account-credentials=true",
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // A starved kwok on a busy 2-core machine may renew its Lease late; pods marked not ready stay so.
    "--node-monitor-grace-period=2m",
  ]);
}

export function schedulerSpec(bin: ControlPlaneBinaries, layout: ClusterLayout, ports: ClusterPorts): ComponentSpec {
  // kwok only acts on Pods bound to its nodes: without a scheduler nothing would ever run.
  return delegatingComponent("kube-scheduler", bin.kubeScheduler, layout.componentKubeconfig("scheduler"), ports.scheduler, []);
}

export function kwokSpec(bin: ControlPlaneBinaries, layout: ClusterLayout, ports: ClusterPorts): ComponentSpec {
  return {
    name: "kwok",
    binary: bin.kwok,
    args: [
      `--kubeconfig=${layout.componentKubeconfig("kwok")}`,
      `--config=${path.join(layout.config, "kwok-stages.yaml")}`,
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
      `--server-address=127.0.0.1:${ports.kwok}`,
      "--node-ip=127.0.0.1",
      // Renews the node's Lease (the stock heartbeat stage updates status only every 10-20 minutes);
      // without it the node lifecycle controller marks the node's pods not ready after its grace period.
      "--node-lease-duration-seconds=40",
    ],
    env: cleanEnvironment({ HOME: layout.kwokHome }),
  };
}
