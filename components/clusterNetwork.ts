// Pod networking: Calico through the tigera-operator chart, or Flannel from native resources.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { nodeAgentAccess } from "./nodeAgent";
import { NETWORK_DEFAULTS } from "./defaults";
import { imageVersion, standardLabels } from "./labels";
import { type ChartSource, helmChartSource } from "./chartSource";
import { podSecurityNamespace } from "./namespace";
import { assertNoVerdicts, type CalicoBgp, type CalicoEncapsulation, calicoProblems, type Cni, cniEnforcesNetworkPolicy, type FlannelBackend } from "./rules";

export { cniEnforcesNetworkPolicy } from "./rules";
export { NETWORK_DEFAULTS } from "./defaults";

/** Each field @default NETWORK_DEFAULTS.calico (VXLAN without BGP, NAT out, all nodes, /26 blocks). */
export interface CalicoArgs {
  /** @default NETWORK_DEFAULTS.calico.encapsulation ("VXLAN") */
  encapsulation?: CalicoEncapsulation;
  /** @default NETWORK_DEFAULTS.calico.bgp ("Disabled") */
  bgp?: CalicoBgp;
  /** @default NETWORK_DEFAULTS.calico.natOutgoing (true) */
  natOutgoing?: boolean;
  /** @default NETWORK_DEFAULTS.calico.nodeSelector ("all()") */
  nodeSelector?: string;
  /** @default NETWORK_DEFAULTS.calico.blockSize (26) */
  blockSize?: number;
  chart: ChartSource;
}

export interface FlannelArgs {
  /** @default NETWORK_DEFAULTS.flannel.backend ("vxlan") */
  backend?: FlannelBackend;
  /** @default NETWORK_DEFAULTS.flannel.image */
  image?: string;
  /** @default NETWORK_DEFAULTS.flannel.cniPluginImage */
  cniPluginImage?: string;
}

export interface ClusterNetworkArgs {
  cni: Cni;
  podCidr: string;
  calico?: CalicoArgs;
  flannel?: FlannelArgs;
}

export class ClusterNetwork extends pulumi.ComponentResource {
  /** Whether the CNI enforces NetworkPolicy (Calico does, Flannel does not). */
  public readonly enforcesNetworkPolicy: boolean;
  public readonly cni: string;

  constructor(name: string, args: ClusterNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:ClusterNetwork", name, {}, opts);
    this.cni = args.cni;
    if (args.cni === "calico") {
      if (!args.calico) throw new Error("ClusterNetwork: calico settings are required when cni is calico");
      this.createCalico(name, args.podCidr, args.calico);
    } else {
      this.createFlannel(name, args.podCidr, args.flannel ?? {});
    }
    this.enforcesNetworkPolicy = cniEnforcesNetworkPolicy(args.cni);
    this.registerOutputs({ cni: this.cni, enforcesNetworkPolicy: this.enforcesNetworkPolicy });
  }

  private createCalico(name: string, podCidr: string, calico: CalicoArgs): void {
    const c = { ...NETWORK_DEFAULTS.calico, ...calico };
    assertNoVerdicts("ClusterNetwork calico", calicoProblems({ ...c, podCidr }));
    const namespace = NETWORK_DEFAULTS.calicoOperatorNamespace;
    const labels = standardLabels({ name: "calico", component: "cni" });
    const ns = podSecurityNamespace(`${name}-tigera-operator`, { name: namespace, labels, level: "privileged" }, { parent: this });

    // The chart installs the operator and its CRDs; the Installation below is ours so its
    // IP pool and BGP settings are typed, visible in previews and checked by the policy pack.
    const chart = new k8s.helm.v4.Chart(
      `${name}-tigera-operator`,
      {
        ...helmChartSource(c.chart, "tigera-operator"),
        namespace,
        values: { installation: { enabled: false }, apiServer: { enabled: false } },
      },
      { parent: this, dependsOn: [ns] },
    );

    new k8s.apiextensions.CustomResource(
      `${name}-calico-installation`,
      {
        apiVersion: "operator.tigera.io/v1",
        kind: "Installation",
        metadata: { name: "default", labels },
        spec: {
          calicoNetwork: {
            bgp: c.bgp,
            ipPools: [
              {
                name: "default-ipv4-ippool",
                cidr: podCidr,
                encapsulation: c.encapsulation,
                natOutgoing: c.natOutgoing ? "Enabled" : "Disabled",
                nodeSelector: c.nodeSelector,
                blockSize: c.blockSize,
              },
            ],
          },
        },
      },
      { parent: this, dependsOn: [chart] },
    );
  }

