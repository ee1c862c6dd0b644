// Jenkins: controller, JENKINS_HOME that no config change can lose, JCasC, agents, plugins, RBAC, network.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag } from "../components/jenkins";
import {
  find,
  isSecret,
  loadStackConfig,
  plainStrings,
  problemsOf,
  Registered,
  reveal,
  runProgram,
  runStack,
  StackConfig,
  withConfig,
} from "../testing/harness";

const dev = loadStackConfig("dev");
const prod = loadStackConfig("prod");
const devOwnHarbor = withConfig(dev, (c) => (c.harbor.enabled = true)); // its admin pushes; the shared one needs `docker login`
const robots = {
  registryRobots: JSON.stringify({
    payments: { username: "robot$payments+ci", password: "robot-pw-payments" },
    search: { username: "robot$search+ci", password: "robot-pw-search" },
  }),
};
const withJenkins = (base: StackConfig, edit: (j: Record<string, any>) => void, secrets: Record<string, string> = {}) =>
  withConfig(base, (c) => edit(c.jenkins), secrets);
const controller = (rs: Registered[]) => find(rs, "StatefulSet", "jenkins", "jenkins");
const casc = (rs: Registered[]) => JSON.parse(find(rs, "ConfigMap", "jenkins-casc", "jenkins").inputs.data["jenkins.yaml"]);
const agentPods = (rs: Registered[]) => casc(rs).jenkins.clouds[0].kubernetes.templates.map((t: any) => ({ ...t, pod: JSON.parse(t.yaml) }));

describe("the controller", () => {
  test("one replica, uid 1000 with fsGroup 1000 (OnRootMismatch) so the official image can write JENKINS_HOME, hardened container", async () => {
    const sts = controller(await runProgram("dev")).inputs.spec;
    expect(sts.replicas).toBe(1);
    const pod = sts.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true });
    expect(c.volumeMounts).toContainEqual({ name: "jenkins-home", mountPath: "/var/jenkins_home" });
    expect(c.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "agent", containerPort: 50000, protocol: "TCP" },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } });
  });

  test("startup, readiness and liveness probes on /login", async () => {
    const c = controller(await runProgram("dev")).inputs.spec.template.spec.containers[0];
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.httpGet).toEqual({ path: "/login", port: "http" });
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
    expect(JSON.stringify(c.readinessProbe)).not.toEqual(JSON.stringify(c.livenessProbe));
  });

  test("JENKINS_HOME is a volume claim template sized from config; dev and prod differ", async () => {
    const claim = (rs: Registered[]) => controller(rs).inputs.spec.volumeClaimTemplates[0];
    expect(claim(await runProgram("dev")).spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
    const prodClaim = claim(await runProgram("prod"));
    expect(prodClaim.metadata.name).toBe("jenkins-home");
    expect(prodClaim.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "100Gi" } } });
    expect(controller(await runProgram("prod")).inputs.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
  });
});

