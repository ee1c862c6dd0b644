// The loopback cluster script's parts that need no binaries: argument checks, taken ports,
// kubeconfigs, kwok's stage selectors, and folders it must refuse to wipe.
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { ClusterError } from "../cluster/errors";
import { kubeconfigText, readKubeconfig, writeKubeconfig } from "../cluster/kubeconfig";
import { FAILING_JOB_POD_LABEL, kwokStagesYaml } from "../cluster/kwokStages";
import { parseClusterArgs } from "../cluster/main";
import { ensurePortFree, pickPorts } from "../cluster/ports";
import { startCluster } from "../cluster/lifecycle";
import { diedMessage } from "../cluster/processes";
import { KWOK_STAGE_FILES } from "../toolchain/controlPlane";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "cluster-test-"));

describe("cluster arguments", () => {
  test.each([
    [["start", "--port", "0"], /--port needs a port number/],
    [["start", "--port", "http"], /--port needs a port number/],
    [["stop", "--port", "6443"], /--port applies to start only/],
    [["launch"], /unknown command "launch"/],
    [[], /no command given/],
    [["start", "--dri", "x"], /unknown or incomplete option "--dri"/],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parseClusterArgs(argv as string[])).toThrow(message);
  });

  test("a folder and a port", () => {
    expect(parseClusterArgs(["start", "--dir", "/tmp/c", "--port", "6443"])).toEqual({ command: "start", dir: "/tmp/c", port: 6443 });
  });
});

describe("ports", () => {
  test("a taken port is named in one clear message", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen({ host: "127.0.0.1", port: 0 }, r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(ensurePortFree(port, "the API server")).rejects.toThrow(`port ${port} on 127.0.0.1 (the API server) is already in use`);
      await expect(pickPorts(port)).rejects.toBeInstanceOf(ClusterError);
    } finally {
      server.close();
    }
  });

  test("picked ports are distinct", async () => {
    const ports = Object.values(await pickPorts());
    expect(new Set(ports).size).toBe(ports.length);
  });

  test("a process that died on a taken port gets that said", () => {
    const log = path.join(tmp(), "kube-apiserver.log");
    fs.writeFileSync(log, "E1125 failed to listen\nError: failed to create listener: listen tcp 127.0.0.1:6443: bind: address already in use\n");
    expect(diedMessage({ name: "kube-apiserver", pid: 1, binary: "/x", log })).toMatch(/port 6443 on 127.0.0.1 is already in use/);
  });
});

describe("kubeconfig", () => {
  const access = { server: "https://127.0.0.1:6443", ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", token: "abc" };

  test("written and read back", () => {
    const file = path.join(tmp(), "kubeconfig");
    writeKubeconfig(file, "loop", "platform-admin", access);
    expect(readKubeconfig(file)).toEqual(access);
    expect(fs.statSync(file).mode & 0o077).toBe(0); // holds a token: owner only
    expect(YAML.parse(kubeconfigText("loop", "u", access))["current-context"]).toBe("loop");
  });

  test("a missing file or a foreign kubeconfig is refused clearly", () => {
    const dir = tmp();
    expect(() => readKubeconfig(path.join(dir, "none"))).toThrow(/no kubeconfig at/);
    const foreign = path.join(dir, "foreign");
    fs.writeFileSync(foreign, "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: []\n");
    expect(() => readKubeconfig(foreign)).toThrow(/not a token kubeconfig/);
  });
});

describe("kwok stages", () => {
  // A stand-in for the stock files the kwok build copies from its module.
  function stockStages(): string {
    const dir = tmp();
    for (const file of KWOK_STAGE_FILES) {
      const name = path.basename(file, ".yaml");
      const stage = {
        apiVersion: "kwok.x-k8s.io/v1alpha1",
        kind: "Stage",
        metadata: { name },
        spec: {
          resourceRef: { apiGroup: "v1", kind: name.startsWith("node") ? "Node" : "Pod" },
          selector: { matchExpressions: [{ key: ".metadata.ownerReferences.[].kind", operator: "In", values: ["Job"] }] },
          next: { statusTemplate: "state:\n  terminated:\n    exitCode: 0\n    reason: Completed\nphase: Succeeded\n" },
        },
      };
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), YAML.stringify(stage));
    }
    return dir;
  }

  test("a Job pod with the failing label matches pod-fail only; others pod-complete only", () => {
    const stages = YAML.parseAllDocuments(kwokStagesYaml(stockStages())).map((d) => d.toJS());
    expect(stages.map((s) => s.metadata.name)).toEqual([...KWOK_STAGE_FILES.map((f) => path.basename(f, ".yaml")), "pod-fail"]);
    const key = `.metadata.labels["${FAILING_JOB_POD_LABEL.key}"]`;
    const byName = (n: string) => stages.find((s) => s.metadata.name === n);
    expect(byName("pod-complete").spec.selector.matchExpressions).toContainEqual({ key, operator: "NotIn", values: [FAILING_JOB_POD_LABEL.value] });
    expect(byName("pod-fail").spec.selector.matchExpressions).toContainEqual({ key, operator: "In", values: [FAILING_JOB_POD_LABEL.value] });
    expect(byName("pod-fail").spec.next.statusTemplate).toMatch(/exitCode: 1[\s\S]*phase: Failed/);
    expect(byName("pod-complete").spec.next.statusTemplate).toMatch(/phase: Succeeded/);
  });
});

describe("cluster folder", () => {
  test("a non-empty folder that holds no cluster is refused and left as it was", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "precious.txt"), "keep me");
    const bin = {
      etcd: "/none",
      kubeApiserver: "/none",
      kubeControllerManager: "/none",
      kubeScheduler: "/none",
      kubectl: "/none",
      kwok: "/none",
      kwokStages: "/none",
    };
    await expect(startCluster(bin, { dir, log: () => undefined })).rejects.toThrow(/not empty and holds no cluster/);
    expect(fs.readdirSync(dir)).toEqual(["precious.txt"]);
  });
});
