// Config validation reports every independent problem in one round (cross-field checks run beside
// type errors), catches keys in namespaces nobody reads, and holds prod to images pinned by digest.
import { loadStackConfig, problemsOf, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const prod = loadStackConfig("prod");

describe("one round of errors", () => {
  test("type and enum errors do not hide the cross-field problems beside them", () => {
    const problems = problemsOf(
      withConfig(dev, (c) => {
        c.environment = "staging"; // enum error at the top level
        c.teams[0].podSecurity = "strict"; // enum error inside a team
        c.teams[1].name = c.teams[0].name; // duplicate team
        c.apps[0].port = "http"; // type error inside a blue-green app ...
        delete c.apps[0].images.blue; // ... which also lost its active color's image
        c.apps[1].team = "nobody"; // reference to no team
        c.apps[1].maxReplicas = 0; // below minReplicas (and not a valid count for it)
        c.apps[2].kind = "database"; // an app of no known kind
        c.logging.port = "loki"; // type error in logging ...
        c.logging.user = "shipper"; // ... and a user without its password
        c.cluster.flannel.backend = "udp";
        c.cluster.calico = { chart: { path: "./x" } }; // calico settings with flannel
        c.harbor.enabled = true; // dev uses a shared Harbor; run its own so its checks apply
        c.harbor.expose.type = "route";
        c.harbor.redis = { type: "external" }; // no addr, no password
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'platform:environment: expected one of "dev" | "prod", got "staging"',
        'platform:teams[0].podSecurity: expected one of "privileged" | "baseline" | "restricted", got "strict"',
        'platform:teams[1].name: "payments" is already used by teams[0]',
        expect.stringMatching(/^platform:apps\[0\]\.port: expected a port number/),
        'platform:apps[0].images.blue: is required: the active color "blue" has no image, so traffic would go nowhere',
        'platform:apps[1].team: "nobody" is not a configured team (teams: payments)',
        expect.stringMatching(/^platform:apps\[1\]\.maxReplicas: /),
        expect.stringMatching(/^platform:apps\[2\]\.kind: /),
        expect.stringMatching(/^platform:logging\.port: /),
        "platform:loggingPassword: is required when logging.user is set: pulumi config set --secret platform:loggingPassword <password>",
        'platform:cluster.flannel.backend: expected one of "vxlan" | "host-gw" | "wireguard", got "udp"',
        'platform:cluster.calico: only applies when cni is calico, but cni is "flannel"',
        expect.stringMatching(/^platform:harbor\.expose\.type: expected one of/),
        "platform:harbor.redis.addr: is required when redis.type is external",
        "platform:harborRedisPassword: is required when harbor.redis.type is external: pulumi config set --secret platform:harborRedisPassword <password>",
      ]),
    );
  });

  test("a field's own error is not echoed by the cross-field checks that read it", () => {
    const problems = problemsOf(
      withConfig(dev, (c) => {
        c.apps[0].images.blue = "harbor.dev.example.com/payments/web:latest"; // invalid, but present
        c.teams[0].name = "Payments_Team"; // invalid name: apps referring to it are not also "unknown team"
        c.apps[0].team = "Payments_Team";
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^platform:teams\[0\]\.name: expected a DNS-1123 label/),
      expect.stringMatching(/^platform:apps\[0\]\.team: expected a DNS-1123 label/),
      expect.stringMatching(/^platform:apps\[0\]\.images\.blue: expected an image with a pinned tag or digest/),
    ]);
  });

  test("within one team, a bad quota does not hide requests above limits", () => {
    const problems = problemsOf(
      withConfig(dev, (c) => {
        c.teams[0].quota.cpu = "lots";
        c.teams[0].containerDefaults = { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } };
      }),
    );
    expect(problems).toEqual([
      'platform:teams[0].quota.cpu: expected a Kubernetes quantity like "500m" or "2", got "lots"',
      "platform:teams[0].containerDefaults.requests.cpu: 2 is more than limits.cpu 1",
    ]);
  });
});

