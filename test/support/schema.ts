// Validates Kubernetes objects against the official OpenAPI schema (as compiled by kubernetes-models)
// and, strictly, rejects fields the schema does not know. The stock validators ignore unknown
// fields (Kubernetes' schema has no additionalProperties: false), so a misspelt `replcas` passes
// them; here every field the validator never looks at is reported as unknown.

/** Custom resources whose CRDs ship with third-party charts: no official schema to check against. */
export const KINDS_WITHOUT_SCHEMA = new Set(["operator.tigera.io/v1/Installation"]);

type Validate = (this: unknown) => void;

/** API groups whose official schemas ship in their own kubernetes-models package. */
const GROUP_PACKAGES: Record<string, string> = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  // Istio's CRD schemas (PeerAuthentication, AuthorizationPolicy, VirtualService, DestinationRule).
  "security.istio.io": "@kubernetes-models/istio",
  "networking.istio.io": "@kubernetes-models/istio",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/** The model class for an object's apiVersion and kind, when a schema package has one. */
function modelClass(apiVersion: string, kind: string): { prototype: { validate?: Validate } } | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = GROUP_PACKAGES[group] ?? "kubernetes-models";
  const modulePath = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath)[kind];
  } catch {
    return undefined;
  }
}

/**
 * Wraps `value` so that reading a property marks it as known. An object whose keys the validator
 * enumerates (a map such as `labels`) has all its keys known.
 */
function tracked(value: unknown, path: string, pending: Array<() => string[]>): unknown {
  if (!value || typeof value !== "object") return value;
  const read = new Set<string>();
  let enumerated = false;
  const target = value as Record<string, unknown>;
  pending.push(() =>
    enumerated || Array.isArray(value)
      ? []
      : Object.keys(target)
          .filter((k) => !read.has(k))
          .map((k) => `${path}.${k}`),
  );
  const children = new Map<string, unknown>();
  return new Proxy(target, {
    get(t, key) {
      if (typeof key !== "string") return Reflect.get(t, key);
      read.add(key);
      if (!children.has(key)) children.set(key, tracked(t[key], Array.isArray(t) ? `${path}[${key}]` : `${path}.${key}`, pending));
      return children.get(key);
    },
    has(t, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

/** Problems with one object: schema violations and unknown fields. Empty when it is valid. */
export function schemaProblems(obj: Record<string, any>): string[] {
  const id = `${obj.kind} ${obj.metadata?.namespace ? obj.metadata.namespace + "/" : ""}${obj.metadata?.name}`;
  if (KINDS_WITHOUT_SCHEMA.has(`${obj.apiVersion}/${obj.kind}`)) return [];
  const model = modelClass(obj.apiVersion, obj.kind);
  const validate = model?.prototype?.validate;
  if (!model || !validate) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const pending: Array<() => string[]> = [];
  const problems: string[] = [];
  try {
    // Some model generations find their schema through the prototype, so validate a copy that has it
    // (a deep one: the harness freezes recorded inputs, and a proxy may not wrap frozen fields).
    validate.call(tracked(Object.assign(Object.create(model.prototype), structuredClone(obj)), "", pending));
  } catch (e) {
    problems.push(`${id}: ${(e as Error).message}`);
  }
  // A CRD's schema nests schemas (items, additionalProperties, x-kubernetes-*) the models type as
  // "any": the validator never reads inside them, so the strict check stops at openAPIV3Schema.
  const opaque = (field: string) => obj.kind === "CustomResourceDefinition" && /\.openAPIV3Schema\./.test(field);
  for (const unknown of pending.flatMap((f) => f()).filter((f) => !opaque(f))) problems.push(`${id}: unknown field ${unknown.slice(1)}`);
  return problems;
}
