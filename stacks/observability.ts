// Monitoring and the in-cluster log store, from validated config: what to scrape, where the log
// collector ships, and the few settings other parts take from them (NetworkPolicy peers, plugins).
import * as pulumi from "@pulumi/pulumi";
import { selectorLabels } from "../components/labels";
import { LogCollectorArgs } from "../components/logCollector";
import { LogStore } from "../components/logStore";
import { MetricsServer } from "../components/metricsServer";
import { Monitoring } from "../components/monitoring";
import type { ScrapeTarget } from "../components/monitors";
import { type PlatformConfig, secretInput } from "./config";
import { JENKINS_PROMETHEUS_PLUGIN } from "./config/monitoring";

/** Appended to the Jenkins plugin list when monitoring scrapes Jenkins and the list lacks it. */
export const PROMETHEUS_PLUGIN = "prometheus:856.vc9e3d6e4b_b_9e";
/** Where the prometheus plugin serves metrics (Jenkins runs at the root context). */
export const JENKINS_METRICS_PATH = "/prometheus";
/** fluent-bit's HTTP server (LogCollector, port `http`, 2020) serves Prometheus text here. */
export const FLUENT_BIT_METRICS_PATH = "/api/v2/metrics/prometheus";
/** The Harbor chart names its metrics ports so (plain HTTP inside the cluster), and labels its Services with app and release. */
export const HARBOR_METRICS = { port: "http-metrics", path: "/metrics", release: "harbor" };

export interface ObservabilityOutputs {
  kibanaUrl?: string;
  grafanaAdminPassword?: pulumi.Output<string>;
  monitors?: string[];
}

const monitoring = (cfg: PlatformConfig) => (cfg.monitoring?.enabled ? cfg.monitoring : undefined);

/** Apps whose config declares a metrics endpoint (scraped when monitoring.scrape.apps). */
function scrapedApps(cfg: PlatformConfig) {
  return monitoring(cfg)?.scrape.apps ? cfg.apps.filter((a) => a.metrics) : [];
}

/**
 * Each team's ingress peers, plus the monitoring namespace where one of its apps is scraped.
 * One pass over the apps for all teams: per team it would grow with teams × apps.
 */
export function teamsIngressFrom(cfg: PlatformConfig): Map<string, string[]> {
  const m = monitoring(cfg);
  const scraped = new Set(scrapedApps(cfg).map((a) => a.team));
  return new Map(
    cfg.teams.map((t) => {
      const allowed = t.allowIngressFrom;
      return [t.name, m && scraped.has(t.name) && !allowed.includes(m.namespace) ? [...allowed, m.namespace] : allowed];
    }),
  );
}

/** Jenkins' UI peers, plus the monitoring namespace when Prometheus scrapes /prometheus on the same port. */
export function jenkinsIngressFrom(cfg: PlatformConfig, allowed: string[]): string[] {
  const m = monitoring(cfg);
  return m?.scrape.jenkins && !allowed.includes(m.namespace) ? [...allowed, m.namespace] : allowed;
}

/** The Jenkins plugin list, with the prometheus plugin when Jenkins is scraped. */
export function jenkinsPlugins(cfg: PlatformConfig, plugins: string): string {
  if (!monitoring(cfg)?.scrape.jenkins || JENKINS_PROMETHEUS_PLUGIN.test(plugins)) return plugins;
  return `${plugins.replace(/\n*$/, "\n")}# Added by platform:monitoring (Jenkins metrics at ${JENKINS_METRICS_PATH}).\n${PROMETHEUS_PLUGIN}\n`;
}

/** Harbor's chart exposes metrics when config asks or monitoring scrapes it. */
export function harborMetrics(cfg: PlatformConfig): boolean {
  return !!cfg.harbor?.metrics || !!monitoring(cfg)?.scrape.harbor;
}

/** The in-cluster Elasticsearch + Kibana, when logging.store.inCluster. */
export function createLogStore(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions): LogStore | undefined {
  const s = cfg.logging.store;
  if (!s?.inCluster) return undefined;
  // Validated: prod needs acknowledgeSingleNode; it still deserves a line in every preview.
  if (cfg.environment === "prod") pulumi.log.warn("logging.store: the in-cluster Elasticsearch is a single node with no replica or snapshots (acknowledged)");
  return new LogStore(
    "log-store",
    {
      namespace: s.namespace,
      images: s.images,
      storage: s.storage,
      heap: s.heap,
      resources: s.resources,
      kibana: s.kibana,
      indexPrefix: cfg.logging.index,
      collectorNamespace: cfg.logging.namespace,
      allowIngressFrom: s.allowIngressFrom,
      protect: cfg.environment === "prod",
    },
    opts,
  );
}

