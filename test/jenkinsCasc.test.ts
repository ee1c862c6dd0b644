// The JCasC document and agent pod templates, built directly from plain arguments (no program run).
import { agentPod, cascDocument, jenkinsUrl } from "../components/jenkins/casc";
import type { JenkinsPodTemplate } from "../components/jenkins/args";

const base = { namespace: "ci", agentNamespace: "ci-agents", url: "https://ci.example.com/" };
const doc = (extra: Partial<Parameters<typeof cascDocument>[0]> = {}) => JSON.parse(cascDocument({ ...base, podTemplates: [{ name: "default" }], ...extra }));
const containers = (pod: Record<string, any>) => pod.spec.containers.map((c: any) => c.name);

describe("jenkinsUrl", () => {
  test("the Ingress host over https, or the in-cluster Service on 8080", () => {
    expect(jenkinsUrl("ci", "ci.example.com")).toBe("https://ci.example.com/");
    expect(jenkinsUrl("ci")).toBe("http://jenkins.ci.svc.cluster.local:8080/");
  });
});

describe("cascDocument", () => {
  test("the location is the url it is given, whatever order the caller computes things in", () => {
    expect(doc().unclassified.location.url).toBe("https://ci.example.com/");
    expect(doc({ url: "http://elsewhere/" }).unclassified.location.url).toBe("http://elsewhere/");
  });

  test("the cloud targets the agent namespace, the controller Service and the agent tunnel; no executors on the controller", () => {
    const d = doc();
    expect(d.jenkins.numExecutors).toBe(0);
    expect(d.jenkins.clouds[0].kubernetes).toMatchObject({
      namespace: "ci-agents",
      jenkinsUrl: "http://jenkins.ci.svc.cluster.local:8080/",
      jenkinsTunnel: "jenkins-agent.ci.svc.cluster.local:50000",
      containerCapStr: "10",
    });
  });

  test("admin credentials are environment references, never values", () => {
    const text = cascDocument({ ...base, podTemplates: [] });
    expect(JSON.parse(text).jenkins.securityRealm.local.users).toEqual([{ id: "${JENKINS_ADMIN_ID}", password: "${JENKINS_ADMIN_PASSWORD}" }]);
    expect(text.endsWith("\n")).toBe(true);
  });

  test("one template per pod template, labelled by name unless given, its pod as YAML; a team's push Secret only on its own", () => {
    const templates: JenkinsPodTemplate[] = [
      { name: "payments", team: "payments" },
      { name: "java", label: "maven" },
    ];
    const [payments, java] = doc({ podTemplates: templates, pushSecrets: { payments: "registry-push-payments" } }).jenkins.clouds[0].kubernetes.templates;
    expect(payments).toMatchObject({
      name: "payments",
      label: "payments",
      namespace: "ci-agents",
      serviceAccount: "jenkins-agent",
      nodeUsageMode: "EXCLUSIVE",
    });
    expect(java.label).toBe("maven");
    expect(JSON.parse(payments.yaml).spec.volumes[0].secret.secretName).toBe("registry-push-payments");
    expect(JSON.parse(java.yaml).spec.volumes).toEqual([]);
  });

  test("a seed job adds the jobs section; without one there is none", () => {
    expect(doc().jobs).toBeUndefined();
    expect(doc({ seedJob: { repo: "https://github.com/acme/platform.git" } }).jobs[0].script).toContain("multibranchPipelineJob");
  });
});

describe("agentPod", () => {
  test("default containers: jnlp, node and the rootless builder, with the default images unless overridden", () => {
    const pod = agentPod({ name: "default" });
    expect(containers(pod)).toEqual(["jnlp", "node", "builder"]);
    const images = agentPod({ name: "default" }, { node: "node:20.0.0" }) as any;
    expect(images.spec.containers[1].image).toBe("node:20.0.0");
    expect(images.spec.containers[0].image).toMatch(/^jenkins\/inbound-agent:/);
  });

  test("non-root pod without an API token; build containers idle on cat with a TTY", () => {
    const pod = agentPod({ name: "java", containers: [{ name: "maven", image: "maven:3.9.9" }] }) as any;
    expect(pod.spec).toMatchObject({ serviceAccountName: "jenkins-agent", automountServiceAccountToken: false });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.spec.containers[1]).toMatchObject({
      name: "maven",
      command: ["cat"],
      tty: true,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    });
  });

  test("the builder gets the push credential as DOCKER_CONFIG from the Secret; without one, nothing is mounted", () => {
    const withPush = agentPod({ name: "payments", team: "payments" }, {}, "registry-push-payments") as any;
    const builder = withPush.spec.containers.find((c: any) => c.name === "builder");
    expect(builder.env).toContainEqual({ name: "DOCKER_CONFIG", value: "/home/user/.docker" });
    expect(builder.volumeMounts).toEqual([{ name: "registry-push", mountPath: "/home/user/.docker", readOnly: true }]);
    expect(builder.securityContext.capabilities).toEqual({ drop: ["ALL"], add: ["SETUID", "SETGID"] });
    expect(withPush.metadata.labels["platform.k8s/team"]).toBe("payments");
    const without = agentPod({ name: "default" }) as any;
    expect(without.spec.containers.find((c: any) => c.name === "builder").volumeMounts).toEqual([]);
    expect(without.metadata.labels["platform.k8s/team"]).toBeUndefined();
  });
});
