// The unit tests' environment: jest's node environment, with the SDK's bookkeeping stacks left
// unmapped. @pulumi/pulumi captures a stack for every promise it tracks (debuggable.js) and for
// every resource's source position (Resource.callsites); jest formats each through
// source-map-support, which took half the CPU of a whole-program run. Every other stack, an error
// from our code, a test or the SDK, stays source-mapped.
"use strict";
const { TestEnvironment } = require("jest-environment-node");

const SDK = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;
const WRAPPED = Symbol.for("platform.sdkBookkeepingStacksUnmapped");

/** Where the SDK captures a stack only to keep it: its debug-promise record and its source positions. */
function isSdkBookkeeping(site) {
  const file = site?.getFileName() ?? "";
  if (!SDK.test(file)) return false;
  return file.endsWith("debuggable.js") || (/[\\/]resource\.js$/.test(file) && site.getFunctionName() === "callsites");
}

/** V8's own rendering of a stack, as it is without a prepareStackTrace hook. */
const plainStack = (error, callSites) => `${error}${callSites.map((site) => `\n    at ${site}`).join("")}`;

function leaveBookkeepingStacksUnmapped(ErrorClass) {
  const mapped = ErrorClass.prepareStackTrace;
  if (typeof mapped !== "function" || mapped[WRAPPED]) return;
  const prepare = (error, callSites) => (isSdkBookkeeping(callSites[0]) ? plainStack(error, callSites) : mapped(error, callSites));
  prepare[WRAPPED] = true;
  ErrorClass.prepareStackTrace = prepare;
}

class PlatformTestEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    // jest installs source-map-support in its own realm and in the tests' one; node formats with either.
    leaveBookkeepingStacksUnmapped(Error);
    leaveBookkeepingStacksUnmapped(this.global.Error);
  }
}

module.exports = PlatformTestEnvironment;
module.exports.isSdkBookkeeping = isSdkBookkeeping;
