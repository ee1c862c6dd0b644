// `platform:scope`: what a stack holds. A large platform is split into one "platform" stack (the
// cluster-wide services and, optionally, some teams) and "teams" stacks that hold only team
// namespaces, their apps and admin processes, on the same cluster (README "Large platforms").
// A teams stack that also declared a cluster-wide service would fight the platform stack over the
// same objects, so config refuses it, naming the key.
import { z } from "zod";
import { field, Issue } from "./salvage";

export const SCOPES = ["platform", "teams"] as const;
export const scopeSchema = z.enum(SCOPES).default("platform");

const OWNED_BY_PLATFORM = "a teams stack (scope: teams) leaves it to the platform stack on the same cluster";

/** Keys a teams stack may not set, each with what it would create. */
function clusterWideKeys(c: unknown): Array<[PropertyKey[], string]> {
  const keys: Array<[PropertyKey[], string]> = [];
  const on = (o: unknown) => o !== undefined && field(o, "enabled") !== false;
  if (field(field(c, "cluster"), "installCni") !== false) keys.push([["cluster", "installCni"], "the CNI: set it to false"]);
  const logging = field(c, "logging");
  if (field(logging, "enabled") !== false) keys.push([["logging", "enabled"], "the node log collector: set it to false"]);
  if (field(logging, "store") !== undefined) keys.push([["logging", "store"], "the log store: remove it"]);
  if (on(field(c, "jenkins"))) keys.push([["jenkins"], "Jenkins: remove it"]);
  if (on(field(c, "harbor"))) keys.push([["harbor", "enabled"], "Harbor: set it to false and keep harbor.host for the teams' pull secrets"]);
  const monitoring = field(c, "monitoring");
  if (on(monitoring)) {
    if (field(field(monitoring, "prometheusStack"), "install") === true)
      keys.push([["monitoring", "prometheusStack", "install"], "the Prometheus stack: set it to false"]);
    if (field(monitoring, "metricsServer") !== undefined) keys.push([["monitoring", "metricsServer"], "metrics-server: remove it"]);
  }
  if (field(field(field(c, "mesh"), "istio"), "controlPlane") !== undefined)
    keys.push([["mesh", "istio", "controlPlane"], "the Istio control plane: remove it"]);
  return keys;
}

/** A teams stack declares no cluster-wide service. */
export function checkScope(c: unknown, issue: Issue): void {
  if (field(c, "scope") !== "teams") return;
  for (const [path, what] of clusterWideKeys(c)) issue(path, `${OWNED_BY_PLATFORM}: ${what}`);
}
