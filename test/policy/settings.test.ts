// Host paths on every workload kind, allowed per path and never per workload; and the rules whose
// meaning is a platform's choice take it as a setting and say so in their description.
import { rules } from "../../policy/pack";
import { analyze, loadPolicyConfig, PackConfig, resolveConfig } from "../support/policy";
import { partsOf, workload } from "./fixtures";

const prod = loadPolicyConfig("prod");
const messages = async (r: ReturnType<typeof workload>, rule: string, config: PackConfig = prod) =>
  (await analyze([r], config)).filter((d) => d.policyName === rule && d.enforcementLevel === "mandatory").map((d) => d.message);

/** The prod log collector's DaemonSet as far as host paths go, plus `paths`. */
function fluentBit(...paths: string[]) {
  const r = workload("DaemonSet");
  Object.assign((r.props as any).metadata, { name: "fluent-bit", namespace: "logging" });
  const volumes = ["/var/log", "/var/lib/docker/containers", ...paths].map((path, i) => ({ name: `host-${i}`, hostPath: { path } }));
  partsOf(r).spec.volumes.push(...volumes);
  return r;
}

describe("host paths", () => {
  test("the log collector may mount the paths it is allowed, and below them", async () => {
    expect(await messages(fluentBit("/var/log/pods"), "no-hostpath-volumes")).toEqual([]);
  });

  test.each([
    ["the node's root", "/"],
    ["the container runtime socket", "/run/containerd/containerd.sock"],
    ["a path that climbs out of an allowed one", "/var/log/../../etc"],
    ["a sibling with an allowed prefix", "/var/logs-archive"],
  ])("the log collector mounting %s is a violation, although it is named in the allowances", async (_what, path) => {
    expect(await messages(fluentBit(path), "no-hostpath-volumes")).toEqual([
      expect.stringContaining(`volume "host-2" is a hostPath (${path}), outside the allowed /var/log, /var/lib/docker/containers`),
    ]);
  });

  test("a StatefulSet mounting /etc fails the prod pack", async () => {
    const r = workload("StatefulSet");
    partsOf(r).spec.volumes.push({ name: "etc", hostPath: { path: "/etc" } });
    expect(await messages(r, "no-hostpath-volumes")).toEqual([expect.stringContaining('StatefulSet shop/cart: volume "etc" is a hostPath (/etc)')]);
  });

  test("an allowance needs paths and a reason; a whole-workload exemption is not a setting of this rule", () => {
    const entry = { namespace: "a", name: "b", paths: ["/x"] };
    expect(() => resolveConfig({ "no-hostpath-volumes": { allowedHostPaths: [entry] } })).toThrow("must have required property 'reason'");
    expect(() => resolveConfig({ "no-hostpath-volumes": { allowedHostPaths: [{ ...entry, paths: ["x"], reason: "a good reason" }] } })).toThrow(
      'must match pattern "^/"',
    );
    expect(() => resolveConfig({ "no-hostpath-volumes": { exemptWorkloads: [] } })).toThrow("must NOT have additional properties");
  });
});

describe("choices are settings", () => {
  const only = (rule: string, settings: Record<string, unknown> = {}): PackConfig => ({
    all: "disabled",
    [rule]: { enforcementLevel: "mandatory", ...settings },
  });

  test("host ports: none by default, the listed ones when configured; 0 is no host port", async () => {
    const r = workload("DaemonSet");
    partsOf(r).main.ports.push({ name: "metrics", containerPort: 9100, hostPort: 9100 }, { name: "none", containerPort: 9200, hostPort: 0 });
    expect(await messages(r, "no-host-port-or-network", only("no-host-port-or-network"))).toEqual([expect.stringContaining("binds hostPort 9100")]);
    expect(await messages(r, "no-host-port-or-network", only("no-host-port-or-network", { allowedHostPorts: [9100] }))).toEqual([]);
  });

  test("added capabilities: NET_BIND_SERVICE by default, the configured list otherwise", async () => {
    const r = workload("Deployment");
    partsOf(r).main.securityContext.capabilities.add = ["NET_BIND_SERVICE", "NET_ADMIN"];
    expect(await messages(r, "drop-all-capabilities", only("drop-all-capabilities"))).toEqual([expect.stringContaining("adds capabilities NET_ADMIN")]);
    expect(await messages(r, "drop-all-capabilities", only("drop-all-capabilities", { allowedAddedCapabilities: ["NET_BIND_SERVICE", "NET_ADMIN"] }))).toEqual(
      [],
    );
    const strict = await messages(r, "drop-all-capabilities", only("drop-all-capabilities", { allowedAddedCapabilities: [] }));
    expect(strict).toEqual([expect.stringContaining("adds capabilities NET_BIND_SERVICE, NET_ADMIN")]);
  });

  test("sysctls and volume types can be widened by configuration", async () => {
    const r = workload("Deployment");
    const { spec } = partsOf(r);
    spec.securityContext.sysctls = [{ name: "net.core.somaxconn", value: "1024" }];
    spec.volumes.push({ name: "share", nfs: { server: "nfs.example.com", path: "/" } });
    expect(await messages(r, "safe-sysctls-only", only("safe-sysctls-only"))).toHaveLength(1);
    expect(await messages(r, "safe-sysctls-only", only("safe-sysctls-only", { allowedSysctls: ["net.core.somaxconn"] }))).toEqual([]);
    expect(await messages(r, "restricted-volume-types", only("restricted-volume-types"))).toHaveLength(1);
    expect(await messages(r, "restricted-volume-types", only("restricted-volume-types", { allowedVolumeTypes: ["emptyDir", "nfs"] }))).toEqual([]);
  });

  test.each([
    ["drop-all-capabilities", ["NET_BIND_SERVICE", "allowedAddedCapabilities"]],
    ["no-host-port-or-network", ["no host port at all by default", "allowedHostPorts"]],
    ["no-hostpath-volumes", ["exact host paths", "never covers a whole workload"]],
    ["safe-sysctls-only", ["allowedSysctls"]],
    ["restricted-volume-types", ["allowedVolumeTypes"]],
    ["memory-limits", ["CPU limits are not required"]],
    ["read-only-root-filesystem", ["beyond Pod Security"]],
    ["replicas-for-availability", ["two copies by default"]],
  ])("%s states its choice in its description", (name, fragments) => {
    const description = rules.find((r) => r.meta.name === name)!.policy.description;
    for (const f of fragments) expect(description).toContain(f);
  });

  test("every setting a rule takes is named in its description", () => {
    for (const { meta, policy } of rules) {
      for (const key of Object.keys(meta.config ?? {})) {
        if (
          key !== "exemptWorkloads" &&
          key !== "promotedImages" &&
          key !== "minReplicas" &&
          key !== "maxTerminationGracePeriodSeconds" &&
          key !== "allowedRegistries"
        ) {
          expect(`${meta.name}: ${policy.description}`).toContain(key);
        }
      }
    }
  });
});
