// Names and label values the program derives from a team's or an app's name, each with the rule the
// API server holds it to. A name that passes as a DNS label can still derive one that does not
// (`<app>-preview` is 8 characters longer), so config validation checks every derived one here,
// before anything is registered, and the components assert them. test/configNames.test.ts runs the program at these limits and checks
// every object it registers, so this list and the components cannot drift apart.
import type { Verdict } from "./verdict";

export type NameRule = "dns1123Label" | "dns1035Label" | "dns1123Subdomain" | "labelValue" | "statefulSetName" | "jobName";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RULES: Record<NameRule, { max: number; ok: (v: string) => boolean; says: string }> = {
  dns1123Label: { max: 63, ok: (v) => LABEL.test(v), says: "a DNS-1123 label" },
  // Service names: a DNS label that starts with a letter.
  dns1035Label: { max: 63, ok: (v) => /^[a-z]/.test(v) && LABEL.test(v), says: "a DNS-1035 label (starting with a letter)" },
  dns1123Subdomain: { max: 253, ok: (v) => v.split(".").every((p) => LABEL.test(p)), says: "a DNS-1123 subdomain" },
  labelValue: { max: 63, ok: (v) => /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v), says: "a label value" },
  // Its pods carry controller-revision-hash: <name>-<10-character hash>, a label value (63).
  statefulSetName: { max: 52, ok: (v) => LABEL.test(v), says: "a StatefulSet name (its pods' controller-revision-hash label adds 11 characters)" },
  // The Job controller labels its pods batch.kubernetes.io/job-name: <name>, a label value (63).
  jobName: { max: 63, ok: (v) => LABEL.test(v), says: "a Job name (its pods carry it as the label batch.kubernetes.io/job-name)" },
};

export interface DerivedName {
  /** What it names, e.g. `Service` or `label app.kubernetes.io/instance`. */
  what: string;
  value: string;
  rule: NameRule;
}

/** Why a derived name would be refused, or undefined. */
export function nameProblem(n: DerivedName): string | undefined {
  const r = RULES[n.rule];
  if (n.value.length <= r.max && r.ok(n.value)) return undefined;
  return `${n.what} "${n.value}" (${n.value.length} characters) must be ${r.says} of at most ${r.max} characters`;
}

/** Everything a team's name becomes: its namespace, the objects in it, labels, its Jenkins push Secret. */
export function teamDerivedNames(team: string): DerivedName[] {
  const sub = (what: string, value: string): DerivedName => ({ what, value, rule: "dns1123Subdomain" });
  return [
    { what: "Namespace", value: team, rule: "dns1123Label" },
    ...["quota", "limits", "editors", "viewers", "registry", "workload", "default-deny", "allow-same-namespace", "allow-dns", "allow-ingress-from"].map(
      (suffix) => sub("object", `${team}-${suffix}`),
    ),
    sub("Secret", `registry-push-${team}`),
    { what: "label platform.k8s/team", value: team, rule: "labelValue" },
  ];
}

/** The kinds of app config places, each deriving its own names. */
export const APP_KINDS = ["blueGreen", "autoscaled", "stateful"] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** Length of the smoke-test Job's image hash suffix (components/blueGreenService.ts). */
const SMOKE_HASH = "0123456789";

/** Everything an app's name becomes, by kind; blue-green adds the smoke-test names when it has one. */
export function appDerivedNames(app: string, kind: AppKind, smokeTest = false): DerivedName[] {
  const labels = (instance: string): DerivedName[] => [
    { what: "label app.kubernetes.io/name", value: app, rule: "labelValue" },
    { what: "label app.kubernetes.io/instance", value: instance, rule: "labelValue" },
  ];
  const service = (value: string): DerivedName => ({ what: "Service", value, rule: "dns1035Label" });
  const object = (what: string, value: string): DerivedName => ({ what, value, rule: "dns1123Subdomain" });
  switch (kind) {
    case "blueGreen":
      return [
        ...["blue", "green"].flatMap((color) => [
          object("Deployment, PodDisruptionBudget and HorizontalPodAutoscaler", `${app}-${color}`),
          // The per-color Service of a gradual shift (trafficSplit).
          service(`${app}-${color}`),
          ...labels(`${app}-${color}`),
        ]),
        service(app),
        service(`${app}-preview`),
        object("HTTPRoute, VirtualService and DestinationRule", app),
        // The Service over both colors of a split carried by Istio (trafficSplit.via: istio).
        service(`${app}-colors`),
        ...(smokeTest ? [service(`${app}-smoke`), { what: "Job", value: `${app}-smoke-${SMOKE_HASH}`, rule: "jobName" as const }] : []),
      ];
    case "autoscaled":
      return [object("Deployment, HorizontalPodAutoscaler and PodDisruptionBudget", app), service(app), ...labels(app)];
    case "stateful":
      return [
        { what: "StatefulSet", value: app, rule: "statefulSetName" },
        service(app),
        service(`${app}-headless`),
        object("Secret", `${app}-credentials`),
        object("PodDisruptionBudget", app),
        ...labels(app),
      ];
  }
}

/** The longest name whose derived names all fit (every derived rule accepts a run of letters). */
export function longestAppName(kind: AppKind, smokeTest = false): number {
  let n = 63;
  while (n > 1 && appDerivedNames("a".repeat(n), kind, smokeTest).some((d) => nameProblem(d))) n--;
  return n;
}

/** Every derived name the API server would refuse, as one verdict on the name itself (empty when all fit); `fits` is asked only then. */
export function derivedNameProblems(name: string, derived: DerivedName[], fits?: () => string | undefined): Verdict[] {
  const problems = derived.map(nameProblem).filter((p): p is string => p !== undefined);
  if (problems.length === 0) return [];
  const hint = fits?.();
  return [{ at: [], problem: `"${name}" derives names the API server would refuse: ${problems.join("; ")}${hint ? `; ${hint}` : ""}` }];
}

/** The verdict on an app's name, with how long a name of its kind may be (searched for only when it does not fit: every app is checked twice). */
export function appNameProblems(app: string, kind: AppKind, smokeTest = false): Verdict[] {
  return derivedNameProblems(app, appDerivedNames(app, kind, smokeTest), () => {
    const longest = longestAppName(kind, smokeTest);
    return app.length > longest ? `at most ${longest} characters fit a ${kind} app${smokeTest ? " with a smoke test" : ""}` : undefined;
  });
}
