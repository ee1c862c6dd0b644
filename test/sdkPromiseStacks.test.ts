// stacks/sdkPromiseStacks.ts: in the program's process the SDK tracks its promises without
// capturing a stack for each, unless PULUMI_DEBUG_PROMISE_LEAKS asks for them; the leak report
// still works, and every other stack keeps its frames.
import { spawnSync } from "child_process";
import { dropSdkPromiseStacks, withoutStackCapture } from "../stacks/sdkPromiseStacks";
import { ROOT, runStack } from "../testing/harness";

test("withoutStackCapture records no frames inside and restores the limit, also when the work throws", () => {
  const limit = Error.stackTraceLimit;
  expect(withoutStackCapture(() => new Error("inside").stack)).toBe("Error: inside");
  expect(() =>
    withoutStackCapture(() => {
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(Error.stackTraceLimit).toBe(limit);
  expect(new Error("outside").stack).toMatch(/\n {4}at /);
});

test("with PULUMI_DEBUG_PROMISE_LEAKS set, nothing is installed", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable");
  const tracker = debuggable.debuggablePromise;
  expect(dropSdkPromiseStacks({ PULUMI_DEBUG_PROMISE_LEAKS: "1" })).toBe(false);
  expect(debuggable.debuggablePromise).toBe(tracker);
});

test("the program's run() installs it: every entry (npm start, the Pulumi CLI, these tests) goes through run()", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable");
  expect(debuggable.debuggablePromise[Symbol.for("platform.sdkPromiseStacksDropped")]).toBeUndefined();
  await runStack("dev");
  expect(debuggable.debuggablePromise[Symbol.for("platform.sdkPromiseStacksDropped")]).toBe(true);
});

interface Run {
  installed: boolean;
  record: string;
  error: string;
  status: number | null;
  stderr: string;
}

/** A fresh Node process: after dropSdkPromiseStacks, what the SDK records for a tracked promise, an ordinary error's stack, and the exit when a tracked promise never settles. */
function inFreshProcess(env: Record<string, string> = {}): Run {
  const script = `
    const { dropSdkPromiseStacks } = require("./stacks/sdkPromiseStacks");
    const installed = dropSdkPromiseStacks();
    dropSdkPromiseStacks();
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    const tracked = Promise.resolve();
    debuggable.debuggablePromise(tracked, "probe");
    debuggable.debuggablePromise(new Promise(() => {}), "never settles");
    function thrower() { return new Error("kept"); }
    console.log(JSON.stringify({ installed, record: tracked._debugStackTrace, error: thrower().stack }));`;
  const out = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "", ...env },
  });
  return { ...JSON.parse(out.stdout.trim().split("\n").pop()!), status: out.status, stderr: out.stderr };
}

test("in the program's process the SDK's promise record has no frames, other stacks keep theirs, and a leak still fails the run", () => {
  const run = inFreshProcess();
  expect(run.installed).toBe(true);
  expect(run.record).toBe("Error");
  expect(run.error).toMatch(/^Error: kept\n {4}at thrower \(\[eval\]:\d+:\d+\)\n {4}at /);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("detected that 1 promise was still active");
});

test("PULUMI_DEBUG_PROMISE_LEAKS keeps the records the SDK's leak report prints", () => {
  const run = inFreshProcess({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
  expect(run.installed).toBe(false);
  expect(run.record).toMatch(/^Error\n {4}at (Object\.)?debuggablePromise \(.*debuggable\.(js|ts):\d+:\d+\)/);
  expect(run.stderr).toMatch(/Promise leak detected:[\s\S]*never settles[\s\S]*at (Object\.)?debuggablePromise/);
});
