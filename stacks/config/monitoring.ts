// platform:monitoring — the Prometheus Operator stack (kube-prometheus-stack, official chart), what it
// scrapes (ServiceMonitor/PodMonitor objects) and metrics-server for the HPAs' resource metrics.
import * as fs from "fs";
import { z } from "zod";
import { chartSource } from "./cluster";
import { dnsLabel, isLabelValue, labelledImage, pinnedByDigest, quantity } from "./primitives";
import { field, Issue, text } from "./salvage";

/** The prometheus plugin exposes Jenkins' metrics at /prometheus; a plugin list must name it when Jenkins is scraped. */
export const JENKINS_PROMETHEUS_PLUGIN = /^prometheus:\S+/m;

const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, { error: 'expected a Prometheus duration like "30s" or "10d"' });
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelKey = z.string().regex(LABEL_KEY, { error: 'expected a label key like "release" or "example.com/team"' });
const labelValue = z.string().refine(isLabelValue, { error: "expected a label value (at most 63 letters, digits, '-', '_' or '.')" });

const prometheusStack = z.strictObject({
  /** false: the operator and its CRDs come from elsewhere (another stack); only the monitors are created. */
  install: z.boolean().default(true),
  /** Official kube-prometheus-stack chart, pinned; `path` for air-gapped clusters. */
  chart: chartSource,
  retention: duration.default("10d"),
  storage: z.strictObject({ size: quantity.default("20Gi"), storageClass: z.string().min(1).optional() }).default({ size: "20Gi" }),
  grafana: z.boolean().default(true),
});

const scrape = z.strictObject({
  jenkins: z.boolean().default(true),
  harbor: z.boolean().default(true),
  logCollector: z.boolean().default(true),
  apps: z.boolean().default(true),
});

const metricsServer = z.strictObject({
  /** The official image is published on the Kubernetes project's registry only: name your mirror of it. */
  image: labelledImage,
  /** Kubelets with self-signed serving certificates (kind, kubeadm defaults): skip their verification. */
  kubeletInsecureTls: z.boolean().default(false),
});

export const monitoringSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Where the chart runs (and metrics-server's RBAC subjects live in kube-system regardless). */
  namespace: dnsLabel.default("monitoring"),
  prometheusStack: prometheusStack.optional(),
  /** Labels on every ServiceMonitor/PodMonitor, e.g. the `release` label an existing Prometheus selects on. */
  monitorLabels: z.record(labelKey, labelValue).default({}),
  scrapeInterval: duration.default("30s"),
  scrape: scrape.default({ jenkins: true, harbor: true, logCollector: true, apps: true }),
  /** Installs metrics-server (plain manifests, restricted pod): HPAs need the resource metrics API. */
  metricsServer: metricsServer.optional(),
});

export type MonitoringConfig = z.infer<typeof monitoringSchema>;

/** Rules that span monitoring and other sections, on config as far as it parsed. */
export function checkMonitoring(c: unknown, issue: Issue): void {
  const m = field(c, "monitoring");
  if (m === undefined || field(m, "enabled") === false) return;
  const prod = field(c, "environment") === "prod";
  const ms = field(m, "metricsServer");
  const msImage = text(ms, "image");
  if (prod && msImage !== undefined && !pinnedByDigest(msImage) && /[:@]/.test(msImage)) {
    issue(
      ["monitoring", "metricsServer", "image"],
      `prod pins images by digest, but "${msImage}" is a tag; mirror it into the prod registry and use "<registry>/<repository>@sha256:<digest>"`,
    );
  }
  const teams = new Set((Array.isArray(field(c, "teams")) ? (field(c, "teams") as unknown[]) : []).map((t) => text(t, "name")));
  const ns = text(m, "namespace") ?? "monitoring";
  if (teams.has(ns)) issue(["monitoring", "namespace"], `"${ns}" is a team's namespace; monitoring needs its own`);

  // The custom Jenkins image bakes its plugin list in: scraping Jenkins needs the prometheus plugin there.
  const jenkins = field(c, "jenkins");
  const scrapesJenkins = field(field(m, "scrape"), "jenkins") !== false;
  if (scrapesJenkins && jenkins !== undefined && field(jenkins, "enabled") !== false && field(field(jenkins, "image"), "build") === true) {
    const file = text(jenkins, "pluginsFile") ?? "images/jenkins/plugins.txt";
    if (fs.existsSync(file) && !JENKINS_PROMETHEUS_PLUGIN.test(fs.readFileSync(file, "utf8"))) {
      issue(
        ["jenkins", "pluginsFile"],
        `monitoring scrapes Jenkins at /prometheus, and the custom image bakes this list: add the prometheus plugin (a "prometheus:<version>" line) to ${file}, or set monitoring.scrape.jenkins: false`,
      );
    }
  }
}
