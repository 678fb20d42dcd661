import type { ClusterSpec } from '../cluster/cluster-spec';

/** Tags as ordered pairs: the order is the order they are written in. */
export type Tags = readonly (readonly [string, string])[];

/**
 * kops' CloudTags for a resource it owns: its name, the cluster, the ownership tag, then
 * the spec's cloudLabels (which may not replace the first three; checked when read).
 */
export function clusterTags(spec: ClusterSpec, name: string): Tags {
  return [['KubernetesCluster', spec.name], ['Name', name], [`kubernetes.io/cluster/${spec.name}`, 'owned'], ...spec.cloudLabels];
}

/** kops' CloudTagsForServiceAccount: the cluster's tags and the service account's name and namespace (`*` as `wildcard`). */
export function serviceAccountTags(spec: ClusterSpec, name: string, namespace: string, account: string): Tags {
  return [
    ...clusterTags(spec, name),
    ['service-account.kops.k8s.io/name', account],
    ['service-account.kops.k8s.io/namespace', namespace.replace(/\*/g, 'wildcard')],
  ];
}
