// Secure defaults for containers and pods, in one place.
import * as k8s from "@pulumi/kubernetes";
import type { PodSecurityLevel } from "./rules";

type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** Non-root, no privilege escalation, all capabilities dropped, read-only root, runtime seccomp profile. */
export function restrictedContainer(overrides: SecurityContext = {}): SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
    ...overrides,
  };
}

/** Labels that make the Pod Security admission controller enforce a level, and warn/audit at restricted. */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": enforce === "privileged" ? "privileged" : "restricted",
    "pod-security.kubernetes.io/audit": enforce === "privileged" ? "privileged" : "restricted",
  };
}
