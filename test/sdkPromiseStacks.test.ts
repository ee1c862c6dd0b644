// runner/sdkPromiseStacks.ts: the SDK's promise records are left empty in the program's process,
// unless PULUMI_DEBUG_PROMISE_LEAKS asks for them; every other stack is formatted as before.
import { execFileSync } from "child_process";
import { dropSdkPromiseStacks, isSdkPromiseRecord } from "../runner/sdkPromiseStacks";
import { ROOT } from "../testing/harness";

const site = (file: string | null) => ({ getFileName: () => file }) as unknown as NodeJS.CallSite;

test.each<[string, boolean, NodeJS.CallSite | undefined]>([
  ["the SDK's promise tracker", true, site("/srv/app/node_modules/@pulumi/pulumi/runtime/debuggable.js")],
  ["another SDK file", false, site("/srv/app/node_modules/@pulumi/pulumi/runtime/resource.js")],
  ["a file of the same name elsewhere", false, site("/srv/app/lib/debuggable.js")],
  ["a frame without a file", false, site(null)],
  ["no frame at all", false, undefined],
])("%s: a promise record: %s", (_what, expected, first) => {
  expect(isSdkPromiseRecord(first)).toBe(expected);
});

test("with PULUMI_DEBUG_PROMISE_LEAKS set, nothing is installed", () => {
  const before = Error.prepareStackTrace;
  expect(dropSdkPromiseStacks({ PULUMI_DEBUG_PROMISE_LEAKS: "1" })).toBe(false);
  expect(Error.prepareStackTrace).toBe(before);
});

/** What a fresh Node process records for an SDK promise and formats for an ordinary error, after dropSdkPromiseStacks. */
function inFreshProcess(env: Record<string, string> = {}): { installed: boolean; record: string; error: string } {
  const script = `
    const { dropSdkPromiseStacks } = require("./runner/sdkPromiseStacks");
    const installed = dropSdkPromiseStacks();
    dropSdkPromiseStacks();
    const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable");
    const tracked = Promise.resolve();
    debuggablePromise(tracked, "probe");
    function thrower() { return new Error("kept"); }
    console.log(JSON.stringify({ installed, record: tracked._debugStackTrace, error: thrower().stack }));`;
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "", ...env },
  });
  return JSON.parse(out);
}

test("in the program's process the SDK's promise record is empty and other stacks keep every frame", () => {
  const run = inFreshProcess();
  expect(run.installed).toBe(true);
  expect(run.record).toBe("");
  expect(run.error).toMatch(/^Error: kept\n {4}at thrower \(\[eval\]:\d+:\d+\)\n {4}at /);
});

test("PULUMI_DEBUG_PROMISE_LEAKS keeps the records the SDK's leak report prints", () => {
  const run = inFreshProcess({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
  expect(run.installed).toBe(false);
  expect(run.record).toMatch(/^Error\n {4}at debuggablePromise \(.*debuggable\.(js|ts):\d+:\d+\)/);
});
