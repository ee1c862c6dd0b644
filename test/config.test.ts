// Stack config validation: every problem is reported at once, each naming its key; nothing is registered.
import { parsePlatformConfig, PlatformConfigError } from "../stacks/config";
import { loadStackConfig, problemsOf, Registered, runProgram, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const prod = loadStackConfig("prod");

const calico = (edit: Record<string, unknown>) => (c: Record<string, any>) => {
  c.cluster.cni = "calico";
  delete c.cluster.flannel;
  c.cluster.calico = { chart: { repo: "https://charts.example.com/calico", version: "v3.29.3" }, ...edit };
};

// [what, edit of the dev config, expected problem (exact or as a pattern)]
const badCases: Array<[string, (c: Record<string, any>) => void, string | RegExp]> = [
  ["missing environment", (c) => delete c.environment, 'platform:environment: is required (one of "dev" | "prod")'],
  ["unknown environment", (c) => (c.environment = "staging"), 'platform:environment: expected one of "dev" | "prod", got "staging"'],
  ["cluster of the wrong type", (c) => (c.cluster = "flannel"), 'platform:cluster: expected object, got "flannel"'],
  ["unknown CNI", (c) => (c.cluster.cni = "cilium"), 'platform:cluster.cni: expected one of "calico" | "flannel", got "cilium"'],
  ["CIDR without prefix", (c) => (c.cluster.podCidr = "10.244.0.0"), /^platform:cluster\.podCidr: expected an IPv4 CIDR .* got "10\.244\.0\.0"$/],
  [
    "CIDR with host bits",
    (c) => (c.cluster.podCidr = "10.244.1.0/16"),
    'platform:cluster.podCidr: "10.244.1.0/16" has host bits set; the network address for /16 is "10.244.0.0/16"',
  ],
  ["CIDR octet out of range", (c) => (c.cluster.podCidr = "300.1.0.0/16"), /^platform:cluster\.podCidr: expected an IPv4 CIDR/],
  ["IPIP without BGP", calico({ encapsulation: "IPIP", bgp: "Disabled" }), /^platform:cluster\.calico\.encapsulation: "IPIP" needs BGP/],
  ["IPIPCrossSubnet without BGP", calico({ encapsulation: "IPIPCrossSubnet" }), /^platform:cluster\.calico\.encapsulation: "IPIPCrossSubnet" needs BGP/],
  [
    "no encapsulation without BGP",
    calico({ encapsulation: "None", bgp: "Disabled" }),
    /^platform:cluster\.calico\.encapsulation: "None" \(plain routing\) needs bgp: Enabled/,
  ],
  [
    "blocks larger than the pod CIDR",
    (c) => {
      calico({ blockSize: 20 })(c);
      c.cluster.podCidr = "10.244.0.0/24";
    },
    "platform:cluster.calico.blockSize: /20 blocks do not fit in the pod CIDR 10.244.0.0/24; use a blockSize of 24 or more, or a larger podCidr",
  ],
  [
    "blocks larger than a small pod CIDR",
    (c) => {
      calico({ blockSize: 26 })(c);
      c.cluster.podCidr = "10.244.0.0/28";
    },
    /^platform:cluster\.calico\.blockSize: \/26 blocks do not fit in the pod CIDR 10\.244\.0\.0\/28/,
  ],
  ["unknown encapsulation", calico({ encapsulation: "GRE" }), /^platform:cluster\.calico\.encapsulation: expected one of "IPIP" \| .* got "GRE"$/],
  [
    "calico chart without version",
    calico({ chart: { repo: "https://charts.example.com/calico" } }),
    "platform:cluster.calico.chart: set repo and version (pinned), or path to a local chart",
  ],
  [
    "calico chart with path and repo",
    calico({ chart: { path: "./charts/tigera-operator", repo: "https://x.example.com" } }),
    /^platform:cluster\.calico\.chart: set either path/,
  ],
  [
    "calico settings with flannel",
    (c) => (c.cluster.calico = { chart: { path: "./x" } }),
    'platform:cluster.calico: only applies when cni is calico, but cni is "flannel"',
  ],
  [
    "calico without settings",
    (c) => {
      c.cluster.cni = "calico";
      delete c.cluster.flannel;
    },
    "platform:cluster.calico: is required when cni is calico and installCni is true (at least calico.chart)",
  ],
  [
    "obsolete flannel backend",
    (c) => (c.cluster.flannel.backend = "udp"),
    'platform:cluster.flannel.backend: expected one of "vxlan" | "host-gw" | "wireguard", got "udp"',
  ],
  ["bad quantity", (c) => (c.teams[1].quota.cpu = "lots"), 'platform:teams[1].quota.cpu: expected a Kubernetes quantity like "500m" or "2", got "lots"'],
  [
    "quantity of the wrong type",
    (c) => (c.teams[0].quota.memory = true),
    'platform:teams[0].quota.memory: expected a Kubernetes quantity like "500m" or "2", got boolean true',
  ],
  ["duplicate team", (c) => (c.teams[1].name = c.teams[0].name), 'platform:teams[1].name: "payments" is already used by teams[0]'],
  ["team name not a DNS label", (c) => (c.teams[0].name = "Payments_Team"), /^platform:teams\[0\]\.name: expected a DNS-1123 label .* got "Payments_Team"$/],
  ["team name too long", (c) => (c.teams[0].name = "a".repeat(64)), /^platform:teams\[0\]\.name: expected a DNS-1123 label/],
  ["reserved team name", (c) => (c.teams[0].name = "kube-system"), 'platform:teams[0].name: "kube-system" is reserved for the cluster or the platform'],
  ["pods of the wrong type", (c) => (c.teams[0].quota.pods = "many"), 'platform:teams[0].quota.pods: expected a whole number, got "many"'],
  ["negative services", (c) => (c.teams[0].quota.services = -1), "platform:teams[0].quota.services: expected zero or more, got number -1"],
  [
    "fractional PVC count",
    (c) => (c.teams[0].quota.persistentVolumeClaims = 1.5),
    "platform:teams[0].quota.persistentVolumeClaims: expected a whole number, got number 1.5",
  ],
  ["missing quota", (c) => delete c.teams[0].quota, "platform:teams[0].quota: is required (expected object)"],
  [
    "unknown Pod Security level",
    (c) => (c.teams[0].podSecurity = "strict"),
    'platform:teams[0].podSecurity: expected one of "privileged" | "baseline" | "restricted", got "strict"',
  ],
  [
    "misspelt team key",
    (c) => {
      c.teams[0].quotas = c.teams[0].quota;
    },
    "platform:teams[0].quotas: unknown key (check the spelling)",
  ],
  ["misspelt top-level key", (c) => (c.team = []), "platform:team: unknown key (check the spelling)"],
  [
    "requests above limits",
    (c) => (c.teams[0].containerDefaults = { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } }),
    "platform:teams[0].containerDefaults.requests.cpu: 2 is more than limits.cpu 1",
  ],
  ["bad ingress namespace", (c) => (c.teams[0].allowIngressFrom = ["Ingress NS"]), /^platform:teams\[0\]\.allowIngressFrom\[0\]: expected a DNS-1123 label/],
  ["no teams", (c) => (c.teams = []), "platform:teams: expected at least one team"],
  ["teams not a list", (c) => (c.teams = { name: "a" }), "platform:teams: expected array, got an object"],
  ["port out of range", (c) => (c.logging.port = 70000), /^platform:logging\.port: .*65535/],
  [
    "unknown log backend",
    (c) => (c.logging.backend = "splunk"),
    'platform:logging.backend: expected one of "elasticsearch" | "loki" | "forward", got "splunk"',
  ],
  ["bad log host", (c) => (c.logging.host = "not a host!"), 'platform:logging.host: expected a DNS host name like "logs.example.com", got "not a host!"'],
  [
    "log user without password",
    (c) => (c.logging.user = "shipper"),
    /^platform:loggingPassword: is required when logging\.user is set: pulumi config set --secret platform:loggingPassword/,
  ],
  [
    "forward with a user",
    (c) => {
      c.logging.backend = "forward";
      c.logging.user = "x";
    },
    "platform:logging.user: forward uses a shared key (platform:loggingPassword), not a user",
  ],
];

