// Jenkins: the component built from typed args alone (the controller, a JENKINS_HOME no arg change can
// lose, JCasC, agent templates, admin credentials), then what the stacks pass it (JENKINS_HOME per
// stack, prod protection, templates and push credentials from teams and robots, a supplied admin
// password, the outputs). Plugins, the image and access: test/jenkinsAccess.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { Jenkins, JenkinsArgs } from "../components/jenkins";
import { runComponents } from "../testing/components";
import { find, isSecret, plainStrings, Registered, reveal, runProgram, runStack, withConfig } from "../testing/harness";
import { JENKINS_PLUGINS, jenkinsArgs, robot } from "./support/componentArgs";
import { agentPods, casc, controller, dev, robots } from "./support/jenkinsStack";

describe("the Jenkins component, from typed args", () => {
  const build = (over: Partial<JenkinsArgs> = {}) => runComponents(() => new Jenkins("jenkins", jenkinsArgs(over)));

  describe("the controller", () => {
    test("one replica, uid 1000 with fsGroup 1000 (OnRootMismatch) so the official image can write JENKINS_HOME, hardened container", async () => {
      const sts = controller(await build()).inputs.spec;
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
      const c = controller(await build()).inputs.spec.template.spec.containers[0];
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.httpGet).toEqual({ path: "/login", port: "http" });
      expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
      expect(JSON.stringify(c.readinessProbe)).not.toEqual(JSON.stringify(c.livenessProbe));
    });
  });

  describe("JENKINS_HOME survives every other change", () => {
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
    const mirror = (name: string, hex: string) => `harbor.prod.example.com/mirror/${name}@sha256:${hex.repeat(64)}`;
    test.each<[string, boolean, Partial<JenkinsArgs>]>([
      ["image digest", true, { image: mirror("jenkins", "b") }],
      [
        "JCasC (pod templates, admin user)",
        true,
        { adminUser: "ops", podTemplates: [{ name: "big", containers: [{ name: "gradle", image: mirror("gradle", "c") }] }] },
      ],
      ["resources", true, { resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "8", memory: "16Gi" } } }],
      ["custom image build", false, { customImage: { context: "images/jenkins", repository: "harbor.dev.example.com/platform/jenkins" } }],
    ])("a change of %s updates the controller in place and leaves the volume untouched (protect: %s)", async (_what, protect, change) => {
      const base = { protect, storage: { size: "100Gi", storageClass: "fast-ssd" } };
      const before = await build(base);
      const after = await build({ ...base, ...change });
      // The change is real: the pod template differs...
      expect(JSON.stringify(controller(after).inputs.spec.template)).not.toEqual(JSON.stringify(controller(before).inputs.spec.template));
      // ...and nothing that would replace the StatefulSet or its volume does.
      expect(identity(after)).toEqual(identity(before));
      expect(controller(after).protect).toBe(protect);
    });

    test("a change of the plugin list updates the controller in place and leaves the volume untouched", async () => {
      const before = await build({ protect: true });
      const after = await build({ protect: true, plugins: JENKINS_PLUGINS + "blueocean:1.27.17\n" });
      expect(find(after, "ConfigMap", "jenkins-plugins").inputs.data["plugins.txt"]).toContain("blueocean:1.27.17");
      expect(controller(after).inputs.spec.template.metadata.annotations["checksum/config"]).not.toEqual(
        controller(before).inputs.spec.template.metadata.annotations["checksum/config"],
      );
      expect(identity(after)).toEqual(identity(before));
    });

    test("protect: the StatefulSet, admin Secret and generated password are protected and retained; without it none is", async () => {
      const rs = await build({ protect: true });
      for (const r of [controller(rs), find(rs, "Secret", "jenkins-admin"), rs.find((x) => x.name === "jenkins-admin-password")!]) {
        expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
      }
      expect(controller(await build()).protect).toBe(false);
    });
  });

  describe("configuration as code", () => {
    test("CASC_JENKINS_CONFIG points at the mounted ConfigMap; the admin comes from the Secret by env reference", async () => {
      const pod = controller(await build()).inputs.spec.template.spec;
      const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(env.CASC_JENKINS_CONFIG).toBe("/var/jenkins_casc/jenkins.yaml");
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: "casc", mountPath: "/var/jenkins_casc", readOnly: true });
      expect(pod.volumes).toContainEqual({ name: "casc", configMap: { name: "jenkins-casc" } });
      expect(env.JENKINS_ADMIN_ID).toEqual({ secretKeyRef: { name: "jenkins-admin", key: "username" } });
      expect(env.JENKINS_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: "jenkins-admin", key: "password" } });
      expect(env.JAVA_OPTS).toContain("-Djenkins.install.runSetupWizard=false");
    });

    test("local realm without sign-up, only logged-in users act, no builds on the controller", async () => {
      const j = casc(await build()).jenkins;
      expect(j.numExecutors).toBe(0);
      expect(j.securityRealm).toEqual({ local: { allowsSignup: false, users: [{ id: "${JENKINS_ADMIN_ID}", password: "${JENKINS_ADMIN_PASSWORD}" }] } });
      expect(j.authorizationStrategy).toEqual({ loggedInUsersCanDoAnything: { allowAnonymousRead: false } });
    });

    test("the Kubernetes cloud targets the agent namespace with the in-cluster URL and agent tunnel; the location is the Ingress host", async () => {
      const doc = casc(await build({ ingress: { host: "jenkins.prod.example.com", className: "nginx" } }));
      expect(doc.jenkins.clouds[0].kubernetes).toMatchObject({
        namespace: "jenkins-agents",
        jenkinsUrl: "http://jenkins.jenkins.svc.cluster.local:8080/",
        jenkinsTunnel: "jenkins-agent.jenkins.svc.cluster.local:50000",
      });
      expect(doc.unclassified.location.url).toBe("https://jenkins.prod.example.com/");
    });

    test("a default template: jnlp, node and the rootless image builder, no push credential", async () => {
      const [t, ...rest] = agentPods(await build());
      expect(rest).toEqual([]);
      expect(t).toMatchObject({ name: "default", label: "default", namespace: "jenkins-agents", serviceAccount: "jenkins-agent" });
      expect(t.pod.spec.containers.map((c: any) => c.name)).toEqual(["jnlp", "node", "builder"]);
      expect(t.pod.spec.volumes).toEqual([]);
    });

    test("a team's template: its builder pushes with that team's robot, never via Docker", async () => {
      const server = "harbor.dev.example.com";
      const rs = await build({
        podTemplates: [
          { name: "payments", team: "payments" },
          { name: "search", team: "search" },
        ],
        registryPush: { payments: robot("payments", server), search: robot("search", server) },
      });
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
      // The push Secret: the team's robot for the registry host, content only ever secret.
      const push = find(rs, "Secret", "registry-push-payments", "jenkins-agents").inputs;
      expect(push.type).toBe("kubernetes.io/dockerconfigjson");
      expect(isSecret(push.stringData[".dockerconfigjson"]) || isSecret(push.stringData)).toBe(true);
      expect(JSON.parse(reveal(push.stringData)[".dockerconfigjson"]).auths[server]).toMatchObject({
        username: "robot$payments+ci",
        password: "robot-pw-payments",
      });
      for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("robot-pw-payments");
    });

    test("pod templates as given: name, label, team and build containers", async () => {
      const podTemplates = [{ name: "java", label: "maven", team: "search", containers: [{ name: "maven", image: "maven:3.9.9-eclipse-temurin-21" }] }];
      const [t] = agentPods(await build({ podTemplates, registryPush: { search: robot("search", "harbor.dev.example.com") } }));
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
      let jenkins!: Jenkins;
      const rs = await runComponents(() => (jenkins = new Jenkins("jenkins", jenkinsArgs())));
      expect(rs.find((r) => r.name === "jenkins-admin-password")!.inputs).toMatchObject({ length: 32, special: false });
      const secret = find(rs, "Secret", "jenkins-admin", "jenkins").inputs;
      const password = reveal(secret.stringData).password;
      expect(password).toHaveLength(32);
      expect(reveal(secret.stringData).username).toBe("admin");
      for (const r of rs) expect(plainStrings(r.inputs)).not.toContain(password);
      expect(await (jenkins.adminPassword as any).isSecret).toBe(true);
      expect({ url: jenkins.url, adminUser: jenkins.adminUser }).toEqual({ url: "http://jenkins.jenkins.svc.cluster.local:8080/", adminUser: "admin" });
    });

    test("a supplied password is used, and never appears in plain inputs", async () => {
      const rs = await build({ adminPassword: pulumi.secret("supplied-jenkins-pw") });
      expect(rs.find((r) => r.name === "jenkins-admin-password")).toBeUndefined();
      expect(reveal(find(rs, "Secret", "jenkins-admin").inputs.stringData).password).toBe("supplied-jenkins-pw");
      for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("supplied-jenkins-pw");
    });
  });
});

