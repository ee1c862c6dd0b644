// The Pulumi SDK captures a stack trace (`new Error().stack`) on every promise it tracks, about 30
// per resource, only to print it in a leak report when PULUMI_DEBUG_PROMISE_LEAKS is set. Capturing
// them was a third of the program's CPU under mocks (docs/PERFORMANCE.md). Unless that variable
// asks for them, the SDK's tracker runs with stack capture off: it still tracks every promise, so a
// leak is still reported at exit, only without the stack. Every other stack keeps its frames.
const INSTALLED = Symbol.for("platform.sdkPromiseStacksDropped");

type Tracker = (<T>(p: Promise<T>, ctx: unknown) => Promise<T>) & { [INSTALLED]?: true };

/** The SDK module whose exported tracker every SDK module calls through (`debuggable_1.debuggablePromise`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: Tracker };

/** Runs `work` with stack capture off: `new Error()` inside records no frames. */
export function withoutStackCapture<T>(work: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Leaves the SDK's promise records without a stack in this process; returns whether it did. Safe to call twice. */
export function dropSdkPromiseStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.PULUMI_DEBUG_PROMISE_LEAKS) return false;
  const track = debuggable.debuggablePromise;
  if (track[INSTALLED]) return true;
  const tracker = <T>(p: Promise<T>, ctx: unknown) => withoutStackCapture(() => track(p, ctx));
  debuggable.debuggablePromise = Object.assign(tracker, { [INSTALLED]: true as const });
  return true;
}
