// The mock harness runs programs under a root Stack resource, as the engine does: top-level
// resources are its children, it is not recorded, and a program's failure reaches the caller.
import * as pulumi from "@pulumi/pulumi";
import { runComponents } from "../testing/components";
import { installRecordingMocks, Registered, underRootStack } from "../testing/harness";

class Leaf extends pulumi.CustomResource {}

class Probe extends pulumi.ComponentResource {
  constructor(name: string) {
    super("platform:test:Probe", name, {});
    new Leaf("test:index:Leaf", `${name}-leaf`, {}, { parent: this });
    this.registerOutputs({});
  }
}

describe("the harness's root stack", () => {
  test("top-level resources are the root's children; children keep their component as parent; the root is not recorded", async () => {
    const registered = await runComponents(() => new Probe("probe"));
    expect(registered.map((r) => r.type)).toEqual(["platform:test:Probe", "test:index:Leaf"]);
    const [probe, leaf] = registered;
    expect(probe.parent).toMatch(/::pulumi:pulumi:Stack::/);
    expect(leaf.parent).toBe(probe.urn);
  });

  test("the program runs with the root as the current stack resource", async () => {
    let root: pulumi.Resource | undefined;
    await runComponents(() => {
      root = pulumi.runtime.getStackResource();
    });
    expect(root && (root as any).__pulumiType).toBe("pulumi:pulumi:Stack");
  });

  test("a failing program rejects for its caller with its own error, after what it registered is answered", async () => {
    const registered: Registered[] = [];
    await installRecordingMocks("test", { config: {}, secretKeys: [] }, registered);
    const failing = underRootStack(async () => {
      new Probe("before-failure");
      throw new Error("config is wrong");
    });
    await expect(failing).rejects.toThrow("config is wrong");
    expect(registered.map((r) => r.name)).toEqual(["before-failure", "before-failure-leaf"]);
  });
});