describe("prod protects JENKINS_HOME", () => {
  test("the StatefulSet, admin Secret and generated password are protected and retained; dev's are not", async () => {
    const rs = await runProgram("prod");
    for (const r of [controller(rs), find(rs, "Secret", "jenkins-admin"), rs.find((x) => x.name === "jenkins-admin-password")!]) {
      expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
    }
    expect(controller(await runProgram("dev")).protect).toBe(false);
  });

  // What makes Kubernetes (and Pulumi) replace a StatefulSet or its volumes: these must never change.
  const identity = (rs: Registered[]) => {
    const sts = controller(rs);
    return JSON.stringify({
      type: sts.type,
      name: sts.name,
      metadata: sts.inputs.metadata.name,
      claims: sts.inputs.spec.volumeClaimTemplates,
      selector: sts.inputs.spec.selector,
      serviceName: sts.inputs.spec.serviceName,
    });
  };
  const pluginsFile = path.resolve("images/jenkins/plugins.txt");
  // Prod pins by digest and refuses jenkins.image.build: the custom image is built in dev.
  const mirror = (name: string, hex: string) => `harbor.prod.example.com/mirror/${name}@sha256:${hex.repeat(64)}`;
  test.each<[string, "dev" | "prod", () => StackConfig]>([
    ["image digest", "prod", () => withJenkins(prod, (j) => (j.image = { controller: mirror("jenkins", "b") }))],
    [
      "JCasC (pod templates, admin user)",
      "prod",
      () =>
        withJenkins(prod, (j) => {
          j.adminUser = "ops";
          j.podTemplates = [{ name: "big", containers: [{ name: "gradle", image: mirror("gradle", "c") }] }];
        }),
    ],
    ["resources", "prod", () => withJenkins(prod, (j) => (j.resources = { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "8", memory: "16Gi" } }))],
    ["custom image build", "dev", () => withJenkins(dev, (j) => (j.image = { build: true }))],
  ])("a change of %s updates the controller in place and leaves the volume untouched (%s)", async (_what, stack, changed) => {
    const before = await runProgram(stack);
    const after = await runProgram(stack, changed());
    // The change is real: the pod template differs...
    expect(JSON.stringify(controller(after).inputs.spec.template)).not.toEqual(JSON.stringify(controller(before).inputs.spec.template));
    // ...and nothing that would replace the StatefulSet or its volume does.
    expect(identity(after)).toEqual(identity(before));
    expect(controller(after).protect).toBe(stack === "prod");
  });

  test("a change of the plugin list updates the controller in place and leaves the volume untouched", async () => {
    const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plugins-")), "plugins.txt");
    fs.writeFileSync(list, fs.readFileSync(pluginsFile, "utf8") + "blueocean:1.27.17\n");
    const before = await runProgram("prod");
    const after = await runProgram(
      "prod",
      withJenkins(prod, (j) => (j.pluginsFile = list)),
    );
    expect(find(after, "ConfigMap", "jenkins-plugins").inputs.data["plugins.txt"]).toContain("blueocean:1.27.17");
    expect(controller(after).inputs.spec.template.metadata.annotations["checksum/config"]).not.toEqual(
      controller(before).inputs.spec.template.metadata.annotations["checksum/config"],
    );
    expect(identity(after)).toEqual(identity(before));
  });
});

