// ClusterNetwork: Flannel from native resources, Calico through the operator chart, built from typed
// args; then what the stacks make of it: prod's Calico from config, and the NetworkPolicy warning.
import { ClusterNetwork, ClusterNetworkArgs } from "../components/clusterNetwork";
import { runComponents } from "../testing/components";
import { find, ofKind, reveal, runProgram, runStack } from "../testing/harness";
import { calicoNetwork, flannelNetwork } from "./support/componentArgs";

const build = (args: ClusterNetworkArgs) => runComponents(() => new ClusterNetwork("network", args));

describe("flannel", () => {
  test.each([["vxlan"], ["host-gw"], ["wireguard"]] as const)("net-conf.json carries the cluster network and the %s backend", async (backend) => {
    const rs = await build(flannelNetwork({ backend }));
    const cm = find(rs, "ConfigMap", "kube-flannel-cfg", "kube-flannel");
    expect(JSON.parse(cm.inputs.data["net-conf.json"])).toEqual({ Network: "10.244.0.0/16", EnableNFTables: false, Backend: { Type: backend } });
    const cni = JSON.parse(cm.inputs.data["cni-conf.json"]);
    expect(cni.plugins.map((p: any) => p.type)).toEqual(["flannel", "portmap"]);
  });

  test("a backend change rolls the daemons (config checksum on the pod template)", async () => {
    const checksum = async (backend: "vxlan" | "host-gw") => {
      const rs = await build(flannelNetwork({ backend }));
      return find(rs, "DaemonSet", "kube-flannel-ds").inputs.spec.template.metadata.annotations["checksum/config"];
    };
    expect(await checksum("vxlan")).not.toEqual(await checksum("host-gw"));
  });

  test("namespace, RBAC and DaemonSet match what flanneld needs and no more", async () => {
    const rs = await build(flannelNetwork());
    const ns = find(rs, "Namespace", "kube-flannel");
    expect(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");

    const role = find(rs, "ClusterRole", "flannel");
    expect(role.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
    ]);
    const binding = find(rs, "ClusterRoleBinding", "flannel");
    expect(binding.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "flannel", namespace: "kube-flannel" }]);

    const pod = find(rs, "DaemonSet", "kube-flannel-ds").inputs.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.priorityClassName).toBe("system-node-critical");
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
    expect(pod.serviceAccountName).toBe("flannel");
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["install-cni-plugin", "install-cni"]);
    expect(pod.initContainers[1].command).toEqual(["cp", "-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"]);
    const flanneld = pod.containers[0];
    expect(flanneld.args).toEqual(["--ip-masq", "--kube-subnet-mgr"]);
    expect(flanneld.securityContext.capabilities).toEqual({ drop: ["ALL"], add: ["NET_ADMIN", "NET_RAW"] });
    expect(flanneld.securityContext.privileged).toBe(false);
    expect(flanneld.resources.requests).toEqual({ cpu: "100m", memory: "50Mi" });
    expect(flanneld.image).toMatch(/^flannel\/flannel:v\d+\.\d+\.\d+$/);
  });

  test("no Calico resources are created", async () => {
    const rs = await build(flannelNetwork());
    expect(rs.filter((r) => (r.type.includes("helm") && r.parent.includes("ClusterNetwork")) || r.inputs.kind === "Installation")).toEqual([]);
  });
});

describe("calico", () => {
  test("the operator chart, pinned, and an Installation from the args", async () => {
    const chartSource = { repo: "https://docs.tigera.io/calico/charts", version: "v3.29.3" };
    const rs = await build({ cni: "calico", podCidr: "10.42.0.0/16", calico: { chart: chartSource } });
    const chart = rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
    expect(chart.inputs).toMatchObject({
      chart: "tigera-operator",
      version: "v3.29.3",
      repositoryOpts: { repo: "https://docs.tigera.io/calico/charts" },
      namespace: "tigera-operator",
      values: { installation: { enabled: false } },
    });
    const installation = find(rs, "Installation", "default");
    expect(installation.inputs.apiVersion).toBe("operator.tigera.io/v1");
    expect(installation.inputs.spec.calicoNetwork).toEqual({
      bgp: "Disabled",
      ipPools: [{ name: "default-ipv4-ippool", cidr: "10.42.0.0/16", encapsulation: "VXLAN", natOutgoing: "Enabled", nodeSelector: "all()", blockSize: 26 }],
    });
    // The Installation waits for the chart (its CRD).
    expect(installation.dependsOn).toContain(chart.urn);
    expect(ofKind(rs, "DaemonSet")).toEqual([]);
  });

  test("BGP with IPIP, no NAT and a custom selector", async () => {
    const rs = await build(
      calicoNetwork({
        encapsulation: "IPIPCrossSubnet",
        bgp: "Enabled",
        natOutgoing: false,
        nodeSelector: "zone == 'a'",
        chart: { repo: "https://charts.example.com", version: "v3.29.3" },
      }),
    );
    const net = find(rs, "Installation", "default").inputs.spec.calicoNetwork;
    expect(net.bgp).toBe("Enabled");
    expect(net.ipPools[0]).toMatchObject({ cidr: "10.244.0.0/16", encapsulation: "IPIPCrossSubnet", natOutgoing: "Disabled", nodeSelector: "zone == 'a'" });
  });

  test("VXLANCrossSubnet with BGP off, as the tigera operator accepts it", async () => {
    const rs = await build(calicoNetwork({ encapsulation: "VXLANCrossSubnet", bgp: "Disabled", chart: { path: "./charts/tigera-operator" } }));
    const net = find(rs, "Installation", "default").inputs.spec.calicoNetwork;
    expect([net.bgp, net.ipPools[0].encapsulation]).toEqual(["Disabled", "VXLANCrossSubnet"]);
  });

  test("a local chart path is used as is, without repo or version", async () => {
    const rs = await build(calicoNetwork({ chart: { path: "./charts/tigera-operator" } }));
    const chart = reveal(rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!.inputs);
    expect(chart.chart).toBe("./charts/tigera-operator");
    expect(chart.version).toBeUndefined();
    expect(chart.repositoryOpts).toBeUndefined();
  });
});

describe("the stacks' networks", () => {
  test("prod installs the operator chart, pinned, and an Installation from config; its only DaemonSet is the log collector", async () => {
    const rs = await runProgram("prod");
    const chart = rs.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.parent.includes("ClusterNetwork"))!;
    expect(chart.inputs).toMatchObject({ chart: "tigera-operator", version: "v3.29.3", repositoryOpts: { repo: "https://docs.tigera.io/calico/charts" } });
    expect(find(rs, "Installation", "default").inputs.spec.calicoNetwork.ipPools[0].cidr).toBe("10.42.0.0/16");
    expect(ofKind(rs, "DaemonSet").map((d) => d.inputs.metadata.name)).toEqual(["fluent-bit"]);
  });

  test("dev's flannel carries the cluster network and the configured backend", async () => {
    const cm = find(await runProgram("dev"), "ConfigMap", "kube-flannel-cfg", "kube-flannel");
    expect(JSON.parse(cm.inputs.data["net-conf.json"])).toMatchObject({ Network: "10.244.0.0/16", Backend: { Type: "vxlan" } });
  });
});

describe("the NetworkPolicy warning", () => {
  test("flannel warns once that team namespaces are not isolated", async () => {
    expect((await runStack("dev")).warnings).toEqual(["flannel does not enforce NetworkPolicy: team namespaces are not isolated from each other"]);
  });

  test("calico, which enforces NetworkPolicy, gives no warning", async () => {
    expect((await runStack("prod")).warnings).toEqual([]);
  });
});
