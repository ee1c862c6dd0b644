// Where one loopback cluster keeps its files: certificates, tokens, kubeconfigs, data, logs and
// the record of what runs (pids and ports). One folder per cluster; start makes it anew.
import * as path from "path";
import { PROJECT_ROOT } from "../toolchain/paths";

/** The default cluster folder of this clone (git-ignored with the rest of .platform/). */
export const DEFAULT_CLUSTER_DIR = path.join(PROJECT_ROOT, ".platform", "cluster");

export class ClusterLayout {
  constructor(readonly dir: string) {}

  /** What runs: pids, ports, binaries. Its presence also marks the folder as a cluster folder. */
  get record(): string {
    return path.join(this.dir, "cluster.json");
  }
  /** The admin kubeconfig, for users, tests and the stacks' `platform:cluster.kubeconfig`. */
  get kubeconfig(): string {
    return path.join(this.dir, "kubeconfig");
  }
  get certs(): string {
    return path.join(this.dir, "pki");
  }
  get logs(): string {
    return path.join(this.dir, "logs");
  }
  get auditLog(): string {
    return path.join(this.logs, "audit.log");
  }
  get etcdData(): string {
    return path.join(this.dir, "etcd-data");
  }
  /** The control plane's own kubeconfigs, tokens, audit policy and kwok stages. */
  get config(): string {
    return path.join(this.dir, "config");
  }
  /** kwok reads ~/.kwok; it gets a home of its own so a user's settings never leak in. */
  get kwokHome(): string {
    return path.join(this.dir, "kwok-home");
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
