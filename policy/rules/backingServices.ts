// IV. Backing services: a database or queue is an attached resource, located by config that can
// change per deploy without touching the workload.
import { workloadRule } from "../lib/rule";
import { secretInValue } from "../lib/secrets";
import { containersOf } from "../lib/workloads";

// Names that carry a backing service's location.
const CONNECTION_NAME = /(^|_)(HOST|HOSTNAME|URL|URI|DSN|ENDPOINT|ADDR|ADDRESS|SERVER|SERVERS|BROKERS?|CONNECTION(_STRING)?|DATABASE)(_|$)/;
// Where the process listens, not where it connects.
const BIND_NAME = /(^|_)(LISTEN|BIND)(_|$)/;
const LOOPBACK_OR_IP = /\blocalhost\b|(^|[^\d.])(\d{1,3}\.){3}\d{1,3}([^\d.]|$)|\[?::1\]?(:|$)/;

export const backingServicesByReference = workloadRule({
  name: "backing-service-by-reference",
  factor: "IV. Backing services",
  checks:
    "Env values hold no localhost, IP-literal or credential-bearing addresses, and connection settings (*_HOST, *_URL, *_DSN, DATABASE_* ...) come from a ConfigMap or Secret.",
  remediation: "put the address in a ConfigMap (or the whole connection in a Secret) and use valueFrom/envFrom; address services by DNS name",
  severity: "medium",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      for (const env of (container.env ?? []) as Record<string, any>[]) {
        if (typeof env.value !== "string") continue;
        const name = String(env.name).toUpperCase();
        if (BIND_NAME.test(name)) continue;
        if (secretInValue(env.value)) report(`${where} env ${env.name} embeds credentials in an address`);
        else if (LOOPBACK_OR_IP.test(env.value)) report(`${where} env ${env.name}="${env.value}" points at localhost or a fixed IP`);
        else if (CONNECTION_NAME.test(name)) report(`${where} env ${env.name} is a literal connection setting`);
      }
    }
  },
});

export const backingServiceRules = [backingServicesByReference];
