// Reading what a mock run recorded: secret wrappers, Kubernetes objects by kind and name.
import type { Registered } from "./harness";

// The wire's marker of a secret value (the SDK's rpc.specialSigKey and specialSecretSig).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecret(v: unknown): v is { value: unknown } {
  return !!v && typeof v === "object" && (v as any)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Inputs with secret wrappers removed, for asserting on values. */
export function reveal<T = any>(v: T): T {
  if (isSecret(v)) return reveal(v.value) as T;
  if (Array.isArray(v)) return v.map(reveal) as T;
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)])) as T;
  return v;
}

/** Every string in the inputs that is NOT inside a secret wrapper. */
export function plainStrings(v: unknown, out: string[] = []): string[] {
  if (isSecret(v)) return out;
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => plainStrings(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => plainStrings(x, out));
  return out;
}

/** Kubernetes objects (custom resources with apiVersion/kind), revealed. */
export function kubernetesObjects(resources: Registered[]): Registered[] {
  return resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.inputs.kind && r.type !== "pulumi:providers:kubernetes");
}

export function find(resources: Registered[], kind: string, name: string, namespace?: string): Registered {
  const hit = resources.find(
    (r) => r.inputs.kind === kind && r.inputs.metadata?.name === name && (namespace === undefined || r.inputs.metadata?.namespace === namespace),
  );
  if (!hit) throw new Error(`no ${kind} ${namespace ? namespace + "/" : ""}${name} among ${resources.length} resources`);
  return hit;
}

export function ofKind(resources: Registered[], kind: string): Registered[] {
  return resources.filter((r) => r.inputs.kind === kind);
}
