// What a rule finds: the setting it is about (a path relative to what was checked) and the problem.
// Config validation turns verdicts into messages naming the full key; components assert with them.

export interface Verdict {
  at: PropertyKey[];
  problem: string;
}

/** Throws one error listing every verdict; components use it on args that config already checked. */
export function assertNoVerdicts(subject: string, verdicts: Verdict[]): void {
  if (verdicts.length === 0) return;
  throw new Error(`${subject}: ${verdicts.map((v) => (v.at.length > 0 ? `${v.at.join(".")}: ${v.problem}` : v.problem)).join("; ")}`);
}