describe("configuration as code", () => {
  test("CASC_JENKINS_CONFIG points at the mounted ConfigMap; the admin comes from the Secret by env reference", async () => {
    const rs = await runProgram("dev");
    const pod = controller(rs).inputs.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.CASC_JENKINS_CONFIG).toBe("/var/jenkins_casc/jenkins.yaml");
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "casc", mountPath: "/var/jenkins_casc", readOnly: true });
    expect(pod.volumes).toContainEqual({ name: "casc", configMap: { name: "jenkins-casc" } });
    expect(env.JENKINS_ADMIN_ID).toEqual({ secretKeyRef: { name: "jenkins-admin", key: "username" } });
    expect(env.JENKINS_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: "jenkins-admin", key: "password" } });
    expect(env.JAVA_OPTS).toContain("-Djenkins.install.runSetupWizard=false");
  });

  test("local realm without sign-up, only logged-in users act, no builds on the controller", async () => {
    const j = casc(await runProgram("dev")).jenkins;
    expect(j.numExecutors).toBe(0);
    expect(j.securityRealm).toEqual({ local: { allowsSignup: false, users: [{ id: "${JENKINS_ADMIN_ID}", password: "${JENKINS_ADMIN_PASSWORD}" }] } });
    expect(j.authorizationStrategy).toEqual({ loggedInUsersCanDoAnything: { allowAnonymousRead: false } });
  });

  test("the Kubernetes cloud targets the agent namespace with the in-cluster URL and agent tunnel", async () => {
    const cloud = casc(await runProgram("prod")).jenkins.clouds[0].kubernetes;
    expect(cloud).toMatchObject({
      namespace: "jenkins-agents",
      jenkinsUrl: "http://jenkins.jenkins.svc.cluster.local:8080/",
      jenkinsTunnel: "jenkins-agent.jenkins.svc.cluster.local:50000",
    });
    expect(casc(await runProgram("prod")).unclassified.location.url).toBe("https://jenkins.prod.example.com/");
  });

  test("without robot accounts: one default template with jnlp, node and the rootless image builder, no push credential", async () => {
    const [t, ...rest] = agentPods(await runProgram("dev"));
    expect(rest).toEqual([]);
    expect(t).toMatchObject({ name: "default", label: "default", namespace: "jenkins-agents", serviceAccount: "jenkins-agent" });
    expect(t.pod.spec.containers.map((c: any) => c.name)).toEqual(["jnlp", "node", "builder"]);
    expect(t.pod.spec.volumes).toEqual([]);
  });

  test("with robot accounts: one template per team; its builder pushes with that team's robot, never via Docker", async () => {
    const rs = await runProgram(
      "dev",
      withConfig(dev, () => undefined, robots),
    );
    const templates = agentPods(rs);
    expect(templates.map((t: any) => [t.name, t.label])).toEqual([
      ["payments", "payments"],
      ["search", "search"],
    ]);
    const pod = templates[0].pod;
    const builder = pod.spec.containers.find((c: any) => c.name === "builder");
    expect(builder.image).toMatch(/^moby\/buildkit:v[\d.]+-rootless$/);
    expect(builder.env).toEqual([
      { name: "BUILDKITD_FLAGS", value: "--oci-worker-no-process-sandbox" },
      { name: "DOCKER_CONFIG", value: "/home/user/.docker" },
    ]);
    expect(builder.volumeMounts).toEqual([{ name: "registry-push", mountPath: "/home/user/.docker", readOnly: true }]);
    expect(builder.securityContext).toMatchObject({ runAsUser: 1000, capabilities: { drop: ["ALL"], add: ["SETUID", "SETGID"] } });
    expect(builder.securityContext.privileged).toBeUndefined();
    expect(pod.spec.volumes).toEqual([
      { name: "registry-push", secret: { secretName: "registry-push-payments", items: [{ key: ".dockerconfigjson", path: "config.json" }] } },
    ]);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(JSON.stringify(pod)).not.toMatch(/docker\.sock|hostPath|"privileged":true/);
    // The push Secret: the team's robot for the Harbor host, content only ever secret.
    const push = find(rs, "Secret", "registry-push-payments", "jenkins-agents").inputs;
    expect(push.type).toBe("kubernetes.io/dockerconfigjson");
    expect(isSecret(push.stringData[".dockerconfigjson"]) || isSecret(push.stringData)).toBe(true);
    expect(JSON.parse(reveal(push.stringData)[".dockerconfigjson"]).auths["harbor.dev.example.com"]).toMatchObject({
      username: "robot$payments+ci",
      password: "robot-pw-payments",
    });
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("robot-pw-payments");
  });

  test("pod templates from config: name, label, team and build containers", async () => {
    const cfg = withJenkins(
      dev,
      (j) => (j.podTemplates = [{ name: "java", label: "maven", team: "search", containers: [{ name: "maven", image: "maven:3.9.9-eclipse-temurin-21" }] }]),
      robots,
    );
    const [t] = agentPods(await runProgram("dev", cfg));
    expect(t).toMatchObject({ name: "java", label: "maven" });
    expect(t.pod.spec.containers.map((c: any) => [c.name, c.image])).toEqual([
      ["jnlp", expect.stringMatching(/^jenkins\/inbound-agent:/)],
      ["maven", "maven:3.9.9-eclipse-temurin-21"],
    ]);
    expect(t.pod.metadata.labels["platform.k8s/team"]).toBe("search");
  });
});

