// The toolchain's `go build` line, as every piece runs it (the same line its build logs show).
import { goBuildArgs } from "../toolchain/pieces";

describe("go build arguments", () => {
  test("one stamp: stripped, path-free, the variable set at link time, one package", () => {
    expect(goBuildArgs({ "github.com/rhysd/actionlint.version": "v1.7.12" }, "/out/actionlint", ["github.com/rhysd/actionlint/cmd/actionlint"])).toEqual([
      "build",
      "-trimpath",
      "-ldflags",
      "-s -w -X github.com/rhysd/actionlint.version=v1.7.12",
      "-o",
      "/out/actionlint",
      "github.com/rhysd/actionlint/cmd/actionlint",
    ]);
  });

  test("several stamps in order and several packages into one folder", () => {
    expect(
      goBuildArgs({ "a/version.gitVersion": "v1.34.4", "b/version.gitMajor": "1" }, "/out/", [
        "k8s.io/kubernetes/cmd/kubectl",
        "k8s.io/kubernetes/cmd/kube-scheduler",
      ]),
    ).toEqual([
      "build",
      "-trimpath",
      "-ldflags",
      "-s -w -X a/version.gitVersion=v1.34.4 -X b/version.gitMajor=1",
      "-o",
      "/out/",
      "k8s.io/kubernetes/cmd/kubectl",
      "k8s.io/kubernetes/cmd/kube-scheduler",
    ]);
  });
});
