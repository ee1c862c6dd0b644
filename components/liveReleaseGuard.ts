// Refuses to change the image of the color that serves traffic in the same update that serves it.
// Releases go to the idle color, are tested through the preview Service, then flipped to.
//
// Only the engine knows what the last update applied, so this is a dynamic resource: its
// provider's `check` receives the previous inputs (from state) and the new ones, and a failure
// there stops `pulumi preview` and `pulumi up` before anything changes.
import * as pulumi from "@pulumi/pulumi";
import type { Color } from "./rules/blueGreen";

/** What the guard records: which color serves traffic, and each color's image. */
export interface ReleaseState {
  /** Used in messages, e.g. `payments/web`. */
  app: string;
  liveColor: Color;
  images: Partial<Record<Color, string>>;
  /** Let this update change the live color's image anyway (hotfix); releases then skip the preview step. */
  allowLiveUpdate: boolean;
}

/**
 * Why moving from `olds` to `news` would change what live traffic runs without a flip through
 * the preview Service, or undefined when it is fine. The first update (no olds) is always fine.
 */
export function liveUpdateProblem(olds: Partial<ReleaseState>, news: ReleaseState): string | undefined {
  if (!olds.liveColor || news.allowLiveUpdate) return undefined;
  const live = news.liveColor;
  const before = olds.images?.[live];
  const after = news.images[live];
  if (before === after) return undefined;
  const change = before ? `from ${before} to ${after}` : `to ${after}, which it never ran before`;
  const how =
    olds.liveColor === live
      ? `"${live}" serves traffic, so this image would go live untested`
      : `"${live}" goes live in this update with an image the preview Service never served`;
  const idle = live === "blue" ? "green" : "blue";
  return (
    `${news.app}: the live color's image would change ${change}: ${how}. ` +
    `Release to the idle color "${idle}", test it through the preview Service, then flip; ` +
    `or set allowLiveUpdate: true for this one update.`
  );
}

// The provider the engine runs, as the source text the dynamic provider host loads
// (`require(text).handler()`). Writing it out, rather than letting the SDK serialize a closure,
// keeps it to these few self-contained lines and saves every program run the SDK's closure
// serializer (a V8 inspector session, about 0.8 s). liveUpdateProblem is self-contained, so its
// own compiled source is the rule the engine applies: one definition, tested directly.
const PROVIDER_SOURCE = `"use strict";
const liveUpdateProblem = ${liveUpdateProblem.toString()};
exports.handler = () => ({
  async check(olds, news) {
    const reason = liveUpdateProblem(olds, news);
    return reason ? { inputs: news, failures: [{ property: "images", reason }] } : { inputs: news };
  },
  async diff(_id, olds, news) {
    const changed = (f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]);
    return { changes: ["liveColor", "images", "allowLiveUpdate"].some(changed) };
  },
  async create(inputs) {
    return { id: String(inputs.app), outs: inputs };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
});
`;

/** A dynamic resource (served by the engine's Node.js dynamic provider host) holding the last release. */
export class LiveReleaseGuard extends pulumi.CustomResource {
  constructor(name: string, state: ReleaseState, opts?: pulumi.CustomResourceOptions) {
    super("pulumi-nodejs:dynamic/platform:LiveReleaseGuard", name, { ...state, __provider: PROVIDER_SOURCE }, opts);
  }
}

/**
 * The provider for every guard of a stack, declared with no inputs. The engine gives the
 * default pulumi-nodejs provider the whole stack config as its inputs, so any config change (each
 * flip, each release) updated that provider and started its Node.js host a second time, while the
 * engine took no other step. The alias takes over the default provider's URN, so guards already in
 * a stack keep their record and are not replaced.
 */
export class ReleaseGuardProvider extends pulumi.ProviderResource {
  constructor(name = "release-guards") {
    super("pulumi-nodejs", name, {}, { aliases: [{ name: "default" }] });
  }
}