describe("bad stack config", () => {
  test.each(badCases)("%s", (_what, edit, expected) => {
    const problems = problemsOf(withConfig(dev, edit));
    if (typeof expected === "string") expect(problems).toContain(expected);
    else expect(problems).toContainEqual(expect.stringMatching(expected));
    // Every problem names a key in the platform namespace.
    for (const p of problems) expect(p).toMatch(/^platform:[A-Za-z]/);
  });

  test("a credential stored in plain text is refused", () => {
    const cfg = withConfig(dev, (c) => (c.logging.user = "shipper"));
    cfg.config["platform:loggingPassword"] = "hunter2";
    expect(problemsOf(cfg)).toContain(
      "platform:loggingPassword: holds a credential and must be stored encrypted: pulumi config set --secret platform:loggingPassword <value>",
    );
  });

  test("prod on a CNI without NetworkPolicy must acknowledge it", () => {
    const flannelProd = withConfig(prod, (c) => {
      const mirror = (name: string) => `harbor.prod.example.com/mirror/${name}@sha256:${"f".repeat(64)}`;
      c.cluster = {
        name: "prod",
        cni: "flannel",
        podCidr: "10.42.0.0/16",
        flannel: { image: mirror("flannel"), cniPluginImage: mirror("flannel-cni-plugin") },
      };
    });
    expect(problemsOf(flannelProd)).toEqual([
      "platform:cluster.cni: flannel does not enforce NetworkPolicy, so teams in prod would not be isolated; use calico, or set cluster.acknowledgeNoNetworkPolicy: true",
    ]);
    const acknowledged = withConfig(flannelProd, (c) => (c.cluster.acknowledgeNoNetworkPolicy = true));
    expect(problemsOf(acknowledged)).toEqual([]);
  });

  test("prod pins flannel's images by digest only when the platform installs the CNI", () => {
    const flannelProd = withConfig(prod, (c) => (c.cluster = { name: "prod", cni: "flannel", podCidr: "10.42.0.0/16", acknowledgeNoNetworkPolicy: true }));
    expect(problemsOf(flannelProd)).toEqual([
      expect.stringMatching(/^platform:cluster\.flannel\.image: is required in prod/),
      expect.stringMatching(/^platform:cluster\.flannel\.cniPluginImage: is required in prod/),
    ]);
    expect(problemsOf(withConfig(flannelProd, (c) => (c.cluster.installCni = false)))).toEqual([]);
  });

  test("one message lists every problem, with a count and the stack", () => {
    const cfg = withConfig(dev, (c) => {
      c.cluster.cni = "cilium";
      c.teams[1].quota.cpu = "lots";
      c.logging.port = 0;
    });
    let error: unknown;
    try {
      parsePlatformConfig(cfg.config, new Set(cfg.secretKeys), "dev");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid stack config for stack "dev" \(3 problems\):/);
    expect(message).toContain('  - platform:cluster.cni: expected one of "calico" | "flannel", got "cilium"');
    expect(message).toContain('  - platform:teams[1].quota.cpu: expected a Kubernetes quantity like "500m" or "2", got "lots"');
    expect(message).toContain("  - platform:logging.port:");
    expect(message).toContain("Nothing was changed.");
  });

  test("the program registers nothing when config is invalid", async () => {
    const registered: Registered[] = [];
    const bad = withConfig(dev, (c) => (c.teams[0].quota.cpu = "lots"));
    await expect(runProgram("dev", bad, registered)).rejects.toThrow(PlatformConfigError);
    expect(registered).toEqual([]);
  });
});

