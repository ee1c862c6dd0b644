// Components constructed directly, with typed args and no stack config, under the recording mocks:
// a component test then depends on the component alone, not on what Pulumi.<stack>.yaml holds.
import { installRecordingMocks, Registered, underRootStack } from "./harness";

/** Runs `build` (which constructs components) under the recording mocks and returns what it registered. */
export async function runComponents(build: () => void): Promise<Registered[]> {
  const registered: Registered[] = [];
  await installRecordingMocks("test", { config: {}, secretKeys: [] }, registered);
  await underRootStack(async () => build());
  return registered;
}
