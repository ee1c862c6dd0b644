// The stacks and lookups the Jenkins tests share (test/jenkins.test.ts, test/jenkinsAccess.test.ts).
import { find, loadStackConfig, Registered, StackConfig, withConfig } from "../../testing/harness";

export const dev = loadStackConfig("dev");
export const prod = loadStackConfig("prod");
export const devOwnHarbor = withConfig(dev, (c) => (c.harbor.enabled = true)); // its admin pushes; the shared one needs `docker login`
export const robots = {
  registryRobots: JSON.stringify({
    payments: { username: "robot$payments+ci", password: "robot-pw-payments" },
    search: { username: "robot$search+ci", password: "robot-pw-search" },
  }),
};
export const withJenkins = (base: StackConfig, edit: (j: Record<string, any>) => void, secrets: Record<string, string> = {}) =>
  withConfig(base, (c) => edit(c.jenkins), secrets);
export const controller = (rs: Registered[]) => find(rs, "StatefulSet", "jenkins", "jenkins");
export const casc = (rs: Registered[]) => JSON.parse(find(rs, "ConfigMap", "jenkins-casc", "jenkins").inputs.data["jenkins.yaml"]);
export const agentPods = (rs: Registered[]) => casc(rs).jenkins.clouds[0].kubernetes.templates.map((t: any) => ({ ...t, pod: JSON.parse(t.yaml) }));
