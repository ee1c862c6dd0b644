// A minimal Kubernetes API client over https with a bearer token: enough to seed the cluster,
// wait for it, and read objects back in the end-to-end tests (never through Pulumi state).
import * as https from "https";
import { KubeAccess, readKubeconfig } from "./kubeconfig";

export interface ApiResponse {
  status: number;
  body: any;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: any,
  ) {
    super(`${method} ${path}: HTTP ${status}${body?.message ? `: ${body.message}` : ""}`);
    this.name = "ApiError";
  }
}

export class KubeApi {
  constructor(readonly access: KubeAccess) {}

  static fromKubeconfig(file: string): KubeApi {
    return new KubeApi(readKubeconfig(file));
  }

  /** Any request; resolves with the status and parsed body whatever the status (rejects on network errors). */
  request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<ApiResponse> {
    const url = new URL(path, this.access.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.access.ca,
          // A fresh connection per request: a kept-alive socket the server has closed fails with "socket hang up".
          agent: false,
          headers: {
            Authorization: `Bearer ${this.access.token}`,
            Accept: "application/json",
            ...(payload ? { "Content-Type": contentType, "Content-Length": payload.length } : {}),
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* plain text, e.g. /readyz */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url.href} timed out`)));
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** GET that must succeed. */
  async get(path: string): Promise<any> {
    const res = await this.request("GET", path);
    if (res.status !== 200) throw new ApiError("GET", path, res.status, res.body);
    return res.body;
  }

  /** GET, or undefined on 404. */
  async find(path: string): Promise<any | undefined> {
    const res = await this.request("GET", path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new ApiError("GET", path, res.status, res.body);
    return res.body;
  }

  /** The items of a list path (e.g. /api/v1/namespaces?labelSelector=...). */
  async list(path: string): Promise<any[]> {
    return (await this.get(path)).items ?? [];
  }

  /** POST that must create (201) or already exist (409 is returned, not thrown, when allowed). */
  async create(path: string, obj: unknown, allowExisting = false): Promise<any> {
    const res = await this.request("POST", path, obj);
    if (res.status === 201 || res.status === 200 || (allowExisting && res.status === 409)) return res.body;
    throw new ApiError("POST", path, res.status, res.body);
  }
}
