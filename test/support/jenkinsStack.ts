// The stacks and lookups the Jenkins tests share (test/jenkins.test.ts, test/jenkinsAccess.test.ts).
import { loadStackConfig, StackConfig, withConfig } from "../../testing/harness";
export { jenkinsAgentPods as agentPods, jenkinsCasc as casc, jenkinsController as controller } from "./componentArgs";

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
