// The CrossGuard entry point: `pulumi preview --policy-pack policy --policy-pack-config policy/config/<stack>.json`.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./pack";

new PolicyPack(PACK_NAME, {
  description: "Twelve-Factor rules and a security baseline for Kubernetes workloads. Levels per environment come from policy/config/<env>.json.",
  // Rules default to mandatory; the per-environment config files relax them for dev.
  policies,
});
