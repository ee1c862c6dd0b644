// The flatness verdict of issue 17 reads the warm pairs: a cold run's fixed warm-up makes per-resource
// figures fall with size on both sides, so cold figures alone must neither pass nor fail it.
import type { MockEvaluationResult, Side } from "../bench/cases";
import { flatnessVerdict, warmTable } from "../bench/report";

const side = (cpuMs: number): Side => ({ ms: cpuMs, cpuMs, maxRssMb: 500 });

/** A case of `resources` with the given cold and (optionally) warm program and floor CPU times. */
function result(name: string, resources: number, cold: [number, number], warm?: [number, number]): MockEvaluationResult {
  const [program, floor] = cold;
  return {
    kind: "mock-evaluation",
    name,
    resources,
    program: side(program),
    floor: side(floor),
    ratio: { cpu: program / floor, wall: program / floor },
    ratioRange: { min: program / floor, max: program / floor },
    warm: warm && {
      pairs: 5,
      program: side(warm[0]),
      floor: side(warm[1]),
      ratio: { cpu: warm[0] / warm[1], wall: warm[0] / warm[1] },
      ratioRange: { min: warm[0] / warm[1], max: warm[0] / warm[1] },
    },
  };
}

// Cold figures falling steeply with size, as cold runs' do (program −27%, floor −37% per resource), the ratio climbing 1.10 → 1.27.
const cold100: [number, number] = [7760, 7060];
const cold1000: [number, number] = [56600, 44400];

describe("flatness verdict (100 → 1000 teams)", () => {
  test("met when the warm per-resource cost and the warm ratio both stay within ±10%, whatever the cold figures do", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100, [1150, 1000]), result("1000 teams", 10000, cold1000, [11800, 10000]));
    expect(v).toMatch(/: met \(warm: 1\.15 → 1\.18 ms, \+3%; .*ratio 1\.15 → 1\.18, \+3%/);
    expect(v).toContain("cold: 7.76 → 5.66 ms (-27%)");
  });

  test("not met when the warm per-resource cost grows more than 10%", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100, [1000, 1000]), result("1000 teams", 10000, cold1000, [11500, 11000]));
    expect(v).toMatch(/\*\*not met\*\* \(warm: 1\.00 → 1\.15 ms, \+15%/);
  });

  test("met when the program's warm figure falls with the floor's (the machine faster during the bigger case), the ratio flat", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100, [1430, 1310]), result("1000 teams", 10000, cold1000, [11700, 10700]));
    expect(v).toMatch(/: met \(warm: 1\.43 → 1\.17 ms, -18%; the floor's 1\.31 → 1\.07 ms; ratio 1\.09 → 1\.09, \+0%/);
  });

  test("not met when the ratio to the floor grows more than 10%, even if the program's own figure is flat", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100, [1100, 1000]), result("1000 teams", 10000, cold1000, [11000, 8500]));
    expect(v).toMatch(/\*\*not met\*\*.*ratio 1\.10 → 1\.29, \+18%/);
  });

  test("not met when it falls more than 10% relative to the floor: flat means flat both ways", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100, [1300, 1000]), result("1000 teams", 10000, cold1000, [12000, 11000]));
    expect(v).toMatch(/\*\*not met\*\*.*-16%/);
  });

  test("without warm pairs it says so instead of judging the cold figures", () => {
    const v = flatnessVerdict(result("100 teams", 1000, cold100), result("1000 teams", 10000, cold1000));
    expect(v).toMatch(/\*\*not measured\*\* \(no warm runs; cold: /);
  });

  test("the warm table has a row per case with warm pairs, with per-resource figures", () => {
    const rows = warmTable([result("dev", 100, [500, 450]), result("100 teams", 1000, cold100, [1150, 1000])]);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe("| 100 teams | 5 | 1150 | 1.15 | 1000 | 1.00 | 1.15 | 1.15-1.15 |");
    expect(warmTable([result("dev", 100, [500, 450])])).toEqual([]);
  });
});
