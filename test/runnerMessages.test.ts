// What the runner prints when the engine fails: the error lines with the detail lines that say
// which resource failed and why, each once.
import { engineMessage } from "../runner/main";

describe("engine failure message", () => {
  test("keeps each error's detail bullets and prints repeated lines once", () => {
    const output = [
      "Updating (dev):",
      " +  kubernetes:batch/v1:Job payments-web-smoke-1a2b creating (40s) error: 2 errors occurred:",
      "    error: 2 errors occurred:",
      '    \t* resource "urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b" was successfully created, but failed to become live',
      "    \t* Job has reached the specified backoff limit",
      "    error: update failed",
      "Diagnostics:",
      "    error: 2 errors occurred:",
      '    \t* resource "urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b" was successfully created, but failed to become live',
      "    \t* Job has reached the specified backoff limit",
      "    error: update failed",
      "Resources: 1 errored",
    ].join("\n");
    const message = engineMessage(new Error(output));
    // "update failed" says nothing the other error does not, so it is left out beside it.
    expect(message.split("\n")).toEqual([
      "  error: 2 errors occurred:",
      '    * resource "urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b" was successfully created, but failed to become live',
      "    * Job has reached the specified backoff limit",
    ]);
  });

  test("keeps the lines that continue an error, up to the next resource", () => {
    const output = [
      "Diagnostics:",
      "  pulumi:pulumi:Stack (platform-prod):",
      '    error: resource "urn:pulumi:prod::platform::kubernetes:core/v1:Namespace::identity" cannot be deleted',
      "    because it is protected. To unprotect the resource, remove the `protect` flag",
      "    `pulumi state unprotect 'urn:pulumi:prod::platform::kubernetes:core/v1:Namespace::identity'`",
      "  kubernetes:core/v1:Namespace (identity):",
      "    warning: something else",
      "",
      "Outputs:",
    ].join("\n");
    expect(engineMessage(new Error(output)).split("\n")).toEqual([
      '  error: resource "urn:pulumi:prod::platform::kubernetes:core/v1:Namespace::identity" cannot be deleted',
      "    because it is protected. To unprotect the resource, remove the `protect` flag",
      "    `pulumi state unprotect 'urn:pulumi:prod::platform::kubernetes:core/v1:Namespace::identity'`",
    ]);
  });

  test("without error lines, the output's last lines", () => {
    expect(engineMessage(new Error("a\nb\nc"))).toBe("  a\n  b\n  c");
  });
});
