// III. Config: credentials live in Secrets and reach the process by reference, never as literals.
import { resourceRule, workloadRule } from "../lib/rule";
import { looksSecretName, secretInValue } from "../lib/secrets";
import { containersOf } from "../lib/workloads";

export const secretsFromSecretRefs = workloadRule({
  name: "secret-env-from-secret-ref",
  factor: "III. Config",
  checks:
    "Env vars whose names look like credentials (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL ...) take their value from a Secret (secretKeyRef), and no literal env value is a secret.",
  remediation: "store the value in a Secret and use env[].valueFrom.secretKeyRef (or envFrom.secretRef)",
  severity: "critical",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      for (const env of (container.env ?? []) as Record<string, any>[]) {
        const fromSecret = env.valueFrom?.secretKeyRef !== undefined;
        if (looksSecretName(env.name) && !fromSecret) {
          report(`${where} env ${env.name} looks like a credential but ${env.value !== undefined ? "is a literal value" : "does not come from a Secret"}`);
          continue;
        }
        const leaked = typeof env.value === "string" ? secretInValue(env.value) : undefined;
        if (leaked) report(`${where} env ${env.name} holds ${leaked} as a literal`);
      }
    }
  },
});

export const configMapNoSecrets = resourceRule({
  name: "configmap-no-secrets",
  factor: "III. Config",
  checks: "ConfigMaps hold no credential-named keys and no secret-looking values (PEM keys, access keys, user:pass@ URLs).",
  remediation: "move the value into a Secret (pulumi config set --secret, then a k8s Secret) and reference it",
  severity: "critical",
  types: /^kubernetes:core\/v1:ConfigMap$/,
  check(props, _cfg, report) {
    for (const section of ["data", "binaryData"]) {
      for (const [key, value] of Object.entries<unknown>(props[section] ?? {})) {
        if (looksSecretName(key)) report(`${section} key "${key}" looks like a credential`);
        const leaked = typeof value === "string" ? secretInValue(value) : undefined;
        if (leaked) report(`${section} key "${key}" contains ${leaked}`);
      }
    }
  },
});

export const configRules = [secretsFromSecretRefs, configMapNoSecrets];
