// Pure builders for the Prometheus Operator's ServiceMonitor and PodMonitor objects (CRDs in the
// monitoring.coreos.com/v1 group): what to scrape, where, and on which port and path.

export const MONITOR_API_VERSION = "monitoring.coreos.com/v1";

export interface ScrapeTarget {
  /** ServiceMonitor scrapes through a Service's named port; PodMonitor scrapes pods directly. */
  kind: "ServiceMonitor" | "PodMonitor";
  /** The monitor's name in the monitoring namespace (unique there). */
  name: string;
  /** The namespace the scraped Services or pods live in. */
  namespace: string;
  /** Labels of the Services (ServiceMonitor) or pods (PodMonitor) to scrape. */
  selector: Record<string, string>;
  /** A named port, or (PodMonitor only) a container port number that has no name. */
  port: string | number;
  /** @default "/metrics" */
  path?: string;
}

export const MONITOR_DEFAULTS = { path: "/metrics", interval: "30s" };

/** The monitor's spec: one endpoint, the target's namespace only. */
export function monitorSpec(t: ScrapeTarget, interval: string = MONITOR_DEFAULTS.interval): Record<string, unknown> {
  const endpoint: Record<string, unknown> = { path: t.path ?? MONITOR_DEFAULTS.path, interval, scheme: "http" };
  if (typeof t.port === "string") endpoint.port = t.port;
  else if (t.kind === "PodMonitor")
    endpoint.targetPort = t.port; // CRDs before portNumber know only this field
  else throw new Error(`${t.name}: a ServiceMonitor scrapes a named Service port, got ${t.port}`);
  return {
    // Series carry the pod's own labels (app name, team) rather than the monitor's.
    jobLabel: "app.kubernetes.io/name",
    namespaceSelector: { matchNames: [t.namespace] },
    selector: { matchLabels: t.selector },
    [t.kind === "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints"]: [endpoint],
  };
}