describe("Jenkins from the stacks' config", () => {
  describe("JENKINS_HOME per stack", () => {
    test("JENKINS_HOME is a volume claim template sized from config; dev and prod differ", async () => {
      const claim = (rs: Registered[]) => controller(rs).inputs.spec.volumeClaimTemplates[0];
      expect(claim(await runProgram("dev")).spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
      const prodClaim = claim(await runProgram("prod"));
      expect(prodClaim.metadata.name).toBe("jenkins-home");
      expect(prodClaim.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "100Gi" } } });
      expect(controller(await runProgram("prod")).inputs.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    });

    test("prod protects JENKINS_HOME: the StatefulSet, admin Secret and generated password are protected and retained; dev's are not", async () => {
      const rs = await runProgram("prod");
      for (const r of [controller(rs), find(rs, "Secret", "jenkins-admin"), rs.find((x) => x.name === "jenkins-admin-password")!]) {
        expect({ name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, protect: true, retainOnDelete: true });
      }
      expect(controller(await runProgram("dev")).protect).toBe(false);
    });
  });

  describe("agent templates from teams and robots", () => {
    test("without robot accounts: one default template", async () => {
      const [t, ...rest] = agentPods(await runProgram("dev"));
      expect(rest).toEqual([]);
      expect(t).toMatchObject({ name: "default", label: "default", namespace: "jenkins-agents", serviceAccount: "jenkins-agent" });
    });

    test("with robot accounts: one template per team, pushing with that team's robot for harbor.host", async () => {
      const rs = await runProgram(
        "dev",
        withConfig(dev, () => undefined, robots),
      );
      expect(agentPods(rs).map((t: any) => [t.name, t.label, t.pod.metadata.labels["platform.k8s/team"]])).toEqual([
        ["payments", "payments", "payments"],
        ["search", "search", "search"],
      ]);
      const push = find(rs, "Secret", "registry-push-payments", "jenkins-agents").inputs;
      expect(JSON.parse(reveal(push.stringData)[".dockerconfigjson"]).auths["harbor.dev.example.com"]).toMatchObject({
        username: "robot$payments+ci",
        password: "robot-pw-payments",
      });
      for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("robot-pw-payments");
    });
  });

  describe("admin credentials from the stack", () => {
    test("the stack outputs the URL, the admin user and the generated password, only ever a secret", async () => {
      const { resources: rs, outputs } = await runStack("dev");
      const password = reveal(find(rs, "Secret", "jenkins-admin", "jenkins").inputs.stringData).password;
      expect(password).toHaveLength(32);
      const jenkins = outputs.ciAndRegistry.jenkins!;
      expect(await (jenkins.adminPassword as any).isSecret).toBe(true);
      expect({ url: jenkins.url, adminUser: jenkins.adminUser }).toEqual({ url: "http://jenkins.jenkins.svc.cluster.local:8080/", adminUser: "admin" });
    });

    test("a supplied password from config is used, and never appears in plain inputs", async () => {
      const rs = await runProgram(
        "dev",
        withConfig(dev, () => undefined, { jenkinsAdminPassword: "supplied-jenkins-pw" }),
      );
      expect(rs.find((r) => r.name === "jenkins-admin-password")).toBeUndefined();
      expect(reveal(find(rs, "Secret", "jenkins-admin").inputs.stringData).password).toBe("supplied-jenkins-pw");
      for (const r of rs) expect(plainStrings(r.inputs).join("\n")).not.toContain("supplied-jenkins-pw");
    });
  });
});
