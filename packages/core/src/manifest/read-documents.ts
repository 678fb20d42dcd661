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
 * cluster spec, a reduced InstanceGroup), so no document is kept. A cluster named twice
 * is reported at the second one.
 */
export function readManifests(files: readonly InputFile[], flags: ReadonlyMap<string, boolean>, report: Report): ReadManifests {
  const clusters: ClusterRead[] = [];
  const groups: InstanceGroupSpec[] = [];
  const names = new Map<string, Placed>();
  let firstGroupAt: Placed | undefined;
  for (const file of files) {
    for (const doc of readYamlFile(file, report)) {
      const kind = classifyDocument(doc.root, report);
      if (kind.kind === 'InstanceGroup') {
        firstGroupAt ??= { pos: doc.root.pos, path: '' };
        const group = readInstanceGroup(doc.root, report);
        if (group !== undefined) groups.push(group);
      } else if (kind.kind === 'Cluster') {
        const read = readClusterDocument(doc.root, kind.apiVersion, flags, report);
        const first = read.name === undefined ? undefined : names.get(read.name);
        if (first !== undefined) {
          report.error('KI107', read.at, `cluster '${read.name}' is defined twice; the first is at ${first.pos.file}:${first.pos.line}`);
          continue;
        }
        if (read.name !== undefined) names.set(read.name, read.at);
        clusters.push(read);
      }
    }
  }
  return { clusters, groups, ...(firstGroupAt !== undefined ? { firstGroupAt } : {}) };
}
