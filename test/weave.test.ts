// Weave Net is archived upstream: asking for it is refused with the reason and the supported choices.
import { loadStackConfig, problemsOf, Registered, runProgram, withConfig } from "../testing/harness";

const dev = loadStackConfig("dev");
const withCni = (cni: unknown) =>
  withConfig(dev, (c) => {
    c.cluster.cni = cni;
    delete c.cluster.flannel;
  });

describe("cluster.cni: weave", () => {
  test.each(["weave", "Weave", "weave-net", "weavenet"])("%s is refused, saying why and naming calico and flannel", (cni) => {
    expect(problemsOf(withCni(cni))).toEqual([
      `platform:cluster.cni: "${cni}": Weave Net is not supported: the project is archived upstream (Weaveworks closed in 2024; no releases or security fixes since); ` +
        `use "calico" (routes pure L3 and enforces NetworkPolicy) or "flannel" (a simple overlay, no NetworkPolicy)`,
    ]);
  });

  test("other unknown CNIs keep the plain message", () => {
    expect(problemsOf(withCni("cilium"))).toEqual(['platform:cluster.cni: expected one of "calico" | "flannel", got "cilium"']);
    expect(problemsOf(withCni(undefined))).toEqual(['platform:cluster.cni: is required (one of "calico" | "flannel")']);
  });

  test("the refusal comes before anything is registered", async () => {
    const registered: Registered[] = [];
    await expect(runProgram("dev", withCni("weave"), registered)).rejects.toThrow(/Weave Net is not supported: the project is archived upstream/);
    expect(registered.filter((r) => r.custom)).toEqual([]);
  });
});
