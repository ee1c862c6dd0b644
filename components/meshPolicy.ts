// A team namespace's place in the Istio mesh: mutual TLS required for every workload, and an
// AuthorizationPolicy that admits only the namespaces the team's NetworkPolicies admit (its own
// and `allowIngressFrom`), so the mesh enforces the same isolation by workload identity, also on
// a CNI that does not enforce NetworkPolicy. The injection label itself sits on the Namespace
// (TeamNamespace's `namespaceLabels`, from meshInjectionLabels below).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "./labels";

export interface TeamMeshPolicyArgs {
  /** The team namespace (also the team's name). */
  team: string;
  namespace: pulumi.Input<string>;
  /** Namespaces whose workloads may call into this one, besides the namespace itself: the team's `allowIngressFrom`. */
  allowIngressFrom?: string[];
  /** Never delete these through Pulumi (prod): `protect` and `retainOnDelete`. */
  protect?: boolean;
}

/** Istio API versions the objects use: served by every supported Istio release (1.22 and later also serve v1). */
export const ISTIO_API = { security: "security.istio.io/v1beta1", networking: "networking.istio.io/v1beta1" };

export const MESH_POLICY_DEFAULTS = { mtlsMode: "STRICT" as const, allowIngressFrom: [] as string[] };

/** The namespace label that turns on sidecar injection: the revision's when there is one (then never `istio-injection`, which would win). */
export function meshInjectionLabels(revision?: string): Record<string, string> {
  return revision ? { "istio.io/rev": revision } : { "istio-injection": "enabled" };
}

/** The namespaces a team admits, in the order its NetworkPolicies list them: itself first, then `allowIngressFrom`. */
export function admittedNamespaces(team: string, allowIngressFrom: string[] = []): string[] {
  return [team, ...allowIngressFrom.filter((ns) => ns !== team)];
}

export class TeamMeshPolicy extends pulumi.ComponentResource {
  public readonly peerAuthenticationName: pulumi.Output<string>;
  public readonly authorizationPolicyName: pulumi.Output<string>;

  constructor(name: string, args: TeamMeshPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:mesh:TeamMeshPolicy", name, {}, opts);
    const labels = { ...standardLabels({ name: "team-mesh", instance: args.team, component: "tenancy" }), "platform.k8s/team": args.team };
    const child: pulumi.CustomResourceOptions = { parent: this, protect: args.protect, retainOnDelete: args.protect };

    const peer = new k8s.apiextensions.CustomResource(
      `${name}-mtls`,
      {
        apiVersion: ISTIO_API.security,
        kind: "PeerAuthentication",
        metadata: { name: `${args.team}-mtls`, namespace: args.namespace, labels },
        // No selector: every workload in the namespace accepts mutual TLS only.
        spec: { mtls: { mode: MESH_POLICY_DEFAULTS.mtlsMode } },
      },
      child,
    );

    // An ALLOW policy denies whatever it does not match, so this one rule is the whole allow list.
    const authz = new k8s.apiextensions.CustomResource(
      `${name}-allow`,
      {
        apiVersion: ISTIO_API.security,
        kind: "AuthorizationPolicy",
        metadata: { name: `${args.team}-allow-ingress-from`, namespace: args.namespace, labels },
        spec: {
          action: "ALLOW",
          rules: [{ from: [{ source: { namespaces: admittedNamespaces(args.team, args.allowIngressFrom ?? MESH_POLICY_DEFAULTS.allowIngressFrom) } }] }],
        },
      },
      child,
    );

    this.peerAuthenticationName = peer.metadata.name;
    this.authorizationPolicyName = authz.metadata.name;
    this.registerOutputs({ peerAuthenticationName: this.peerAuthenticationName, authorizationPolicyName: this.authorizationPolicyName });
  }
}