describe("admin credentials", () => {
  test("generated with @pulumi/random, only ever a secret, never in the ConfigMap", async () => {
    const { resources: rs, outputs } = await runStack("dev");
    expect(rs.find((r) => r.name === "jenkins-admin-password")!.inputs).toMatchObject({ length: 32, special: false });
    const secret = find(rs, "Secret", "jenkins-admin", "jenkins").inputs;
    const password = reveal(secret.stringData).password;
    expect(password).toHaveLength(32);
    expect(reveal(secret.stringData).username).toBe("admin");
    for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(password);
    const jenkins = outputs.ciAndRegistry.jenkins!;
    expect(await (jenkins.adminPassword as any).isSecret).toBe(true);
    expect({ url: jenkins.url, adminUser: jenkins.adminUser }).toEqual({ url: "http://jenkins.jenkins.svc.cluster.local:8080/", adminUser: "admin" });
  });

  test("a supplied password is used, and never appears in plain inputs", async () => {
    const rs = await runProgram(
      "dev",
      withConfig(dev, () => undefined, { jenkinsAdminPassword: "supplied-jenkins-pw" }),
    );
    expect(rs.find((r) => r.name === "jenkins-admin-password")).toBeUndefined();
    expect(reveal(find(rs, "Secret", "jenkins-admin").inputs.stringData).password).toBe("supplied-jenkins-pw");
    for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("supplied-jenkins-pw");
  });
});

describe("plugins", () => {
  const pinned = fs
    .readFileSync("images/jenkins/plugins.txt", "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"));

  test("plugins.txt pins every plugin to a version", () => {
    expect(pinned.length).toBeGreaterThan(3);
    for (const line of pinned) expect(line).toMatch(/^[a-z0-9-]+:[\w.-]+$/);
    expect(pinned.map((l) => l.split(":")[0])).toEqual(expect.arrayContaining(["kubernetes", "configuration-as-code", "workflow-aggregator", "git"]));
  });

  test("by default an init container installs them with jenkins-plugin-cli from the pinned list", async () => {
    const rs = await runProgram("dev");
    expect(find(rs, "ConfigMap", "jenkins-plugins").inputs.data["plugins.txt"]).toBe(fs.readFileSync("images/jenkins/plugins.txt", "utf8"));
    const [init] = controller(rs).inputs.spec.template.spec.initContainers;
    expect(init.command).toEqual([
      "jenkins-plugin-cli",
      "--plugin-file",
      "/var/jenkins_plugin_list/plugins.txt",
      "--plugin-download-directory",
      "/usr/share/jenkins/ref/plugins",
      "--latest",
      "false",
    ]);
    expect(init.image).toBe(controller(rs).inputs.spec.template.spec.containers[0].image);
    expect(rs.filter((r) => r.type === "docker:index/image:Image")).toEqual([]);
  });

  test("image.build: a custom image built and pushed to Harbor with @pulumi/docker, tagged by content; no init container", async () => {
    const rs = await runProgram(
      "dev",
      withJenkins(devOwnHarbor, (j) => (j.image = { build: true })),
    );
    const image = rs.find((r) => r.type === "docker:index/image:Image")!;
    expect(image.inputs.build).toMatchObject({
      context: "images/jenkins",
      dockerfile: "images/jenkins/Dockerfile",
      args: { JENKINS_IMAGE: "jenkins/jenkins:2.492.3-lts-jdk17" },
    });
    expect(image.inputs.imageName).toBe(`harbor.dev.example.com/platform/jenkins:${contentTag("images/jenkins", "jenkins/jenkins:2.492.3-lts-jdk17")}`);
    expect(image.inputs.imageName).toMatch(/:[0-9a-f]{12}$/);
    expect(reveal(image.inputs.registry)).toMatchObject({ server: "harbor.dev.example.com", username: "admin" });
    expect(isSecret(image.inputs.registry.password) || isSecret(image.inputs.registry)).toBe(true);
    const pod = controller(rs).inputs.spec.template.spec;
    expect(pod.containers[0].image).toBe(image.inputs.imageName);
    expect(pod.initContainers).toBeUndefined();
    expect(rs.find((r) => r.inputs.kind === "ConfigMap" && r.inputs.metadata.name === "jenkins-plugins")).toBeUndefined();
  });

  test("the content tag changes with any file in the build context and with the base image", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jenkins-image-"));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM x\n");
    fs.writeFileSync(path.join(dir, "plugins.txt"), "git:5.7.0\n");
    const first = contentTag(dir, "jenkins/jenkins:2.492.3-lts-jdk17");
    expect(contentTag(dir, "jenkins/jenkins:2.492.3-lts-jdk17")).toBe(first);
    expect(contentTag(dir, "jenkins/jenkins:2.504.1-lts-jdk21")).not.toBe(first);
    fs.writeFileSync(path.join(dir, "plugins.txt"), "git:5.7.1\n");
    expect(contentTag(dir, "jenkins/jenkins:2.492.3-lts-jdk17")).not.toBe(first);
  });
});

