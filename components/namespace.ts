// A Namespace that carries its Pod Security level: every namespace the platform creates has one.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "./podSecurity";
import type { PodSecurityLevel } from "./rules";

export interface PodSecurityNamespaceArgs {
  name: string;
  labels: Record<string, string>;
  /** The level admission enforces. */
  level: PodSecurityLevel;
  /** The level it warns and audits at. @default restricted (privileged when `level` is privileged) */
  report?: PodSecurityLevel;
  annotations?: Record<string, string>;
}

export function podSecurityNamespace(resourceName: string, a: PodSecurityNamespaceArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    resourceName,
    {
      metadata: { name: a.name, labels: { ...a.labels, ...podSecurityLabels(a.level, a.report) }, ...(a.annotations ? { annotations: a.annotations } : {}) },
    },
    opts,
  );
}
