// Which CNI plugins the platform installs. Weave Net is named by one of the source articles but is
// archived upstream: its company, Weaveworks, closed in 2024 and the repository is read-only, so
// it gets no releases or security fixes; asking for it is a config error that says so.
import { z } from "zod";
import { CNIS } from "../../components/rules";

export const SUPPORTED_CNIS = CNIS;

const SUPPORTED = `use "calico" (routes pure L3 and enforces NetworkPolicy) or "flannel" (a simple overlay, no NetworkPolicy)`;

/** The refusal for a CNI the platform knows but will not install, or undefined. */
export function unsupportedCniProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (/^weave([-_ ]?net)?$/i.test(value.trim())) {
    return `"${value}": Weave Net is not supported: the project is archived upstream (Weaveworks closed in 2024; no releases or security fixes since); ${SUPPORTED}`;
  }
  return undefined;
}

/** `cluster.cni`: calico or flannel; a known but unsupported choice gets its reason. */
export const cniSchema = z.enum(SUPPORTED_CNIS, { error: (iss) => unsupportedCniProblem(iss.input) });
