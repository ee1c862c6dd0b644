// platform:teams — one namespace per team, with quotas, defaults, RBAC and isolation.
import { z } from "zod";
import { POD_SECURITY_LEVELS, requestAboveLimit } from "../../components/rules";
import { TEAM_DEFAULTS } from "../../components/defaults";
import { count, cpuMemory, dnsLabel, nameList, quantity } from "./primitives";
import { ALWAYS, field, items, valid } from "./salvage";

/** Namespaces no team may take: Kubernetes' own and the platform's. */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "kube-flannel", "tigera-operator", "calico-system"];

const subjects = z.strictObject({ groups: nameList, users: nameList });

export const teamSchema = z
  .strictObject({
    name: dnsLabel,
    podSecurity: z.enum(POD_SECURITY_LEVELS).default(TEAM_DEFAULTS.podSecurity),
    quota: z.strictObject({
      cpu: quantity,
      memory: quantity,
      /** Limits may exceed requests (burst); they default to the request quota. */
      limitsCpu: quantity.optional(),
      limitsMemory: quantity.optional(),
      pods: count,
      services: count,
      persistentVolumeClaims: count,
      storage: quantity.optional(),
    }),
    containerDefaults: z.strictObject({ requests: cpuMemory, limits: cpuMemory }).default(TEAM_DEFAULTS.containerDefaults),
    editors: subjects.default({ groups: [], users: [] }),
    viewers: subjects.default({ groups: [], users: [] }),
    allowIngressFrom: z.array(dnsLabel).default([]),
  })
  .superRefine((t, ctx) => {
    const defaults = field(t, "containerDefaults");
    for (const r of ["cpu", "memory"] as const) {
      const req = valid(quantity, field(field(defaults, "requests"), r));
      const lim = valid(quantity, field(field(defaults, "limits"), r));
      const problem = req && lim ? requestAboveLimit(req, lim, r) : undefined;
      if (problem) ctx.addIssue({ code: "custom", path: ["containerDefaults", "requests", r], message: problem });
    }
  }, ALWAYS);

export const teamsSchema = z
  .array(teamSchema)
  .min(1, { error: "expected at least one team" })
  .superRefine((teams, ctx) => {
    const seen = new Map<string, number>();
    items(teams).forEach((t, i) => {
      const name = valid(dnsLabel, field(t, "name"));
      if (name === undefined) return;
      if (RESERVED_NAMESPACES.includes(name)) {
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${name}" is reserved for the cluster or the platform` });
      }
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${name}" is already used by teams[${first}]` });
      } else {
        seen.set(name, i);
      }
    });
  }, ALWAYS);
