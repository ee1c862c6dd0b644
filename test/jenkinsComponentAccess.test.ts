// Jenkins built from typed args alone: plugins or a custom image, RBAC, Services, Ingress,
// NetworkPolicy and Pod Security. What the stack passes it is in test/jenkinsAccess.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { contentTag, Jenkins, JenkinsArgs } from "../components/jenkins";
import { runComponents } from "../testing/components";
import { find, isSecret, reveal } from "../testing/harness";
import { JENKINS_PLUGINS, jenkinsArgs, jenkinsController as controller } from "./support/componentArgs";

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
    const rs = await build({ plugins: undefined, customImage: { context: "images/jenkins", repository: "harbor.dev.example.com/platform/jenkins", registry } });
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