  private createFlannel(name: string, podCidr: string, flannel: FlannelArgs): void {
    const f = { ...NETWORK_DEFAULTS.flannel, ...flannel };
    const namespace = f.namespace;
    const labels = standardLabels({ name: "flannel", component: "cni" });
    const meta = { name: "flannel", namespace, labels };

    // hostNetwork and hostPath need the privileged level.
    const { serviceAccount: sa, inNamespace: inNs } = nodeAgentAccess(
      {
        resourceNames: { namespace: `${name}-kube-flannel`, serviceAccount: `${name}-flannel`, grant: `${name}-flannel` },
        meta,
        roleName: "flannel",
        rules: [
          { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
          { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
          { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
        ],
      },
      this,
    );

    const cniConf = JSON.stringify(
      {
        name: "cbr0",
        cniVersion: "0.3.1",
        plugins: [
          { type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } },
          { type: "portmap", capabilities: { portMappings: true } },
        ],
      },
      null,
      2,
    );
    const netConf = JSON.stringify({ Network: podCidr, EnableNFTables: false, Backend: { Type: f.backend } }, null, 2);
    const config = new k8s.core.v1.ConfigMap(
      `${name}-flannel-cfg`,
      {
        metadata: { ...meta, name: "kube-flannel-cfg" },
        data: { "cni-conf.json": cniConf, "net-conf.json": netConf },
      },
      inNs,
    );

    const hostPath = (volume: string, path: string, type?: string) => ({ name: volume, hostPath: { path, type } });
    const runAsRootNoDefaults = { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
    // The running release, on the DaemonSet and its pods only: an image bump touches nothing else.
    const podLabels = { ...labels, "app.kubernetes.io/version": imageVersion(f.image) };
    new k8s.apps.v1.DaemonSet(
      `${name}-flannel`,
      {
        metadata: { ...meta, name: "kube-flannel-ds", labels: podLabels },
        spec: {
          selector: { matchLabels: { "app.kubernetes.io/name": "flannel" } },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
          template: {
            metadata: {
              labels: podLabels,
              // A config change rolls the daemons; flanneld reads net-conf.json only at start.
              annotations: {
                "checksum/config": crypto
                  .createHash("sha256")
                  .update(cniConf + netConf)
                  .digest("hex"),
              },
            },
            spec: {
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }],
                  },
                },
              },
              hostNetwork: true,
              // NET_ADMIN and NET_RAW work under the runtime's default seccomp profile; nothing needs Unconfined.
              securityContext: { seccompProfile: { type: "RuntimeDefault" } },
              priorityClassName: "system-node-critical",
              // The network must come up on every node, tainted or not.
              tolerations: [{ operator: "Exists" }],
              serviceAccountName: sa.metadata.name,
              initContainers: [
                {
                  name: "install-cni-plugin",
                  image: f.cniPluginImage,
                  command: ["cp", "-f", "/flannel", "/opt/cni/bin/flannel"],
                  securityContext: runAsRootNoDefaults,
                  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                  volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }],
                },
                {
                  name: "install-cni",
                  image: f.image,
                  command: ["cp", "-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
                  securityContext: runAsRootNoDefaults,
                  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                  volumeMounts: [
                    { name: "cni", mountPath: "/etc/cni/net.d" },
                    { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                  ],
                },
              ],
              containers: [
                {
                  name: "kube-flannel",
                  image: f.image,
                  command: ["/opt/bin/flanneld"],
                  args: ["--ip-masq", "--kube-subnet-mgr"],
                  resources: { requests: { cpu: "100m", memory: "50Mi" }, limits: { memory: "256Mi" } },
                  // Routes and iptables need NET_ADMIN and NET_RAW; nothing else.
                  securityContext: { ...runAsRootNoDefaults, privileged: false, capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "NET_RAW"] } },
                  env: [
                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                    { name: "EVENT_QUEUE_DEPTH", value: "5000" },
                  ],
                  volumeMounts: [
                    { name: "run", mountPath: "/run/flannel" },
                    { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                    { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                  ],
                },
              ],
              volumes: [
                hostPath("run", "/run/flannel"),
                hostPath("cni-plugin", "/opt/cni/bin"),
                hostPath("cni", "/etc/cni/net.d"),
                { name: "flannel-cfg", configMap: { name: config.metadata.name } },
                hostPath("xtables-lock", "/run/xtables.lock", "FileOrCreate"),
              ],
            },
          },
        },
      },
      inNs,
    );
  }
}
