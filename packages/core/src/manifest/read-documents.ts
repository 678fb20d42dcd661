import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { InputFile } from '../input/input-file';
import { readYamlFile } from '../input/yaml-file';
import { classifyDocument } from './classify';
import { readInstanceGroup, type InstanceGroupSpec } from './instance-group';
import { readClusterDocument, type ClusterRead } from './read-cluster';

/** Every Cluster and InstanceGroup of the input, read once, in input order. */
export interface ReadManifests {
  readonly clusters: readonly ClusterRead[];
  readonly groups: readonly InstanceGroupSpec[];
  /** Where the first InstanceGroup is, for "InstanceGroups but no Cluster". */
  readonly firstGroupAt?: Placed;
}

/**
 * Pass one: parses each input once and reads each document into plain data (a checked
 * cluster spec, a reduced InstanceGroup), so no document is kept. Plain data, so that parts
 * of a large input may be read on other threads and joined with joinManifests.
 */
export function readManifests(files: readonly InputFile[], flags: ReadonlyMap<string, boolean>, report: Report): ReadManifests {
  const clusters: ClusterRead[] = [];
  const groups: InstanceGroupSpec[] = [];
  let firstGroupAt: Placed | undefined;
  for (const file of files) {
    for (const doc of readYamlFile(file, report)) {
      const kind = classifyDocument(doc.root, report);
      if (kind.kind === 'InstanceGroup') {
        firstGroupAt ??= { pos: doc.root.pos, path: '' };
        const group = readInstanceGroup(doc.root, report);
        if (group !== undefined) groups.push(group);
      } else if (kind.kind === 'Cluster') {
        clusters.push(readClusterDocument(doc.root, kind.apiVersion, flags, report));
      }
    }
  }
  return { clusters, groups, ...(firstGroupAt !== undefined ? { firstGroupAt } : {}) };
}

/** The manifests of several parts of the input, in order. */
export function joinManifests(parts: readonly ReadManifests[]): ReadManifests {
  const firstGroupAt = parts.find((p) => p.firstGroupAt !== undefined)?.firstGroupAt;
  return {
    clusters: parts.flatMap((p) => p.clusters),
    groups: parts.flatMap((p) => p.groups),
    ...(firstGroupAt !== undefined ? { firstGroupAt } : {}),
  };
}

/** The clusters of the input without the second and later of a name (reported there). */
export function uniqueClusters(clusters: readonly ClusterRead[], report: Report): ClusterRead[] {
  const names = new Map<string, Placed>();
  return clusters.filter((c) => {
    if (c.name === undefined) return true;
    const first = names.get(c.name);
    if (first === undefined) {
      names.set(c.name, c.at);
      return true;
    }
    report.error('KI107', c.at, `cluster '${c.name}' is defined twice; the first is at ${first.pos.file}:${first.pos.line}`);
    return false;
  });
}
