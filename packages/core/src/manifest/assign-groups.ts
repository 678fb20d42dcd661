import type { Report } from '../diagnostics/report';
import type { InstanceGroupSpec } from './instance-group';
import type { ClusterRead } from './read-cluster';

/**
 * Gives each InstanceGroup to its cluster: the one its `kops.k8s.io/cluster` label names,
 * or, without a label, the only cluster of the input. The groups of each cluster keep
 * input order; groups that belong to no cluster are reported.
 */
export function assignGroups(
  clusters: readonly ClusterRead[],
  groups: readonly InstanceGroupSpec[],
  report: Report,
): Map<ClusterRead, InstanceGroupSpec[]> {
  const byName = new Map<string, ClusterRead>();
  for (const c of clusters) if (c.name !== undefined) byName.set(c.name, c);
  const out = new Map<ClusterRead, InstanceGroupSpec[]>(clusters.map((c) => [c, []]));
  const known = (): string => [...byName.keys()].join(', ') || 'none';
  // Without any cluster, one error says so (load.ts); each group would only repeat it.
  if (clusters.length === 0) return out;
  for (const g of groups) {
    const label = g.clusterLabel;
    const owner = label.unset
      ? clusters.length === 1
        ? clusters[0]
        : undefined
      : label.name === undefined
        ? undefined
        : byName.get(label.name);
    if (owner !== undefined) {
      out.get(owner)?.push(g);
    } else if (!label.unset) {
      const message =
        `InstanceGroup names cluster '${label.text}', which is not in the input (clusters: ${known()}); fix the label or ` +
        `pass that cluster's manifest too`;
      report.error('KI109', label.at, message);
    } else {
      report.error(
        'KI110',
        { pos: g.at.pos, path: 'metadata' },
        `InstanceGroup without a kops.k8s.io/cluster label, and the input has ${clusters.length} clusters; add the label`,
      );
    }
  }
  return out;
}
