// A credential that is supplied (from secret config) or generated with @pulumi/random; either way it
// is only ever a Pulumi secret, so it stays encrypted in state.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** The supplied value, or a generated password without special characters, wrapped in pulumi.secret. */
export function suppliedOrGenerated(
  resourceName: string,
  supplied: pulumi.Input<string> | undefined,
  generate: { length: number } & Partial<random.RandomPasswordArgs>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  if (supplied !== undefined) return pulumi.secret(supplied);
  // The provider marks `result` secret; saying so here keeps it secret whatever engine runs this.
  return pulumi.secret(new random.RandomPassword(resourceName, { special: false, ...generate }, opts).result);
}
