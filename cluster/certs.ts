// The cluster's certificates and keys, made with openssl (Debian ships it): a CA for the API
// server's serving certificate, the service-account signing key pair, and the front-proxy CA
// and client certificate. Without the front-proxy CA the API server publishes no request-header
// settings, and the controller manager and scheduler wait for them forever.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ClusterLayout } from "./layout";
import { ClusterError } from "./errors";

/** Names the API server's certificate must carry: how clients on this machine and in pods reach it. */
const API_SERVER_NAMES = [
  "IP:127.0.0.1",
  "DNS:localhost",
  "DNS:kubernetes",
  "DNS:kubernetes.default",
  "DNS:kubernetes.default.svc",
  "DNS:kubernetes.default.svc.cluster.local",
  "IP:10.96.0.1",
];

function openssl(args: string[], cwd: string): void {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (result.error)
    throw new ClusterError(
      `openssl is needed to make the cluster's certificates and was not found (${result.error.message}); install it (Debian: apt-get install openssl)`,
    );
  if (result.status !== 0) throw new ClusterError(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

function newCa(layout: ClusterLayout, name: string, subject: string): void {
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", layout.key(name), "-out", layout.cert(name), "-days", "3650", "-subj", `/CN=${subject}`],
    layout.certs,
  );
}

function newLeaf(layout: ClusterLayout, name: string, ca: string, subject: string, extensions: string): void {
  const csr = path.join(layout.certs, `${name}.csr`);
  const ext = path.join(layout.certs, `${name}.ext`);
  fs.writeFileSync(ext, extensions);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", layout.key(name), "-out", csr, "-subj", `/CN=${subject}`], layout.certs);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      layout.cert(ca),
      "-CAkey",
      layout.key(ca),
      "-CAcreateserial",
      "-out",
      layout.cert(name),
      "-days",
      "365",
      "-extfile",
      ext,
    ],
    layout.certs,
  );
  fs.rmSync(csr);
  fs.rmSync(ext);
}

export function makeCertificates(layout: ClusterLayout): void {
  fs.mkdirSync(layout.certs, { recursive: true });
  newCa(layout, "ca", "platform-loopback-ca");
  newLeaf(
    layout,
    "apiserver",
    "ca",
    "kube-apiserver",
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${API_SERVER_NAMES.join(",")}\n`,
  );
  newCa(layout, "front-proxy-ca", "platform-loopback-front-proxy-ca");
  newLeaf(
    layout,
    "front-proxy-client",
    "front-proxy-ca",
    "front-proxy-client",
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
  );
  // Service-account tokens: the controller manager signs with the key, the API server verifies.
  openssl(["genrsa", "-out", layout.key("service-account"), "2048"], layout.certs);
  openssl(["rsa", "-in", layout.key("service-account"), "-pubout", "-out", path.join(layout.certs, "service-account.pub")], layout.certs);
}
