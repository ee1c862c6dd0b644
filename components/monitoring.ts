// Monitoring: the Prometheus Operator stack from the official kube-prometheus-stack chart (optional),
// and one ServiceMonitor or PodMonitor per scrape target, all in the monitoring namespace.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ChartSource } from "./chartSource";
import { standardLabels } from "./labels";
import { MONITOR_API_VERSION, MONITOR_DEFAULTS, monitorSpec, ScrapeTarget } from "./monitors";
import { podSecurityNamespace } from "./namespace";
import { keepOptions } from "./protection";

export interface PrometheusStackArgs {
  chart: ChartSource;
  /** @default "10d" */
  retention?: string;
  /** Prometheus' volume. @default 20Gi, cluster default class */
  storage?: { size?: string; storageClass?: string };
  /** Grafana with a generated admin password. @default true */
  grafana?: boolean;
}

export interface MonitoringArgs {
  /** Created here; holds the chart's release and every monitor. @default "monitoring" */
  namespace?: string;
  /** Create the namespace; false when another stack on the cluster owns it (a teams stack adds only its monitors). @default true */
  createNamespace?: boolean;
  /** Install kube-prometheus-stack; without it the operator's CRDs must already exist. @default none */
  prometheusStack?: PrometheusStackArgs;
  targets: ScrapeTarget[];
  /** Extra labels on every monitor (e.g. what an existing Prometheus selects on). @default {} */
  monitorLabels?: Record<string, string>;
  /** @default "30s" */
  scrapeInterval?: string;
  /** Never delete or replace the release (its Prometheus volume) or the Grafana password. @default false */
  protect?: boolean;
}

export const MONITORING_DEFAULTS = {
  namespace: "monitoring",
  chartName: "kube-prometheus-stack",
  retention: "10d",
  storage: { size: "20Gi" },
  grafana: true,
  grafanaPasswordLength: 24,
};

export class Monitoring extends pulumi.ComponentResource {
  public readonly namespace: string;
  /** Only ever a Pulumi secret; undefined without Grafana. */
  public readonly grafanaAdminPassword?: pulumi.Output<string>;
  public readonly monitorNames: string[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:monitoring:Monitoring", name, {}, opts);
    const d = MONITORING_DEFAULTS;
    this.namespace = args.namespace ?? d.namespace;
    const labels = standardLabels({ name: "monitoring", component: "monitoring" });
    const stack = args.prometheusStack;
    // The chart's node-exporter reads host metrics through host namespaces and paths.
    if (stack && args.createNamespace === false) throw new Error("Monitoring: the Prometheus stack is installed by the stack that owns the namespace");
    const ns =
      args.createNamespace === false
        ? undefined
        : podSecurityNamespace(`${name}-ns`, { name: this.namespace, labels, level: stack ? "privileged" : "restricted" }, { parent: this });

    let chart: k8s.helm.v4.Chart | undefined;
    if (stack) {
      const keep = keepOptions(this, args.protect);
      const grafana = stack.grafana ?? d.grafana;
      if (grafana) {
        // The chart's own default admin password is public; never run with it.
        this.grafanaAdminPassword = pulumi.secret(
          new random.RandomPassword(`${name}-grafana-admin`, { length: d.grafanaPasswordLength, special: false }, keep).result,
        );
      }
      const storage = { ...d.storage, ...stack.storage };
      chart = new k8s.helm.v4.Chart(
        d.chartName,
        {
          chart: stack.chart.path ?? d.chartName,
          version: stack.chart.path ? undefined : stack.chart.version,
          repositoryOpts: stack.chart.path ? undefined : { repo: stack.chart.repo },
          namespace: this.namespace,
          values: {
            prometheus: {
              prometheusSpec: {
                // Select every ServiceMonitor/PodMonitor, not only those labelled with this release.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                retention: stack.retention ?? d.retention,
                storageSpec: {
                  volumeClaimTemplate: {
                    spec: {
                      accessModes: ["ReadWriteOnce"],
                      ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
                      resources: { requests: { storage: storage.size } },
                    },
                  },
                },
              },
            },
            grafana: grafana ? { enabled: true, adminPassword: this.grafanaAdminPassword } : { enabled: false },
          },
        },
        { parent: this, dependsOn: ns ? [ns] : [], protect: args.protect, retainOnDelete: args.protect },
      );
    }

    const interval = args.scrapeInterval ?? MONITOR_DEFAULTS.interval;
    this.monitorNames = args.targets.map((t) => t.name);
    for (const t of args.targets) {
      new k8s.apiextensions.CustomResource(
        `${name}-${t.name}`,
        {
          apiVersion: MONITOR_API_VERSION,
          kind: t.kind,
          metadata: {
            name: t.name,
            namespace: this.namespace,
            // Not named after the target: `<team>-<app>` can be longer than a label value.
            labels: { ...standardLabels({ name: "monitor", component: "monitoring" }), ...args.monitorLabels },
          },
          spec: monitorSpec(t, interval),
          // The chart installs the CRDs: the monitors wait for it.
        },
        { parent: this, dependsOn: [ns, chart].filter((r) => r !== undefined) },
      );
    }

    this.registerOutputs({ namespace: this.namespace, grafanaAdminPassword: this.grafanaAdminPassword, monitorNames: this.monitorNames });
  }
}
