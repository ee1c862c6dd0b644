// The Pod Security Standards' remaining fields (kubernetes.io/docs/concepts/security/pod-security-standards),
// checked before anything reaches the cluster, plus memory limits and where workloads may live.
// Each rule says which level it follows; system components are exempt only by name, with a reason.
import { resourceRule, workloadRule } from "../lib/rule";
import { containersOf, Workload, WORKLOAD_KINDS } from "../lib/workloads";
import { effective } from "./security";

const factor = "Security baseline" as const;
type Json = Record<string, any>;

/** The pod's securityContext and every container's, each with where it is. */
function securityContexts(w: Workload): { where: string; sc: Json }[] {
  return [
    { where: "the pod", sc: w.podSpec.securityContext ?? {} },
    ...containersOf(w.podSpec).map((c) => ({ where: c.where, sc: c.container.securityContext ?? {} })),
  ];
}

const SECCOMP_ALLOWED = new Set(["RuntimeDefault", "Localhost"]);

export const seccompProfile = workloadRule({
  name: "seccomp-profile-restricted",
  factor,
  checks:
    "Every container runs under a seccomp profile of type RuntimeDefault or Localhost, set on the pod or on the container (the restricted level: Unconfined and no profile at all are refused).",
  remediation: 'set securityContext.seccompProfile: { type: "RuntimeDefault" } on the pod',
  severity: "high",
  check(w, _cfg, report) {
    for (const c of containersOf(w.podSpec)) {
      const type = (effective(w, c, "seccompProfile") as Json | undefined)?.type;
      if (!SECCOMP_ALLOWED.has(type)) report(`${c.where} ${type ? `runs with seccomp profile ${type}` : "sets no seccomp profile (nor does the pod)"}`);
    }
  },
});

export const procMountDefault = workloadRule({
  name: "proc-mount-default",
  factor,
  checks: "No container sets procMount other than Default (the baseline level: an unmasked /proc exposes the host's kernel settings).",
  remediation: "remove securityContext.procMount",
  severity: "high",
  check(w, _cfg, report) {
    for (const c of containersOf(w.podSpec)) {
      const mount = c.container.securityContext?.procMount;
      if (mount !== undefined && mount !== "Default") report(`${c.where} sets procMount ${mount}`);
    }
  },
});

/** The baseline level's safe sysctls (namespaced, isolated from the node and other pods). */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

interface SysctlConfig {
  allowedSysctls?: string[];
}

export const safeSysctlsOnly = workloadRule<SysctlConfig>({
  name: "safe-sysctls-only",
  factor,
  checks: "Pods set only sysctls from the baseline level's safe set, or ones allowedSysctls adds.",
  choice: "the safe set of Kubernetes 1.29 and later; allowedSysctls adds sysctls a platform has vetted (none by default).",
  remediation: "remove spec.securityContext.sysctls outside the safe set, or tune the node instead",
  severity: "high",
  config: { allowedSysctls: { type: "array", default: [], items: { type: "string", minLength: 1 }, description: "Sysctls allowed beyond the safe set." } },
  check(w, cfg, report) {
    const allowed = new Set([...SAFE_SYSCTLS, ...(cfg.allowedSysctls ?? [])]);
    for (const s of (w.podSpec.securityContext?.sysctls ?? []) as Json[]) {
      if (!allowed.has(s.name)) report(`sets sysctl ${s.name}, which is not in the safe set`);
    }
  },
});

const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

export const seLinuxOptions = workloadRule({
  name: "selinux-options-restricted",
  factor,
  checks: "seLinuxOptions set no user or role, and a type only from container_t, container_init_t, container_kvm_t, container_engine_t (the baseline level).",
  remediation: "remove seLinuxOptions.user and .role, and any type outside the container types",
  severity: "high",
  check(w, _cfg, report) {
    for (const { where, sc } of securityContexts(w)) {
      const o = sc.seLinuxOptions;
      if (!o) continue;
      if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) report(`${where} sets SELinux type ${o.type}`);
      for (const key of ["user", "role"]) if (o[key]) report(`${where} sets SELinux ${key} ${o[key]}`);
    }
  },
});

