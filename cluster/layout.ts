// Where one loopback cluster keeps its files: certificates, tokens, kubeconfigs, data, logs and
// the record of what runs (pids and ports). One folder per cluster; start makes it anew.
import * as path from "path";
import { PROJECT_ROOT } from "../toolchain/paths";

/** The default cluster folder of this clone (git-ignored with the rest of .platform/). */
export const DEFAULT_CLUSTER_DIR = path.join(PROJECT_ROOT, ".platform", "cluster");

export class ClusterLayout {
  /** What runs: pids, ports, binaries. Its presence also marks the folder as a cluster folder. */
  readonly record: string;
  /** The admin kubeconfig, for users, tests and the stacks' `platform:cluster.kubeconfig`. */
  readonly kubeconfig: string;
  readonly certs: string;
  readonly logs: string;
  readonly auditLog: string;
  readonly etcdData: string;
  /** The control plane's own kubeconfigs, tokens, audit policy and kwok stages. */
  readonly config: string;
  /** kwok reads ~/.kwok; it gets a home of its own so a user's settings never leak in. */
  readonly kwokHome: string;

  // The folder never changes, so every path in it is fixed when the layout is made.
  constructor(readonly dir: string) {
    this.record = path.join(dir, "cluster.json");
    this.kubeconfig = path.join(dir, "kubeconfig");
    this.certs = path.join(dir, "pki");
    this.logs = path.join(dir, "logs");
    this.auditLog = path.join(this.logs, "audit.log");
    this.etcdData = path.join(dir, "etcd-data");
    this.config = path.join(dir, "config");
    this.kwokHome = path.join(dir, "kwok-home");
  }

  cert(name: string): string {
    return path.join(this.certs, `${name}.crt`);
  }
  key(name: string): string {
    return path.join(this.certs, `${name}.key`);
  }
  log(process: string): string {
    return path.join(this.logs, `${process}.log`);
  }
  componentKubeconfig(user: string): string {
    return path.join(this.config, `${user}.kubeconfig`);
  }
}
