// The floor: the program's recorded resources registered again, flat, through the same recording
// mocks, so program / floor is what our config parsing, components and helpers cost on top.
//
// Two floors. "typed" constructs each resource with the SDK class the program used (a
// k8s.apps.v1.Deployment, a random.RandomPassword, ...), so it sends the same registration: the
// classes' aliases (a Deployment carries three, each computed as Outputs in its constructor) and
// output placeholders (`status`) included, and the Kubernetes provider. "generic" is the earlier
// floor: every custom resource as a plain CustomResource with only the recorded inputs.
// Both leave out what the program's structure adds: parents, dependsOn and Outputs passed between
// resources. Both yield to the runtime where the program did (see stacks/yieldToRuntime.ts).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { yieldToRuntime } from "../stacks/yieldToRuntime";
import { isSecret, Registered, waitForRegistrations } from "../testing/harness";

export type FloorKind = "typed" | "generic";

/** CustomResource is abstract; the generic floor needs nothing but its constructor. */
class FlatResource extends pulumi.CustomResource {}

type SdkClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

/** The typed class the SDKs define for a type token, e.g. kubernetes:apps/v1:Deployment -> k8s.apps.v1.Deployment. */
function lookUpSdkClass(type: string): SdkClass | undefined {
  if (type === "pulumi:providers:kubernetes") return k8s.Provider;
  if (type === "random:index/randomPassword:RandomPassword") return random.RandomPassword;
  const token = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!token) return undefined;
  const [, group, version, kind] = token;
  // API groups map to SDK modules by their first label: rbac.authorization.k8s.io -> rbac.
  const module = (k8s as any)[group.split(".")[0]]?.[version]?.[kind];
  return module?.__pulumiType === type ? module : undefined;
}

// Looked up while timed: the SDK loads a class's module on first use, in the program too.
const sdkClasses = new Map<string, SdkClass | undefined>();
function sdkClassFor(type: string): SdkClass | undefined {
  if (!sdkClasses.has(type)) sdkClasses.set(type, lookUpSdkClass(type));
  return sdkClasses.get(type);
}

/**
 * Recorded inputs hold secrets as the wire's wrapper objects. Top-level ones go back in as
 * secret Outputs, as the program passed them: classes that mark a field secret themselves
 * (Secret's stringData) would otherwise wrap the wrapper.
 */
function asProgramInputs(inputs: Record<string, any>): Record<string, any> {
  const secretKeys = Object.keys(inputs).filter((k) => isSecret(inputs[k]));
  if (secretKeys.length === 0) return inputs;
  const args = { ...inputs };
  for (const k of secretKeys) args[k] = pulumi.secret(inputs[k].value);
  return args;
}

/** Registers one recorded resource the way the floor of `kind` does. */
function registerFlat(r: Registered, kind: FloorKind, provider?: k8s.Provider): pulumi.Resource {
  if (!r.custom && (kind === "generic" || r.type.startsWith("platform:"))) return new pulumi.ComponentResource(r.type, r.name, {});
  if (kind === "generic") return new FlatResource(r.type, r.name, r.inputs);
  const opts = provider && r.type.startsWith("kubernetes:") ? { provider } : {};
  const cls = sdkClassFor(r.type);
  if (cls) return new cls(r.name, asProgramInputs(r.inputs), opts);
  // Kinds the Kubernetes SDK has no class for (Gateway API, Calico): the program used CustomResource too.
  if (r.type.startsWith("kubernetes:")) return new k8s.apiextensions.CustomResource(r.name, r.inputs as any, opts);
  return new FlatResource(r.type, r.name, r.inputs);
}

/** Registers `resources` flat, yielding between the program's turns, and resolves when all are answered. */
export async function registerFloor(resources: Registered[], turns: number[], kind: FloorKind): Promise<void> {
  let provider: k8s.Provider | undefined;
  for (let i = 0; i < resources.length; i++) {
    if (i > 0 && turns[i] !== turns[i - 1]) await yieldToRuntime();
    const resource = registerFlat(resources[i], kind, provider);
    if (resource instanceof k8s.Provider) provider = resource;
  }
  await waitForRegistrations();
}
