// The Istio mesh from validated config: the control plane (when config installs it), and per team
// the injection label, mTLS STRICT and the AuthorizationPolicy built from the same allowIngressFrom
// list as the team's NetworkPolicies.
import * as pulumi from "@pulumi/pulumi";
import { IstioControlPlane } from "../components/istioControlPlane";
import { meshInjectionLabels, TeamMeshPolicy } from "../components/meshPolicy";
import type { TeamNamespace } from "../components/teamNamespace";
import type { PlatformConfig } from "./config";

export interface Mesh {
  /** Labels for every team Namespace (sidecar injection). */
  namespaceLabels: Record<string, string>;
  /** Puts one team into the mesh, admitting the same namespaces as its NetworkPolicies. */
  addTeam(team: string, allowIngressFrom: string[], ns: TeamNamespace): void;
  outputs: MeshOutputs;
}

export interface MeshOutputs {
  revision: string;
  injectionLabel: Record<string, string>;
  controlPlaneNamespace?: pulumi.Output<string>;
}

/** Undefined when the mesh is off. */
export function createMesh(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions): Mesh | undefined {
  const istio = cfg.mesh?.istio;
  if (!istio) return undefined;
  const protect = cfg.environment === "prod";
  const cp = istio.controlPlane;
  const controlPlane =
    cp &&
    new IstioControlPlane(
      "mesh",
      {
        namespace: cp.namespace,
        revision: istio.revision,
        charts: { base: cp.base, istiod: cp.istiod, cni: cp.cni },
        protect,
      },
      opts,
    );
  const namespaceLabels = meshInjectionLabels(istio.revision);
  return {
    namespaceLabels,
    addTeam(team, allowIngressFrom, ns) {
      // The CRDs come with the control plane's base chart, when we install it.
      new TeamMeshPolicy(
        `${team}-mesh`,
        {
          team,
          namespace: ns.namespace,
          allowIngressFrom,
          protect,
        },
        { ...opts, dependsOn: controlPlane ? [controlPlane] : [] },
      );
    },
    outputs: { revision: istio.revision ?? "default", injectionLabel: namespaceLabels, controlPlaneNamespace: controlPlane?.namespace },
  };
}
