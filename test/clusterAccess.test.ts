// The runner's check before the engine touches a cluster: one clear message for a kubeconfig that
// is missing, broken or names no server, and for a server nothing answers at.
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { checkClusterAccess, ClusterAccessError, kubeconfigFile } from "../runner/clusterAccess";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-access-"));
const kubeconfig = (name: string, server: string | undefined, context = "loop") => {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      `current-context: ${context}`,
      "clusters:",
      "- name: c",
      `  cluster: {${server ? ` server: "${server}"` : ""} }`,
      "users:",
      "- name: u",
      "  user: { token: t }",
      "contexts:",
      "- name: loop",
      "  context: { cluster: c, user: u }",
    ].join("\n"),
  );
  return file;
};

async function listening(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen({ host: "127.0.0.1", port: 0 }, r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

async function closedPort(): Promise<number> {
  const s = await listening();
  s.close();
  return s.port;
}

describe("cluster access check", () => {
  test("a reachable server passes", async () => {
    const s = await listening();
    try {
      await expect(checkClusterAccess({ kubeconfig: kubeconfig("ok", `https://127.0.0.1:${s.port}`) }, dir)).resolves.toBeUndefined();
    } finally {
      s.close();
    }
  });

  test.each<[string, () => Promise<{ kubeconfig?: string; context?: string }>, RegExp]>([
    ["a missing file", async () => ({ kubeconfig: "no-such-file" }), /kubeconfig .*no-such-file \(from platform:cluster.kubeconfig\) does not exist/],
    [
      "broken YAML",
      async () => {
        fs.writeFileSync(path.join(dir, "broken"), "clusters: [\n");
        return { kubeconfig: "broken" };
      },
      /is not valid YAML/,
    ],
    ["an unknown context", async () => ({ kubeconfig: kubeconfig("ctx", "https://127.0.0.1:1"), context: "prod" }), /has no context "prod" \(contexts: loop\)/],
    ["no server", async () => ({ kubeconfig: kubeconfig("noserver", undefined) }), /names no server for cluster "c"/],
    [
      "an unreachable server",
      async () => ({ kubeconfig: kubeconfig("down", `https://127.0.0.1:${await closedPort()}`) }),
      /https:\/\/127\.0\.0\.1:\d+ \(context "loop" in .*down\) is unreachable: ECONNREFUSED/,
    ],
  ])("%s: one clear message", async (_what, target, message) => {
    const run = checkClusterAccess(await target(), dir);
    await expect(run).rejects.toBeInstanceOf(ClusterAccessError);
    await expect(checkClusterAccess(await target(), dir)).rejects.toThrow(message);
    await expect(checkClusterAccess(await target(), dir)).rejects.toThrow(/Nothing was changed\.$/);
  });

  test("a context alone uses KUBECONFIG, else ~/.kube/config", () => {
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = `/a/one${path.delimiter}/b/two`;
      expect(kubeconfigFile({ context: "x" }, dir)).toEqual({ file: "/a/one", from: "KUBECONFIG" });
      delete process.env.KUBECONFIG;
      expect(kubeconfigFile({ context: "x" }, dir).file).toBe(path.join(os.homedir(), ".kube", "config"));
      expect(kubeconfigFile({ kubeconfig: "~/k" }, dir).file).toBe(path.join(os.homedir(), "k"));
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});
