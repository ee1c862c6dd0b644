// The stateful builders, called directly: one pod on a kept volume, claims that outlive the set.
import { claimTemplate, KEEP_CLAIMS, singleReplicaSetSpec } from "../components/statefulParts";

describe("stateful builders", () => {
  test("a claim template is one ReadWriteOnce volume of the given size and class", () => {
    expect(claimTemplate("data", { app: "x" }, { size: "5Gi", storageClass: "fast" })).toEqual({
      metadata: { name: "data", labels: { app: "x" } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "5Gi" } } },
    });
  });

  test("a single-replica set runs one pod, rolls, and keeps its claims when deleted or scaled down", () => {
    const claim = claimTemplate("home", {}, { size: "1Gi" });
    const spec = singleReplicaSetSpec({ serviceName: "svc", selector: { app: "x" }, template: { metadata: { labels: { app: "x" } } }, claims: [claim] });
    expect(spec).toEqual({
      serviceName: "svc",
      replicas: 1,
      selector: { matchLabels: { app: "x" } },
      updateStrategy: { type: "RollingUpdate" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: { metadata: { labels: { app: "x" } } },
      volumeClaimTemplates: [claim],
    });
    expect(KEEP_CLAIMS).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
  });
});
