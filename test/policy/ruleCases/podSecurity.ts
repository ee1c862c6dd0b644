// Rule cases: Pod security and container hardening (policy/rules/podSecurity.ts, security.ts).
// violations: rule -> [what is broken, the edit, a fragment of the expected message]; passes: close but fine.
import { dMain, dSpec, Edit } from "./harness";

export const violations: [string, string, Edit, string][] = [
  ["no-privileged-containers", "privileged", (s) => (dMain(s).securityContext.privileged = true), 'containers[0] "cart" is privileged'],
  [
    "no-privilege-escalation",
    "escalation allowed",
    (s) => delete dMain(s).securityContext.allowPrivilegeEscalation,
    "does not set allowPrivilegeEscalation: false",
  ],
  ["run-as-non-root", "uid 0", (s) => (dMain(s).securityContext.runAsUser = 0), "runs as uid 0"],
  [
    "run-as-non-root",
    "no runAsNonRoot anywhere",
    (s) => {
      delete dMain(s).securityContext.runAsNonRoot;
      delete dSpec(s).securityContext;
    },
    "does not set runAsNonRoot: true",
  ],
  ["drop-all-capabilities", "nothing dropped", (s) => delete dMain(s).securityContext.capabilities, "does not drop ALL capabilities"],
  ["drop-all-capabilities", "SYS_ADMIN added", (s) => (dMain(s).securityContext.capabilities.add = ["SYS_ADMIN"]), "adds capabilities SYS_ADMIN"],
  ["read-only-root-filesystem", "writable root", (s) => (dMain(s).securityContext.readOnlyRootFilesystem = false), "has a writable root filesystem"],
  ["no-host-namespaces", "hostPID", (s) => (dSpec(s).hostPID = true), "sets hostPID: true"],
  [
    "seccomp-profile-restricted",
    "no profile anywhere",
    (s) => delete dSpec(s).securityContext.seccompProfile,
    'containers[0] "cart" sets no seccomp profile (nor does the pod)',
  ],
  [
    "seccomp-profile-restricted",
    "a container Unconfined",
    (s) => (dMain(s).securityContext.seccompProfile = { type: "Unconfined" }),
    "runs with seccomp profile Unconfined",
  ],
  ["proc-mount-default", "Unmasked /proc", (s) => (dMain(s).securityContext.procMount = "Unmasked"), "sets procMount Unmasked"],
  [
    "safe-sysctls-only",
    "an unsafe sysctl",
    (s) => (dSpec(s).securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }]),
    "sets sysctl kernel.msgmax, which is not in the safe set",
  ],
  ["selinux-options-restricted", "a privileged SELinux type", (s) => (dMain(s).securityContext.seLinuxOptions = { type: "spc_t" }), "sets SELinux type spc_t"],
  [
    "selinux-options-restricted",
    "an SELinux user on the pod",
    (s) => (dSpec(s).securityContext.seLinuxOptions = { user: "system_u" }),
    "the pod sets SELinux user system_u",
  ],
  [
    "apparmor-not-unconfined",
    "Unconfined profile",
    (s) => (dSpec(s).securityContext.appArmorProfile = { type: "Unconfined" }),
    "the pod runs with AppArmor profile Unconfined",
  ],
  [
    "apparmor-not-unconfined",
    "Unconfined annotation",
    (s) => ((s.deployment.props as any).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/cart": "unconfined" }),
    "annotation container.apparmor.security.beta.kubernetes.io/cart is unconfined",
  ],
  [
    "restricted-volume-types",
    "an NFS volume",
    (s) => dSpec(s).volumes.push({ name: "share", nfs: { server: "nfs.example.com", path: "/" } }),
    'volume "share" is of type nfs',
  ],
  ["memory-limits", "no memory limit", (s) => delete dMain(s).resources.limits.memory, 'containers[0] "cart" sets no memory limit'],
  [
    "no-default-namespace",
    "a ConfigMap in default",
    (s) => ((s.configMap.props as any).metadata.namespace = "default"),
    "ConfigMap default/cart-config: is in the default namespace",
  ],
  [
    "no-default-namespace",
    "a Service without a namespace",
    (s) => delete (s.service.props as any).metadata.namespace,
    "sets no namespace, so it lands in the default namespace",
  ],
];

export const passes: [string, string, Edit][] = [
  [
    "seccomp-profile-restricted",
    "Localhost on the container, none on the pod",
    (s) => {
      delete dSpec(s).securityContext.seccompProfile;
      dMain(s).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "cart.json" };
    },
  ],
  ["safe-sysctls-only", "a safe sysctl", (s) => (dSpec(s).securityContext.sysctls = [{ name: "net.ipv4.ip_local_port_range", value: "1024 65000" }])],
  [
    "selinux-options-restricted",
    "a container type with a level",
    (s) => (dMain(s).securityContext.seLinuxOptions = { type: "container_init_t", level: "s0:c123,c456" }),
  ],
  [
    "apparmor-not-unconfined",
    "RuntimeDefault, by field and by annotation",
    (s) => {
      dSpec(s).securityContext.appArmorProfile = { type: "RuntimeDefault" };
      (s.deployment.props as any).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/cart": "runtime/default" };
    },
  ],
  [
    "restricted-volume-types",
    "projected and downwardAPI volumes",
    (s) => dSpec(s).volumes.push({ name: "token", projected: { sources: [] } }, { name: "info", downwardAPI: { items: [] } }),
  ],
  [
    "no-default-namespace",
    "a cluster-scoped object without a namespace",
    (s) => {
      s.extra.push({
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        name: "reader",
        props: { kind: "ClusterRole", metadata: { name: "reader" } },
      });
    },
  ],
];
