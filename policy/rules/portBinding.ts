// VII. Port binding: a service exports itself by listening on a declared port, reached through a
// Service that selects it, not through the node's network.
import { describeResource, resourceRule, stackRule, StackWorkload, workloadRule } from "../lib/rule";
import { containersOf, LONG_RUNNING } from "../lib/workloads";

export const namedContainerPorts = workloadRule({
  name: "named-container-ports",
  factor: "VII. Port binding",
  checks: "Every container of a long-running workload declares the ports it listens on, each with a name.",
  remediation: 'declare ports: [{ name: "http", containerPort: 8080 }] and target the name from the Service',
  severity: "low",
  kinds: LONG_RUNNING,
  check(w, _cfg, report) {
    for (const { container, init, where } of containersOf(w.podSpec)) {
      if (init) continue;
      const ports = (container.ports ?? []) as Record<string, any>[];
      if (ports.length === 0) report(`${where} declares no ports`);
      for (const p of ports.filter((x) => !x.name)) report(`${where} port ${p.containerPort} has no name`);
    }
  },
});

const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

function declares(w: StackWorkload, target: string | number): boolean {
  return containersOf(w.podSpec).some(
    ({ container, init }) =>
      !init && ((container.ports ?? []) as Record<string, any>[]).some((p) => (typeof target === "string" ? p.name === target : p.containerPort === target)),
  );
}

export const serviceTargetsWorkload = stackRule({
  name: "service-targets-workload",
  factor: "VII. Port binding",
  checks: "Each Service's selector matches the pods of a workload in the stack, and each targetPort is a port those pods declare (by name when named).",
  remediation: "fix the Service selector or targetPort, or declare the port on the container",
  severity: "medium",
  // A Service must find its pods whoever runs them, so exemptions do not hide workloads here.
  exemptible: false,
  check(resources, workloads, _cfg, report) {
    for (const r of resources.filter((x) => /^kubernetes:core\/v1:Service$/.test(x.type))) {
      const spec = r.props.spec ?? {};
      // No selector: endpoints are managed elsewhere (ExternalName, manual Endpoints).
      if (spec.type === "ExternalName" || !spec.selector || Object.keys(spec.selector).length === 0) continue;
      const ns = r.props.metadata?.namespace ?? "default";
      const matched = workloads.filter((w) => w.namespace === ns && selects(spec.selector, w.podLabels));
      if (matched.length === 0) {
        report(r, describeResource(r), `selector ${JSON.stringify(spec.selector)} matches no workload in namespace ${ns}`);
        continue;
      }
      for (const p of (spec.ports ?? []) as Record<string, any>[]) {
        const target = p.targetPort ?? p.port;
        if (!matched.some((w) => declares(w, target))) {
          report(r, describeResource(r), `port ${p.name ?? p.port} targets ${JSON.stringify(target)}, which no selected container declares`);
        }
      }
    }
  },
});

interface HostPortConfig {
  allowedHostPorts?: number[];
}

export const noHostPortOrNetwork = workloadRule<HostPortConfig>({
  name: "no-host-port-or-network",
  factor: "VII. Port binding",
  checks: "No hostNetwork and no hostPort (hostPort 0 or unset means none): pods bind their own ports and are reached through Services.",
  choice:
    "no host port at all by default, stricter than the baseline Pod Security level (which lets a cluster allow a known list); allowedHostPorts names the ports a platform accepts.",
  remediation: "remove hostNetwork/hostPort and expose the port with a Service (system daemons: add a named exemption)",
  severity: "high",
  config: {
    allowedHostPorts: {
      type: "array",
      default: [],
      items: { type: "integer", minimum: 1, maximum: 65535 },
      description: "Host ports containers may bind (the baseline Pod Security level's known list); none by default.",
    },
  },
  check(w, cfg, report) {
    const allowed = new Set(cfg.allowedHostPorts ?? []);
    if (w.podSpec.hostNetwork === true) report("uses hostNetwork");
    for (const { container, where } of containersOf(w.podSpec)) {
      for (const p of (container.ports ?? []) as Record<string, any>[]) {
        // 0 (and unset) is the API's "no host port".
        if (p.hostPort && !allowed.has(p.hostPort)) report(`${where} binds hostPort ${p.hostPort}`);
      }
    }
  },
});

export const noNodePortOrExternalIps = resourceRule({
  name: "no-node-port-or-external-ips",
  factor: "VII. Port binding",
  checks:
    "Services are not of type NodePort and set no externalIPs: a port opened on every node bypasses the ingress path, and externalIPs let a Service claim any address (CVE-2020-8554).",
  choice:
    "LoadBalancer Services are allowed (the cloud load balancer is the way in); exposing a node port is a deliberate exception through a Gateway, Ingress or LoadBalancer instead.",
  remediation: "use a ClusterIP Service behind the Gateway or an Ingress, or type LoadBalancer; remove spec.externalIPs",
  severity: "high",
  types: /^kubernetes:core\/v1:Service$/,
  check(props, _cfg, report) {
    if (props.spec?.type === "NodePort") report("is of type NodePort");
    const external = (props.spec?.externalIPs ?? []) as string[];
    if (external.length) report(`sets externalIPs ${external.join(", ")}`);
  },
});

export const portBindingRules = [namedContainerPorts, serviceTargetsWorkload, noHostPortOrNetwork, noNodePortOrExternalIps];