describe("config namespaces", () => {
  const withKey = (key: string, value = "x") => {
    const cfg = withConfig(dev, () => undefined);
    cfg.config[key] = value;
    return problemsOf(cfg);
  };

  test.each([
    ["platfrom:teams", 'platfrom:teams: unknown config namespace "platfrom" (did you mean "platform:teams"?)'],
    ["Platform:apps", 'Platform:apps: unknown config namespace "Platform" (did you mean "platform:apps"?)'],
    ["plat:harbor", 'plat:harbor: unknown config namespace "plat" (did you mean "platform:harbor"?)'],
    // Every top-level key of the schema counts, the newer sections too.
    ["plat:monitoring", 'plat:monitoring: unknown config namespace "plat" (did you mean "platform:monitoring"?)'],
    ["plat:mesh", 'plat:mesh: unknown config namespace "plat" (did you mean "platform:mesh"?)'],
    ["kubernets:context", 'kubernets:context: unknown config namespace "kubernets" (did you mean "kubernetes:context"?)'],
    ["myapp:setting", 'myapp:setting: unknown config namespace "myapp"; nothing reads it.'],
  ])("%s is an error naming the key", (key, start) => {
    const problems = withKey(key);
    expect(problems).toHaveLength(1);
    expect(problems[0].slice(0, start.length)).toBe(start);
    expect(problems[0]).toContain("This program reads platform:, and pulumi:, kubernetes:, docker: belong to the engine and the providers it loads");
  });

  test("a misspelt key inside the platform namespace is still caught", () => {
    expect(withKey("platform:teamz", "[]")).toEqual(["platform:teamz: unknown key (check the spelling)"]);
  });

  test.each([["kubernetes:context"], ["pulumi:tags"], ["pulumi:disable-default-providers"], ["docker:host"]])(
    "%s belongs to the engine or a provider the program loads",
    (key) => {
      expect(withKey(key)).toEqual([]);
    },
  );
});

describe("prod pins every image by digest", () => {
  const HOW = 'mirror it into the prod registry and use "<registry>/<repository>@sha256:<digest>"';

  test("a tag in a prod app is refused at config validation, with a clear message", () => {
    const tag = "harbor.prod.example.com/payments/web:1.6.0";
    expect(problemsOf(withConfig(prod, (c) => (c.apps[0].images.green = tag)))).toEqual([
      `platform:apps[0].images.green: prod pins images by digest, but "${tag}" is a tag; ${HOW}`,
    ]);
    // The same image is fine in dev, where releases are built and tested.
    expect(problemsOf(withConfig(dev, (c) => (c.apps[0].images.green = tag)))).toEqual([]);
  });

  test.each([
    ["an autoscaled app", (c: any) => (c.apps[1].image = "harbor.prod.example.com/search/api:2.3.1"), "platform:apps[1].image: prod pins images by digest"],
    ["a stateful app", (c: any) => (c.apps[2].image = "postgres:16.6"), "platform:apps[2].image: prod pins images by digest"],
    [
      "a smoke test left to its default image",
      (c: any) => delete c.apps[0].smokeTest.image,
      'platform:apps[0].smokeTest.image: is required in prod: the default "curlimages/curl:8.11.1" is pinned by tag only',
    ],
    [
      "the log collector left to its default",
      (c: any) => delete c.logging.image,
      'platform:logging.image: is required in prod: the default "fluent/fluent-bit:3.2.10" is pinned by tag only',
    ],
    [
      "the Jenkins controller by tag",
      (c: any) => (c.jenkins.image.controller = "jenkins/jenkins:2.492.3-lts-jdk17"),
      "platform:jenkins.image.controller: prod pins images by digest",
    ],
    [
      "a Jenkins agent image left to its default",
      (c: any) => delete c.jenkins.agentImages.builder,
      'platform:jenkins.agentImages.builder: is required in prod: the default "moby/buildkit:v0.20.2-rootless"',
    ],
    [
      "a build container by tag",
      (c: any) => (c.jenkins.podTemplates = [{ name: "maven", containers: [{ name: "maven", image: "maven:3.9.9-eclipse-temurin-21" }] }]),
      "platform:jenkins.podTemplates[0].containers[0].image: prod pins images by digest",
    ],
    [
      "a controller image built by the stack",
      (c: any) => (c.jenkins.image.build = true),
      "platform:jenkins.image.build: prod runs only images that passed dev, by digest",
    ],
  ])("%s", (_what, edit, fragment) => {
    expect(problemsOf(withConfig(prod, edit))).toEqual([expect.stringContaining(fragment)]);
  });
});
