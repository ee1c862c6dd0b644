// Jenkins' plugins, image and access: the component from typed args alone (plugins or a custom image,
// RBAC, Services, Ingress, NetworkPolicy, Pod Security), then the stack (the pinned plugin list, the
// custom image pushed to harbor.host, prod's Ingress and allowed namespaces, disabling it, bad config
// refused by key).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { contentTag, Jenkins, JenkinsArgs } from "../components/jenkins";
import { runComponents } from "../testing/components";
import { find, isSecret, problemsOf, reveal, runProgram, StackConfig, withConfig } from "../testing/harness";
import { JENKINS_PLUGINS, jenkinsArgs } from "./support/componentArgs";
import { controller, dev, devOwnHarbor, withJenkins } from "./support/jenkinsStack";

describe("the Jenkins component's plugins, image and access, from typed args", () => {
  const build = (over: Partial<JenkinsArgs> = {}) => runComponents(() => new Jenkins("jenkins", jenkinsArgs(over)));
  const inNamespaces = (values: string[]) => [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values }] } }];

  describe("plugins", () => {
    test("by default an init container installs them with jenkins-plugin-cli from the given list", async () => {
      const rs = await build();
      expect(find(rs, "ConfigMap", "jenkins-plugins").inputs.data["plugins.txt"]).toBe(JENKINS_PLUGINS);
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

    test("without a custom image, an empty plugin list is refused", async () => {
      await expect(build({ plugins: " \n" })).rejects.toThrow(/Jenkins: plugins .* are required unless a custom image is built/);
    });

    test("a custom image built and pushed with @pulumi/docker, tagged by content; no init container", async () => {
      const registry = { server: "harbor.dev.example.com", username: "admin", password: pulumi.secret("harbor-admin-pw") };
      const rs = await build({
        plugins: undefined,
        customImage: { context: "images/jenkins", repository: "harbor.dev.example.com/platform/jenkins", registry },
      });
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
  });

  describe("access: RBAC, Services, Ingress, NetworkPolicy", () => {
    test("the controller's Role in the agent namespace covers pods, exec, logs and events, and no secrets", async () => {
      const rs = await build();
      const role = find(rs, "Role", "jenkins-agents", "jenkins-agents").inputs;
      expect(
        role.rules
          .map((r: any) => r.resources)
          .flat()
          .sort(),
      ).toEqual(["events", "pods", "pods/exec", "pods/log"]);
      expect(JSON.stringify(role.rules)).not.toContain("secrets");
      expect(role.rules.filter((r: any) => r.verbs.includes("*") || r.apiGroups.some((g: string) => g !== ""))).toEqual([]);
      expect(find(rs, "RoleBinding", "jenkins-agents", "jenkins-agents").inputs).toMatchObject({
        roleRef: { kind: "Role", name: "jenkins-agents" },
        subjects: [{ kind: "ServiceAccount", name: "jenkins", namespace: "jenkins" }],
      });
      expect(find(rs, "ServiceAccount", "jenkins-agent", "jenkins-agents").inputs.automountServiceAccountToken).toBe(false);
      expect(rs.filter((r) => r.inputs.kind === "ClusterRole" && /jenkins/.test(r.inputs.metadata.name))).toEqual([]);
    });

    test("ClusterIP Services for HTTP 8080 and the agent port 50000", async () => {
      const rs = await build();
      expect(find(rs, "Service", "jenkins", "jenkins").inputs.spec).toMatchObject({
        type: "ClusterIP",
        ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
      });
      expect(find(rs, "Service", "jenkins-agent", "jenkins").inputs.spec).toMatchObject({
        type: "ClusterIP",
        ports: [{ name: "agent", port: 50000, targetPort: "agent", protocol: "TCP" }],
      });
    });

    test("with ingress args an Ingress with TLS for the host and class; without them none", async () => {
      const rs = await build({ ingress: { host: "jenkins.prod.example.com", className: "nginx", tlsSecretName: "jenkins-tls" } });
      const ingress = find(rs, "Ingress", "jenkins", "jenkins").inputs.spec;
      expect(ingress.ingressClassName).toBe("nginx");
      expect(ingress.tls).toEqual([{ hosts: ["jenkins.prod.example.com"], secretName: "jenkins-tls" }]);
      expect(ingress.rules[0]).toMatchObject({
        host: "jenkins.prod.example.com",
        http: { paths: [{ path: "/", backend: { service: { name: "jenkins", port: { name: "http" } } } }] },
      });
      expect((await build()).filter((r) => r.inputs.kind === "Ingress")).toEqual([]);
    });

    test("agent pods reach the controller on 8080 and 50000; the allowed namespaces only on 8080", async () => {
      const np = find(await build({ allowIngressFrom: ["ingress", "monitoring"] }), "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec;
      expect(np.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "jenkins", "app.kubernetes.io/instance": "jenkins" });
      expect(np.ingress).toEqual([
        {
          from: inNamespaces(["jenkins-agents"]),
          ports: [
            { protocol: "TCP", port: 8080 },
            { protocol: "TCP", port: 50000 },
          ],
        },
        { from: inNamespaces(["ingress", "monitoring"]), ports: [{ protocol: "TCP", port: 8080 }] },
      ]);
      // No namespace allowed: only the agents' rule.
      expect(find(await build(), "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec.ingress).toHaveLength(1);
    });

    test("the controller namespace enforces restricted Pod Security; the agent namespace is privileged for BuildKit but warns at restricted", async () => {
      const rs = await build();
      expect(find(rs, "Namespace", "jenkins").inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      expect(find(rs, "Namespace", "jenkins-agents").inputs.metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/warn": "restricted",
      });
    });
  });
});

describe("Jenkins' plugins, image and access from the stacks' config", () => {
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

    test("the stack gives Jenkins the pinned list from jenkins.pluginsFile, installed at start (no image built)", async () => {
      const rs = await runProgram("dev");
      expect(find(rs, "ConfigMap", "jenkins-plugins").inputs.data["plugins.txt"]).toBe(fs.readFileSync("images/jenkins/plugins.txt", "utf8"));
      expect(controller(rs).inputs.spec.template.spec.initContainers).toHaveLength(1);
      expect(rs.filter((r) => r.type === "docker:index/image:Image")).toEqual([]);
    });

    test("image.build: the custom image goes to harbor.host under jenkins.image.repository, pushed by the stack's own Harbor admin", async () => {
      const rs = await runProgram(
        "dev",
        withJenkins(devOwnHarbor, (j) => (j.image = { build: true })),
      );
      const image = rs.find((r) => r.type === "docker:index/image:Image")!;
      expect(image.inputs.build).toMatchObject({ context: "images/jenkins", args: { JENKINS_IMAGE: "jenkins/jenkins:2.492.3-lts-jdk17" } });
      expect(image.inputs.imageName).toBe(`harbor.dev.example.com/platform/jenkins:${contentTag("images/jenkins", "jenkins/jenkins:2.492.3-lts-jdk17")}`);
      expect(reveal(image.inputs.registry)).toMatchObject({ server: "harbor.dev.example.com", username: "admin" });
      expect(isSecret(image.inputs.registry.password) || isSecret(image.inputs.registry)).toBe(true);
      expect(controller(rs).inputs.spec.template.spec.containers[0].image).toBe(image.inputs.imageName);
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

  describe("access from the stack", () => {
    test("prod has an Ingress with TLS for the configured host and class, and lets its ingress namespace and monitoring in; dev has none", async () => {
      const prod = await runProgram("prod");
      const ingress = find(prod, "Ingress", "jenkins", "jenkins").inputs.spec;
      expect(ingress.ingressClassName).toBe("nginx");
      expect(ingress.tls).toEqual([{ hosts: ["jenkins.prod.example.com"], secretName: "jenkins-tls" }]);
      expect(find(prod, "NetworkPolicy", "jenkins-controller", "jenkins").inputs.spec.ingress[1]).toEqual({
        from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["ingress", "monitoring"] }] } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      });
      expect((await runProgram("dev")).filter((r) => r.inputs.kind === "Ingress")).toEqual([]);
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
});
