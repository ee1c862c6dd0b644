// The compliant fixture stack, one edit of it, run through the pack with every rule mandatory.
import { analyze, PackResource } from "../../support/policy";
import { deployment, main, specOf, stack, strictConfig } from "../fixtures";

export type Edit = (s: {
  deployment: PackResource;
  job: PackResource;
  service: PackResource;
  hpa: PackResource;
  configMap: PackResource;
  extra: PackResource[];
}) => void;

/** The fixture stack after `edit`, run through the pack with every rule mandatory. */
export async function run(edit: Edit = () => {}) {
  const [d, j, s, h, c] = stack();
  const parts = { deployment: d, job: j, service: s, hpa: h, configMap: c, extra: [] as PackResource[] };
  edit(parts);
  return analyze([parts.deployment, parts.job, parts.service, parts.hpa, parts.configMap, ...parts.extra], strictConfig);
}

export const dSpec = (s: Parameters<Edit>[0]) => specOf(s.deployment);
export const dMain = (s: Parameters<Edit>[0]) => main(s.deployment);
export const jobSpec = (s: Parameters<Edit>[0]) => (s.job.props as any).spec;
/** The Deployment's own spec (replicas), not its pod's (dSpec). */
export const deploymentSpec = (s: Parameters<Edit>[0]) => (s.deployment.props as any).spec;
export const serviceSpec = (s: Parameters<Edit>[0]) => (s.service.props as any).spec;
export const hpaSpec = (s: Parameters<Edit>[0]) => (s.hpa.props as any).spec;

/** Edits most cases make: the main container's image, and one more literal env var on it. */
export const setImage =
  (image: string): Edit =>
  (s) => {
    dMain(s).image = image;
  };
export const addEnv =
  (name: string, value: string): Edit =>
  (s) => {
    dMain(s).env.push({ name, value });
  };
export const pod = (spec: Record<string, any>): PackResource => ({
  type: "kubernetes:core/v1:Pod",
  name: "debug",
  props: { kind: "Pod", metadata: { name: "debug", namespace: "shop", labels: (deployment().props as any).metadata.labels }, spec },
});
