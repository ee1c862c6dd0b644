// Blue-green colors and who gets traffic: the live color, or both during a gradual weighted shift.
import type { Verdict } from "./verdict";

export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

/** Who carries a gradual shift: the Gateway API HTTPRoute, or an Istio VirtualService between sidecars. */
export const SPLIT_VIA = ["gateway", "istio"] as const;
export type SplitVia = (typeof SPLIT_VIA)[number];

export const otherColor = (c: Color): Color => (c === "blue" ? "green" : "blue");

/** Who gets traffic: the live color, and with a split strictly between 0 and 100, each color's share. */
export function trafficOf(activeColor: Color, split?: Partial<Record<Color, number>>): { live: Color; weights?: Record<Color, number> } {
  const entries = Object.entries(split ?? {}).filter(([k, w]) => COLORS.includes(k as Color) && w !== undefined) as [Color, number][];
  if (entries.length === 0) return { live: activeColor };
  if (entries.length > 1) throw new Error("trafficSplit gives the weight of one color; the other gets the rest");
  const [color, weight] = entries[0];
  if (weight >= 100) return { live: color };
  if (weight <= 0) return { live: otherColor(color) };
  return { live: activeColor, weights: { [color]: weight, [otherColor(color)]: 100 - weight } as Record<Color, number> };
}

/** The colors a split gives a weight to (it must give exactly one); `via` says who carries it. */
export function splitColors(split: unknown): string[] {
  if (split === null || typeof split !== "object" || Array.isArray(split)) return [];
  return Object.entries(split)
    .filter(([k, w]) => k !== "via" && w !== undefined)
    .map(([color]) => color);
}

/** A split names one color's percent and needs something to weight it (a route, or the mesh); a wrongly shaped split says only that. */
export function trafficSplitProblems(split: unknown, routed: boolean): Verdict[] {
  if (split === undefined) return [];
  if (splitColors(split).length !== 1) {
    return [{ at: ["trafficSplit"], problem: "give the percent of one color, like {green: 10}; the other color gets the rest" }];
  }
  return routed
    ? []
    : [
        {
          at: ["trafficSplit"],
          problem: "needs route: the weights are set on the app's Gateway API HTTPRoute (or set trafficSplit.via: istio with the mesh on)",
        },
      ];
}

/** What decides whether a blue-green app's traffic reaches pods: its colors, images and pod counts. */
export interface BlueGreenServing {
  activeColor: Color;
  /** At most one color's percent (trafficOf). */
  trafficSplit?: Partial<Record<Color, number>>;
  /** A color's image, or undefined when it has none. */
  images: Partial<Record<Color, unknown>>;
  /** Fixed pod counts per color (undefined: the default, never 0). */
  replicas?: Partial<Record<Color, unknown>>;
  autoscaled: boolean;
  retireInactive: boolean;
}

/** Every reason traffic would go nowhere, as verdicts on the app's keys. */
export function servingProblems(a: BlueGreenServing): Verdict[] {
  const out: Verdict[] = [];
  const { live, weights } = trafficOf(a.activeColor, a.trafficSplit);
  const why = (color: Color) => (weights ? `trafficSplit sends ${weights[color]}% of traffic to "${color}"` : `the active color "${color}"`);
  for (const color of weights ? COLORS : [live]) {
    if (a.images[color] === undefined) out.push({ at: ["images", color], problem: `is required: ${why(color)} has no image, so traffic would go nowhere` });
    if (!a.autoscaled && a.replicas?.[color] === 0) out.push({ at: ["replicas", color], problem: `${why(color)} has 0 replicas, so traffic would go nowhere` });
  }
  if (weights && a.retireInactive) {
    out.push({ at: ["retireInactive"], problem: "cannot retire a color while trafficSplit sends it traffic; finish the shift (0 or 100) first" });
  }
  return out;
}

/** Both checks, for a component whose split is already known to be well formed or absent. */
export function blueGreenProblems(a: BlueGreenServing & { routed: boolean }): Verdict[] {
  const split = trafficSplitProblems(a.trafficSplit, a.routed);
  return splitColors(a.trafficSplit).length > 1 ? split : [...split, ...servingProblems(a)];
}
