// Registry credentials as a Kubernetes dockerconfigjson Secret (pull secrets, image-builder push secrets).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Credentials for one registry host (a Harbor robot account). */
export interface RegistryCredentials {
  server: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}

/** A `kubernetes.io/dockerconfigjson` Secret for one registry; its content is only ever a Pulumi secret. */
export function dockerConfigSecret(
  name: string,
  metadata: k8s.types.input.meta.v1.ObjectMeta,
  r: RegistryCredentials,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  const dockerConfig = pulumi
    .all([r.server, r.username, r.password])
    .apply(([server, user, pass]) =>
      JSON.stringify({ auths: { [server]: { username: user, password: pass, auth: Buffer.from(`${user}:${pass}`).toString("base64") } } }),
    );
  return new k8s.core.v1.Secret(
    name,
    {
      metadata,
      type: "kubernetes.io/dockerconfigjson",
      stringData: { ".dockerconfigjson": pulumi.secret(dockerConfig) },
    },
    opts,
  );
}