describe("access: RBAC, Services, Ingress, NetworkPolicy", () => {
  test("the controller's Role in the agent namespace covers pods, exec, logs and events, and no secrets", async () => {
    const rs = await runProgram("dev");
    const role = find(rs, "Role", "jenkins-agents", "jenkins-agents").inputs;
    expect(
      role.rules
        .map((r: any) => r.resources)
        .flat()
        .sort(),
    ).toEqual(["events", "pods", "pods/exec", "pods/log"]);
    expect(JSON.stringify(role.rules)).not.toContain("secrets");
    expect(role.rules.every((r: any) => !r.verbs.includes("*") && r.apiGroups.every((g: string) => g === ""))).toBe(true);
    expect(find(rs, "RoleBinding", "jenkins-agents", "jenkins-agents").inputs).toMatchObject({
      roleRef: { kind: "Role", name: "jenkins-agents" },
      subjects: [{ kind: "ServiceAccount", name: "jenkins", namespace: "jenkins" }],
    });
    expect(find(rs, "ServiceAccount", "jenkins-agent", "jenkins-agents").inputs.automountServiceAccountToken).toBe(false);
    expect(rs.filter((r) => r.inputs.kind === "ClusterRole" && /jenkins/.test(r.inputs.metadata.name))).toEqual([]);
  });

  test("ClusterIP Services for HTTP 8080 and the agent port 50000", async () => {
    const rs = await runProgram("dev");
    expect(find(rs, "Service", "jenkins", "jenkins").inputs.spec).toMatchObject({
      type: "ClusterIP",
      ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
    });
    expect(find(rs, "Service", "jenkins-agent", "jenkins").inputs.spec).toMatchObject({
      type: "ClusterIP",
      ports: [{ name: "agent", port: 50000, targetPort: "agent", protocol: "TCP" }],
    });
  });

  test("prod has an Ingress with TLS for the configured host and class; dev has none", async () => {
    const ingress = find(await runProgram("prod"), "Ingress", "jenkins", "jenkins").inputs.spec;
    expect(ingress.ingressClassName).toBe("nginx");
    expect(ingress.tls).toEqual([{ hosts: ["jenkins.prod.example.com"], secretName: "jenkins-tls" }]);
    expect(ingress.rules[0]).toMatchObject({
      host: "jenkins.prod.example.com",
      http: { paths: [{ path: "/", backend: { service: { name: "jenkins", port: { name: "http" } } } }] },
    });
    expect((await runProgram("dev")).filter((r) => r.inputs.kind === "Ingress")).toEqual([]);
  });

  test("agent pods reach the controller on 8080 and 50000; the ingress namespace only on 8080", async () => {
    const np = find(await runProgram("prod"), "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec;
    expect(np.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "jenkins", "app.kubernetes.io/instance": "jenkins" });
    expect(np.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["jenkins-agents"] }] } }],
        ports: [
          { protocol: "TCP", port: 8080 },
          { protocol: "TCP", port: 50000 },
        ],
      },
      {
        from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["ingress", "monitoring"] }] } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
  });

  test("the controller namespace enforces restricted Pod Security; the agent namespace is privileged for BuildKit but warns at restricted", async () => {
    const rs = await runProgram("dev");
    expect(find(rs, "Namespace", "jenkins").inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(find(rs, "Namespace", "jenkins-agents").inputs.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/warn": "restricted",
    });
  });

  test("disabled: no Jenkins objects at all", async () => {
    const rs = await runProgram(
      "dev",
      withJenkins(dev, (j) => (j.enabled = false)),
    );
    expect(rs.filter((r) => r.type === "platform:ci:Jenkins" || /jenkins/.test(r.inputs.metadata?.namespace ?? r.inputs.metadata?.name ?? ""))).toEqual([]);
  });
});

