// Why the stack is built a piece at a time. A resource's constructor only queues its registration:
// the SDK holds its pending state (an Output and four debug-stack promises per input property,
// alias URNs) until the runtime gets to it, and the runtime only gets to it when the program
// yields. Built in one synchronous sweep, every registration of the stack is pending at once:
// 31k resources (1000 teams) held 3.4 GiB of heap before the first was registered, and the
// garbage collector's work grew with it (docs/PERFORMANCE.md). Yielding after each team and each
// app keeps that to one piece. Registrations are the same; only when they are sent changes.

/** Lets the runtime register what has been built so far before the program builds more. */
export function yieldToRuntime(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
