// Every rule that looks at workloads, on every workload shape it applies to (Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job, CronJob): a compliant fixture passes, one edit of it
// violates, and on the shapes outside the rule's scope the same edit is not reported.
import { kindsOf } from "../../policy/lib/rule";
import { rules } from "../../policy/pack";
import { analyze, format, PackConfig } from "../support/policy";
import { partsOf, Shape, strictConfig, workload, WORKLOAD_SHAPES } from "./fixtures";
import { cases } from "./shapeCases";

/** The one rule under test, mandatory, with the strict settings (registries, promoted images). */
function only(rule: string): PackConfig {
  const settings = strictConfig[rule];
  return { all: "disabled", [rule]: { ...(typeof settings === "object" ? settings : {}), enforcementLevel: "mandatory" } };
}

async function run(rule: string, kind: Shape, broken: boolean) {
  const r = workload(kind);
  const w = partsOf(r);
  const extra = cases[rule].setup?.(w) ?? [];
  if (broken) cases[rule].violate(w);
  return (await analyze([r, ...extra], only(rule))).filter((d) => d.policyName === rule);
}

const byShape = rules.filter((r) => r.meta.name !== "no-naked-pods" && kindsOf(r.meta).length > 0);
const applies = byShape.flatMap((r) => WORKLOAD_SHAPES.filter((k) => kindsOf(r.meta).includes(k)).map((k) => [r.meta.name, k] as const));
const outOfScope = byShape.flatMap((r) => WORKLOAD_SHAPES.filter((k) => !kindsOf(r.meta).includes(k)).map((k) => [r.meta.name, k] as const));

test("every rule that applies to workloads has a case here", () => {
  expect(byShape.map((r) => r.meta.name).filter((n) => !(n in cases))).toEqual([]);
  expect(Object.keys(cases).filter((n) => !byShape.some((r) => r.meta.name === n))).toEqual([]);
});

test.each(applies)("%s: a compliant %s passes", async (rule, kind) => {
  expect((await run(rule, kind, false)).map(format)).toEqual([]);
});

test.each(applies)("%s: a violating %s is reported", async (rule, kind) => {
  const found = await run(rule, kind, true);
  expect(found.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining(cases[rule].fragment)]));
  // Each names the workload, except the Service rule, which names the Service that misses it.
  if (rule !== "service-targets-workload") for (const d of found) expect(d.message).toMatch(new RegExp(`: ${kind} (shop|default)/cart: `));
});

test.each(outOfScope)("%s does not apply to a %s", async (rule, kind) => {
  expect((await run(rule, kind, true)).map(format)).toEqual([]);
});

describe("no-naked-pods", () => {
  test("a Pod is its violation", async () => {
    const found = (await analyze([workload("Pod")], only("no-naked-pods"))).map((d) => d.message);
    expect(found).toEqual([expect.stringContaining("Pod shop/cart: is a bare Pod")]);
  });
  test.each(WORKLOAD_SHAPES.filter((k) => k !== "Pod"))("a %s passes", async (kind) => {
    expect((await analyze([workload(kind)], only("no-naked-pods"))).map(format)).toEqual([]);
  });
});
