// VII. Port binding: a service exports itself by listening on a declared port, reached through a
// Service that selects it, not through the node's network.
import { describeResource, stackRule, StackWorkload, workloadRule } from "../lib/rule";
import { containersOf } from "../lib/workloads";

export const namedContainerPorts = workloadRule({
  name: "named-container-ports",
  factor: "VII. Port binding",
  checks: "Every container of a long-running workload declares the ports it listens on, each with a name.",
  remediation: 'declare ports: [{ name: "http", containerPort: 8080 }] and target the name from the Service',
  severity: "low",
  check(w, _cfg, report) {
    if (!w.longRunning) return;
    for (const { container, init, where } of containersOf(w.podSpec)) {
      if (init) continue;
      const ports = (container.ports ?? []) as Record<string, any>[];
      if (ports.length === 0) report(`${where} declares no ports`);
      for (const p of ports.filter((x) => !x.name)) report(`${where} port ${p.containerPort} has no name`);
    }
  },
});

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function declares(w: StackWorkload, target: string | number): boolean {
  return containersOf(w.podSpec).some(({ container, init }) =>
    !init && ((container.ports ?? []) as Record<string, any>[]).some((p) => (typeof target === "string" ? p.name === target : p.containerPort === target)));
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

export const noHostPortOrNetwork = workloadRule({
  name: "no-host-port-or-network",
  factor: "VII. Port binding",
  checks: "No hostNetwork and no hostPort: pods bind their own ports and are reached through Services.",
  remediation: "remove hostNetwork/hostPort and expose the port with a Service (system daemons: add a named exemption)",
  severity: "high",
  check(w, _cfg, report) {
    if (w.podSpec.hostNetwork === true) report("uses hostNetwork");
    for (const { container, where } of containersOf(w.podSpec)) {
      for (const p of (container.ports ?? []) as Record<string, any>[]) {
        if (p.hostPort !== undefined) report(`${where} binds hostPort ${p.hostPort}`);
      }
    }
  },
});

export const portBindingRules = [namedContainerPorts, serviceTargetsWorkload, noHostPortOrNetwork];
