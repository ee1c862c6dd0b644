// What the runner prints when the engine fails: the error lines with the detail lines that say
// which resource failed and why, each once.
import { engineMessage } from "../runner/main";

describe("engine failure message", () => {
  test("keeps each error's detail bullets and prints repeated lines once", () => {
    const output = [
      "Updating (dev):",
      " +  kubernetes:batch/v1:Job payments-web-smoke-1a2b creating (40s) error: 2 errors occurred:",
      "    error: 2 errors occurred:",
      "    \t* resource \"urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b\" was successfully created, but failed to become live",
      "    \t* Job has reached the specified backoff limit",
      "    error: update failed",
      "Diagnostics:",
      "    error: 2 errors occurred:",
      "    \t* resource \"urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b\" was successfully created, but failed to become live",
      "    \t* Job has reached the specified backoff limit",
      "    error: update failed",
      "Resources: 1 errored",
    ].join("\n");
    const message = engineMessage(new Error(output));
    expect(message.split("\n")).toEqual([
      "    error: 2 errors occurred:",
      "    \t* resource \"urn:pulumi:dev::platform::kubernetes:batch/v1:Job::payments-web-smoke-1a2b\" was successfully created, but failed to become live",
      "    \t* Job has reached the specified backoff limit",
      "    error: update failed",
    ]);
  });

  test("without error lines, the output's last lines", () => {
    expect(engineMessage(new Error("a\nb\nc"))).toBe("a\nb\nc");
  });
});
