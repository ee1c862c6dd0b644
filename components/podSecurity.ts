// Secure defaults for containers and pods, and the labels that make Pod Security admission enforce them.
import type * as k8s from "@pulumi/kubernetes";
import type { PodSecurityLevel } from "./rules";

type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;

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

/** A non-root pod under the runtime's seccomp profile, with any ids it runs as. */
export function restrictedPod(ids: { runAsUser?: number; runAsGroup?: number; fsGroup?: number } = {}) {
  return { runAsNonRoot: true, ...ids, seccompProfile: { type: "RuntimeDefault" } } satisfies PodSecurityContext;
}

/**
 * A restricted pod whose image runs as `uid` and writes a volume: the volume's group is that uid
 * (changed only when its root differs), or a freshly provisioned volume is not writable.
 */
export function volumeOwnerPod(uid: number) {
  return { ...restrictedPod({ runAsUser: uid, runAsGroup: uid, fsGroup: uid }), fsGroupChangePolicy: "OnRootMismatch" } satisfies PodSecurityContext;
}

/**
 * Labels that make the Pod Security admission controller enforce a level, and warn and audit at
 * `report`: restricted (privileged when enforcing privileged), so a loosened namespace still reports.
 */
export function podSecurityLabels(
  enforce: PodSecurityLevel,
  report: PodSecurityLevel = enforce === "privileged" ? "privileged" : "restricted",
): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": report,
    "pod-security.kubernetes.io/audit": report,
  };
}
