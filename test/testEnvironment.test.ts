// The unit tests' environment (test/support/environment.js) leaves only the SDK's bookkeeping
// stacks unmapped: a failing test still points at TypeScript lines.
import * as fs from "fs";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isSdkBookkeeping } = require("./support/environment") as { isSdkBookkeeping(site: unknown): boolean };
// The SDK's promise tracker is internal (no typings): it records a stack on the promise it is given.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise(p: Promise<unknown>, ctx: string): unknown };

/** Type-only lines vanish from the JavaScript jest runs and import helpers are added, so JavaScript lines differ from these. */
interface Shifts {
  lines: number;
}
type AlsoShifts = Shifts;

const lineOf = (marker: string) =>
  fs
    .readFileSync(__filename, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(marker) && !l.includes("lineOf(")) + 1;
const site = (file: string, fn: string | null) => ({ getFileName: () => file, getFunctionName: () => fn });
const sdk = "/repo/node_modules/@pulumi/pulumi";

test("an error raised in a test keeps its TypeScript line", () => {
  const shift: AlsoShifts = { lines: 3 };
  const stack = new Error("mapped").stack!; // marker: mapped error
  expect(stack).toContain(`testEnvironment.test.ts:${lineOf("marker: mapped error")}:`);
  expect(shift.lines).toBe(3);
});

test("the SDK's promise record skips source maps: its position in this file is the JavaScript one", () => {
  const tracked = Promise.resolve();
  debuggablePromise(tracked, "probe"); // marker: sdk record
  const stack = (tracked as unknown as { _debugStackTrace: string })._debugStackTrace;
  expect(stack.split("\n")[1]).toContain("debuggable.js");
  const here = /testEnvironment\.test\.(\w+):(\d+):/.exec(stack)!;
  expect({ ext: here[1], mapped: Number(here[2]) === lineOf("marker: sdk record") }).toEqual({ ext: "ts", mapped: false });
});

test.each<[string, boolean, ReturnType<typeof site> | undefined]>([
  ["the debug-promise record", true, site(`${sdk}/runtime/debuggable.js`, "debuggablePromise")],
  ["a resource's source position", true, site(`${sdk}/resource.js`, "callsites")],
  ["any other stack from resource.js", false, site(`${sdk}/resource.js`, "CustomResource")],
  ["an error the SDK raises", false, site(`${sdk}/errors.js`, "RunError")],
  ["our own code", false, site("/repo/components/jenkins/index.ts", "Jenkins")],
  ["a file named like the SDK's outside it", false, site("/repo/testing/debuggable.js", "debuggablePromise")],
  ["a stack with no frames", false, undefined],
])("%s: SDK bookkeeping %s", (_what, expected, first) => {
  expect(isSdkBookkeeping(first)).toBe(expected);
});