const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export const appArmorNotUnconfined = workloadRule({
  name: "apparmor-not-unconfined",
  factor,
  checks: "No pod or container runs AppArmor Unconfined, by appArmorProfile or by the older annotation (the baseline level: RuntimeDefault or Localhost only).",
  remediation: "remove the Unconfined appArmorProfile (the runtime's default applies), or load a Localhost profile",
  severity: "high",
  check(w, _cfg, report) {
    for (const { where, sc } of securityContexts(w)) {
      const type = sc.appArmorProfile?.type;
      if (type !== undefined && type !== "RuntimeDefault" && type !== "Localhost") report(`${where} runs with AppArmor profile ${type}`);
    }
    for (const [key, value] of Object.entries(w.podAnnotations)) {
      if (key.startsWith(APPARMOR_ANNOTATION) && value !== "runtime/default" && !String(value).startsWith("localhost/")) {
        report(`annotation ${key} is ${value}`);
      }
    }
  },
});

/** The restricted level's volume types; hostPath has its own rule (no-hostpath-volumes), with per-path allowances. */
export const RESTRICTED_VOLUME_TYPES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

interface VolumeConfig {
  allowedVolumeTypes?: string[];
}

export const restrictedVolumeTypes = workloadRule<VolumeConfig>({
  name: "restricted-volume-types",
  factor,
  checks:
    "Volumes are only of the restricted level's types: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret. (hostPath: see no-hostpath-volumes.)",
  choice: "hostPath is left to no-hostpath-volumes, so a node agent's allowance covers only its paths; allowedVolumeTypes changes the list.",
  remediation: "use a PersistentVolumeClaim (or csi) instead of an in-tree volume plugin",
  severity: "high",
  config: {
    allowedVolumeTypes: {
      type: "array",
      default: RESTRICTED_VOLUME_TYPES,
      items: { type: "string", minLength: 1 },
      description: "Volume types workloads may use.",
    },
  },
  check(w, cfg, report) {
    const allowed = new Set([...(cfg.allowedVolumeTypes ?? RESTRICTED_VOLUME_TYPES), "hostPath"]);
    for (const v of (w.podSpec.volumes ?? []) as Json[]) {
      const types = Object.keys(v).filter((k) => k !== "name");
      for (const t of types.filter((x) => !allowed.has(x))) report(`volume "${v.name}" is of type ${t}`);
    }
  },
});

export const memoryLimits = workloadRule({
  name: "memory-limits",
  factor,
  checks: "Every container (init containers too) sets a memory limit.",
  choice:
    "beyond Pod Security: without a limit one leaking container can take a node's memory from its neighbours; CPU limits are not required (throttling, not eviction).",
  remediation: "set resources.limits.memory (apps: platform:apps[].resources.limits.memory)",
  severity: "medium",
  check(w, _cfg, report) {
    for (const { container, where } of containersOf(w.podSpec)) {
      if (container.resources?.limits?.memory === undefined) report(`${where} sets no memory limit`);
    }
  },
});

/** Kinds that live in a namespace (cluster-scoped ones, such as Namespace or ClusterRole, do not). */
const NAMESPACED =
  /:(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Service|ConfigMap|Secret|ServiceAccount|Role|RoleBinding|PersistentVolumeClaim|Ingress|NetworkPolicy|PodDisruptionBudget|HorizontalPodAutoscaler|ResourceQuota|LimitRange|HTTPRoute)$/;

export const noDefaultNamespace = resourceRule({
  name: "no-default-namespace",
  factor,
  checks: "Nothing is placed in the default namespace, explicitly or by leaving a namespaced object without one.",
  choice: "default has no quota, isolation or Pod Security level of the platform's; every object belongs to a team's or a system namespace.",
  remediation: "set metadata.namespace to a team's or the component's own namespace",
  severity: "medium",
  // Every resource, workloads of every shape included.
  kinds: [...WORKLOAD_KINDS],
  types: /^kubernetes:/,
  check(props, _cfg, report) {
    const ns = props.metadata?.namespace;
    const kind = `:${props.kind ?? ""}`;
    if (ns === "default") report("is in the default namespace");
    else if (ns === undefined && props.kind && NAMESPACED.test(kind)) report("sets no namespace, so it lands in the default namespace");
  },
});

export const podSecurityRules = [
  seccompProfile,
  procMountDefault,
  safeSysctlsOnly,
  seLinuxOptions,
  appArmorNotUnconfined,
  restrictedVolumeTypes,
  memoryLimits,
  noDefaultNamespace,
];
