// The Pulumi SDK records a formatted stack on every promise it tracks (about 30 per resource), only
// to print it in a leak report when PULUMI_DEBUG_PROMISE_LEAKS is set. At 1000 teams those strings
// were a third of what the program's young generation promoted (docs/PERFORMANCE.md). Unless that
// variable asks for them they are left empty; every other stack is formatted exactly as before.
const SDK_PROMISE_RECORD = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
const INSTALLED = Symbol.for("platform.sdkPromiseStacksDropped");

type PrepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => unknown;

/** True for the stack the SDK captures when it starts tracking a promise. */
export function isSdkPromiseRecord(site: NodeJS.CallSite | undefined): boolean {
  return SDK_PROMISE_RECORD.test(site?.getFileName() ?? "");
}

/** Node's own rendering without a hook: the error, then one `at` line per frame. */
const v8Default: PrepareStackTrace = (error, sites) => `${error}${sites.map((site) => `\n    at ${site}`).join("")}`;

/** Leaves the SDK's promise records empty in this process; returns whether it did. Safe to call twice. */
export function dropSdkPromiseStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.PULUMI_DEBUG_PROMISE_LEAKS) return false;
  const previous = Error.prepareStackTrace as (PrepareStackTrace & { [INSTALLED]?: true }) | undefined;
  if (previous?.[INSTALLED]) return true;
  const prepare = (error: Error, sites: NodeJS.CallSite[]) => (isSdkPromiseRecord(sites[0]) ? "" : (previous ?? v8Default)(error, sites));
  Error.prepareStackTrace = Object.assign(prepare, { [INSTALLED]: true as const });
  return true;
}
