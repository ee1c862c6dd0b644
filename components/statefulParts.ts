// Pieces the stateful workloads share (Jenkins, the log store, StatefulService): their volumes are
// data, so claims outlive the pods, the set and any scale-down. Plain functions: one place for the rule.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Claims stay when the set is deleted or scaled down: a volume is only ever removed by hand. */
export const KEEP_CLAIMS = { whenDeleted: "Retain", whenScaled: "Retain" } as const;

export interface ClaimStorage {
  size: pulumi.Input<string>;
  storageClass?: pulumi.Input<string>;
}

/** One ReadWriteOnce volume per pod, named `name`. */
export function claimTemplate(
  name: string,
  labels: Record<string, pulumi.Input<string>>,
  storage: ClaimStorage,
): k8s.types.input.core.v1.PersistentVolumeClaim {
  return {
    metadata: { name, labels },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: storage.storageClass, resources: { requests: { storage: storage.size } } },
  };
}

export interface SingleReplicaSet {
  serviceName: pulumi.Input<string>;
  selector: Record<string, string>;
  template: k8s.types.input.core.v1.PodTemplateSpec;
  claims: k8s.types.input.core.v1.PersistentVolumeClaim[];
}

/** The spec of a StatefulSet that runs one pod on its own kept volume (a single-node service: Jenkins, Elasticsearch). */
export function singleReplicaSetSpec(s: SingleReplicaSet): k8s.types.input.apps.v1.StatefulSetSpec {
  return {
    serviceName: s.serviceName,
    replicas: 1,
    selector: { matchLabels: s.selector },
    updateStrategy: { type: "RollingUpdate" },
    persistentVolumeClaimRetentionPolicy: KEEP_CLAIMS,
    template: s.template,
    volumeClaimTemplates: s.claims,
  };
}
