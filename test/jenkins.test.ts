// Jenkins as the stack builds it: JENKINS_HOME per stack, prod protection, the agent templates and push
// credentials from teams and robots, a supplied admin password, the stack's outputs. The component's own
// behaviour, from typed args, is in test/jenkinsComponent.test.ts.
import { find, plainStrings, Registered, reveal, runProgram, runStack, withConfig } from "../testing/harness";
import { agentPods, controller, dev, robots } from "./support/jenkinsStack";

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
