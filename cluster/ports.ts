// Ports on 127.0.0.1: free ones picked at start (the OS hands out an unused port for port 0), or
// one the user asked for, checked first so a taken port gets a clear message instead of a crash log.
import * as net from "net";
import { ClusterError } from "./errors";

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/** Resolves when `port` is free on 127.0.0.1; a ClusterError naming it and `what` when it is taken. */
export async function ensurePortFree(port: number, what: string): Promise<void> {
  try {
    await listenOnce(port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "is already in use" : code === "EACCES" ? "needs privileges to bind" : `cannot be bound (${code})`;
    throw new ClusterError(`port ${port} on 127.0.0.1 (${what}) ${why}: stop what listens there, or choose another with --port`);
  }
}

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiServer: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

/** The API server on `apiServer` when given (checked), every other port picked free. */
export async function pickPorts(apiServer?: number): Promise<ClusterPorts> {
  if (apiServer !== undefined) await ensurePortFree(apiServer, "the API server");
  // Picked one after another while each is briefly held, so no two of them are the same.
  const picked = new Set<number>(apiServer !== undefined ? [apiServer] : []);
  const next = async () => {
    for (;;) {
      const port = await freePort();
      if (!picked.has(port)) return (picked.add(port), port);
    }
  };
  return {
    apiServer: apiServer ?? (await next()),
    etcdClient: await next(),
    etcdPeer: await next(),
    controllerManager: await next(),
    scheduler: await next(),
    kwok: await next(),
  };
}
