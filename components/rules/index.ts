// The platform's domain rules, in plain TypeScript with no SDK import: colors and traffic, scaling
// bounds, networking choices, derived-name limits, pod security levels and resources. Config
// validation (stacks/config) reports their verdicts by key; components assert with the same functions.
export * from "./blueGreen";
export * from "./names";
export * from "./network";
export * from "./podSecurity";
export * from "./quantity";
export * from "./resources";
export * from "./scaling";
export * from "./verdict";