describe("bad Jenkins config is refused, naming the key", () => {
  test.each<[string, StackConfig, string]>([
    [
      "a pod template without a name",
      withJenkins(dev, (j) => (j.podTemplates = [{ label: "x" }])),
      "platform:jenkins.podTemplates[0].name: is required (expected string)",
    ],
    [
      "a negative storage size",
      withJenkins(dev, (j) => (j.storage.size = "-10Gi")),
      'platform:jenkins.storage.size: expected a Kubernetes quantity like "500m" or "2", got "-10Gi"',
    ],
    [
      "an unpinned controller image",
      withJenkins(dev, (j) => (j.image = { controller: "jenkins/jenkins:latest" })),
      'platform:jenkins.image.controller: expected an image with a pinned tag or digest like "repo/app:1.2.3", got "jenkins/jenkins:latest"',
    ],
    [
      "duplicate pod template names",
      withJenkins(dev, (j) => (j.podTemplates = [{ name: "a" }, { name: "a" }])),
      'platform:jenkins.podTemplates[1].name: "a" is already used by podTemplates[0]',
    ],
    [
      "a pod template for an unknown team",
      withJenkins(dev, (j) => (j.podTemplates = [{ name: "a", team: "billing" }])),
      'platform:jenkins.podTemplates[0].team: "billing" is not a configured team (teams: payments, search)',
    ],
    [
      "a pod template for a team without a robot",
      withJenkins(dev, (j) => (j.podTemplates = [{ name: "a", team: "search" }])),
      `platform:jenkins.podTemplates[0].team: team "search" has no robot account: pulumi config set --secret platform:registryRobots '{"search": {"username": "...", "password": "..."}}'`,
    ],
    [
      "a jnlp container in a template",
      withJenkins(dev, (j) => (j.podTemplates = [{ name: "a", containers: [{ name: "jnlp", image: "x/y:1" }] }])),
      "platform:jenkins.podTemplates[0].containers: the jnlp agent container is added by the platform; list only build containers",
    ],
    [
      "agents in the controller namespace",
      withJenkins(dev, (j) => (j.agentNamespace = "jenkins")),
      'platform:jenkins.agentNamespace: must differ from jenkins.namespace "jenkins": agents never share the controller\'s namespace',
    ],
    [
      "a namespace a team owns",
      withJenkins(dev, (j) => (j.namespace = "payments")),
      'platform:jenkins.namespace: "payments" is already the namespace of team "payments"',
    ],
    [
      "an ingress host that is not a DNS name",
      withJenkins(dev, (j) => (j.ingress = { host: "https://jenkins" })),
      'platform:jenkins.ingress.host: expected a DNS host name like "logs.example.com", got "https://jenkins"',
    ],
    [
      "a custom image without a registry",
      withConfig(dev, (c) => {
        c.jenkins.image = { build: true };
        delete c.harbor;
      }),
      "platform:jenkins.image.build: needs platform:harbor.host: the registry the custom image is pushed to",
    ],
    [
      "a plugin list that does not exist",
      withJenkins(dev, (j) => (j.pluginsFile = "images/jenkins/plugin.txt")),
      "platform:jenkins.pluginsFile: no such file: images/jenkins/plugin.txt",
    ],
    ["a misspelt key", withJenkins(dev, (j) => (j.storge = {})), "platform:jenkins.storge: unknown key (check the spelling)"],
  ])("%s", (_what, cfg, expected) => {
    expect(problemsOf(cfg)).toContain(expected);
  });

  test("an admin password stored in plain text is refused", () => {
    const cfg = { ...dev, config: { ...dev.config, "platform:jenkinsAdminPassword": "plain" } };
    expect(problemsOf(cfg)).toEqual([
      "platform:jenkinsAdminPassword: holds a credential and must be stored encrypted: pulumi config set --secret platform:jenkinsAdminPassword <value>",
    ]);
  });
});