describe("good stack config", () => {
  test.each([["dev"], ["prod"]])("Pulumi.%s.yaml is valid", (stack) => {
    expect(problemsOf(loadStackConfig(stack))).toEqual([]);
  });

  test("defaults are filled in, YAML numbers become quantities", () => {
    const cfg = withConfig(dev, (c) => {
      c.teams[0].quota.cpu = 4;
      delete c.teams[0].podSecurity;
      delete c.teams[0].containerDefaults;
    });
    const parsed = parsePlatformConfig(cfg.config, new Set(), "dev");
    expect(parsed.teams[0].quota.cpu).toBe("4");
    expect(parsed.teams[0].podSecurity).toBe("restricted");
    expect(parsed.teams[0].containerDefaults).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    expect(parsed.logging.tlsVerify).toBe(true);
  });

  test.each([
    // tigera-operator: only IPIP, IPIPCrossSubnet and None need BGP; VXLAN modes work with it off.
    ["IPIP", "Enabled"],
    ["IPIPCrossSubnet", "Enabled"],
    ["VXLAN", "Disabled"],
    ["VXLAN", "Enabled"],
    ["VXLANCrossSubnet", "Disabled"],
    ["VXLANCrossSubnet", "Enabled"],
    ["None", "Enabled"],
  ])("calico %s with BGP %s is accepted", (encapsulation, bgp) => {
    expect(problemsOf(withConfig(dev, calico({ encapsulation, bgp })))).toEqual([]);
  });

  test("keys outside the platform namespace are left to their owners", () => {
    const cfg = withConfig(dev, () => undefined);
    cfg.config["kubernetes:context"] = "kind-dev";
    expect(problemsOf(cfg)).toEqual([]);
  });
});
