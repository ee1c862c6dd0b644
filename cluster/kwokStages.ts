// kwok's stages for this cluster: its stock node and pod stages (copied from its module at build
// time), with one change so a test can choose a Job pod's outcome by a label:
//   a Job's pod labelled FAILING_JOB_POD_LABEL ends Failed (exit code 1); every other Job pod ends Succeeded.
// The two stages' selectors exclude each other: kwok picks at random among stages that all match.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { KWOK_STAGE_FILES } from "../toolchain/controlPlane";

/**
 * `app.kubernetes.io/version` because the smoke-test Job's pods carry the smoke image's tag there:
 * a smoke image tagged `kwok-fails` (`smokeTest.image` in stack config) makes the smoke test fail.
 */
export const FAILING_JOB_POD_LABEL = { key: "app.kubernetes.io/version", value: "kwok-fails" };

const labelKey = `.metadata.labels["${FAILING_JOB_POD_LABEL.key}"]`;

/** The stages as one multi-document YAML file for kwok's --config. */
export function kwokStagesYaml(stockDir: string): string {
  const stages = KWOK_STAGE_FILES.map((file) => YAML.parse(fs.readFileSync(path.join(stockDir, file), "utf8")));
  const complete = stages.find((s) => s.metadata?.name === "pod-complete");
  if (!complete) throw new Error(`kwok's pod-complete stage is missing from ${stockDir}`);
  const failing = structuredClone(complete);

  complete.spec.selector.matchExpressions.push({ key: labelKey, operator: "NotIn", values: [FAILING_JOB_POD_LABEL.value] });

  failing.metadata.name = "pod-fail";
  failing.spec.selector.matchExpressions.push({ key: labelKey, operator: "In", values: [FAILING_JOB_POD_LABEL.value] });
  const template: string = failing.spec.next.statusTemplate;
  failing.spec.next.statusTemplate = template
    .replace("exitCode: 0", "exitCode: 1")
    .replace("reason: Completed", "reason: Error")
    .replace("phase: Succeeded", "phase: Failed");
  if (failing.spec.next.statusTemplate === template) throw new Error("kwok's pod-complete stage changed shape: cannot derive pod-fail");

  return [...stages, failing].map((s) => YAML.stringify(s)).join("---\n");
}