/** Where and as whom the log collector ships: the in-cluster store, or the configured host. */
export function logDestination(
  cfg: PlatformConfig,
  store: LogStore | undefined,
): Pick<LogCollectorArgs, "host" | "port" | "tls" | "tlsVerify" | "user" | "password"> {
  const l = cfg.logging;
  if (store) return { host: store.host, port: store.port, tls: false, tlsVerify: false, user: store.shipperUser, password: store.shipperPassword };
  // Validated: host and port are set without the in-cluster store.
  return { host: l.host!, port: l.port!, tls: l.tls, tlsVerify: l.tlsVerify, user: l.user, password: secretInput(cfg.loggingPassword) };
}

/** One monitor per scraped thing: Jenkins, Harbor, fluent-bit and each app with a metrics endpoint. */
export function scrapeTargets(cfg: PlatformConfig): ScrapeTarget[] {
  const m = monitoring(cfg);
  if (!m) return [];
  const targets: ScrapeTarget[] = [];
  if (m.scrape.jenkins && cfg.jenkins?.enabled) {
    targets.push({
      kind: "ServiceMonitor",
      name: "jenkins",
      namespace: cfg.jenkins.namespace,
      selector: selectorLabels({ name: "jenkins" }),
      port: "http",
      path: JENKINS_METRICS_PATH,
    });
  }
  // A shared, external Harbor (harbor.enabled: false) is monitored where it runs.
  if (m.scrape.harbor && cfg.harbor?.enabled) {
    targets.push({
      kind: "ServiceMonitor",
      name: "harbor",
      namespace: cfg.harbor.namespace,
      selector: { app: "harbor", release: HARBOR_METRICS.release },
      port: HARBOR_METRICS.port,
      path: HARBOR_METRICS.path,
    });
  }
  if (m.scrape.logCollector && cfg.logging.enabled) {
    targets.push({
      kind: "PodMonitor",
      name: "fluent-bit",
      namespace: cfg.logging.namespace,
      selector: selectorLabels({ name: "fluent-bit" }),
      port: "http",
      path: FLUENT_BIT_METRICS_PATH,
    });
  }
  for (const app of scrapedApps(cfg)) {
    const metrics = app.metrics!;
    // The app's own port has a name (`db` for stateful apps, `http` otherwise); a separate one is scraped by number.
    const port = metrics.port === undefined || metrics.port === app.port ? (app.kind === "stateful" ? "db" : "http") : metrics.port;
    targets.push({
      kind: "PodMonitor",
      name: `${app.team}-${app.name}`,
      namespace: app.team,
      selector: { "app.kubernetes.io/name": app.name, "app.kubernetes.io/part-of": app.team },
      port,
      path: metrics.path,
    });
  }
  return targets;
}

/** True when some app runs under a HorizontalPodAutoscaler. */
export function hasHpas(cfg: PlatformConfig): boolean {
  return cfg.apps.some((a) => a.kind === "autoscaled" || (a.kind === "blueGreen" && a.autoscale !== undefined));
}

export const HPA_WARNING =
  "HorizontalPodAutoscalers need the resource metrics API: set platform:monitoring.metricsServer to install metrics-server, unless the cluster already runs one";

export function createMonitoring(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions): ObservabilityOutputs {
  const m = monitoring(cfg);
  // One warning, from the stack: components never see the whole config.
  if (hasHpas(cfg) && !m?.metricsServer) pulumi.log.warn(HPA_WARNING);
  if (!m) return {};
  if (m.metricsServer) new MetricsServer("metrics-server", { image: m.metricsServer.image, kubeletInsecureTls: m.metricsServer.kubeletInsecureTls }, opts);
  const stack = m.prometheusStack?.install ? m.prometheusStack : undefined;
  const mon = new Monitoring(
    "monitoring",
    {
      namespace: m.namespace,
      // A teams stack adds its monitors to the namespace the platform stack owns.
      createNamespace: cfg.scope !== "teams",
      prometheusStack: stack && { chart: stack.chart, retention: stack.retention, storage: stack.storage, grafana: stack.grafana },
      targets: scrapeTargets(cfg),
      monitorLabels: m.monitorLabels,
      scrapeInterval: m.scrapeInterval,
      protect: cfg.environment === "prod",
    },
    opts,
  );
  return { grafanaAdminPassword: mon.grafanaAdminPassword, monitors: mon.monitorNames };
}
