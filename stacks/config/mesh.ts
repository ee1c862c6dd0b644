// platform:mesh — the Istio service mesh, opt-in: every team namespace joins it (sidecar injection,
// mTLS STRICT, an AuthorizationPolicy mirroring the team's allowed ingress namespaces), and the
// control plane is installed from the official charts when `controlPlane` is given.
import { z } from "zod";
import { chartSource } from "./cluster";
import { dnsLabel } from "./primitives";
import { field, Issue, items, text, valid } from "./salvage";

export const MESH_DEFAULTS = { controlPlaneNamespace: "istio-system" };

const controlPlane = z.strictObject({
  /** Where istiod and the istio-cni node agent run. */
  namespace: dnsLabel.default(MESH_DEFAULTS.controlPlaneNamespace),
  /** The official charts, pinned (repo + version) or a local copy (path). */
  base: chartSource,
  istiod: chartSource,
  /** Required: teams run under baseline/restricted Pod Security, which refuses istio-init's NET_ADMIN. */
  cni: chartSource,
});

export const meshSchema = z.strictObject({
  istio: z.strictObject({
    /** A revision-labelled control plane (`istio.io/rev=<revision>`); without it `istio-injection=enabled`. */
    revision: dnsLabel.optional(),
    /** Install base, istiod and istio-cni from their charts; without it they must already be on the cluster. */
    controlPlane: controlPlane.optional(),
  }),
});

export type MeshConfig = z.infer<typeof meshSchema>;

/** Cross-section rules: istio routing needs the mesh; no team may take the control plane's namespace. */
export function checkMesh(c: unknown, issue: Issue): void {
  const istio = field(field(c, "mesh"), "istio");
  const cpNamespace = valid(dnsLabel.default(MESH_DEFAULTS.controlPlaneNamespace), field(field(istio, "controlPlane"), "namespace"));
  const meshInstalled = field(istio, "controlPlane") !== undefined;
  items(field(c, "teams")).forEach((t, i) => {
    if (meshInstalled && cpNamespace !== undefined && text(t, "name") === cpNamespace) {
      issue(["teams", i, "name"], `"${cpNamespace}" is the mesh control plane's namespace (mesh.istio.controlPlane.namespace)`);
    }
  });
  items(field(c, "apps")).forEach((a, i) => {
    const via = text(field(a, "trafficSplit"), "via");
    if (via === "istio" && istio === undefined) {
      issue(
        ["apps", i, "trafficSplit", "via"],
        `"istio" needs the mesh: set mesh.istio (the VirtualService only steers traffic between sidecars), or use "gateway" with a route`,
      );
    }
  });
}
