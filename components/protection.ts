// Options for what holds data or identity: in prod Pulumi may neither delete nor replace it, and a
// removal from the program leaves it in the cluster.
import type * as pulumi from "@pulumi/pulumi";

/** `protect` and `retainOnDelete` together, under `parent`, plus any other options. */
export function keepOptions(parent: pulumi.Resource, protect: boolean | undefined, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { parent, protect, retainOnDelete: protect, ...extra };
}
