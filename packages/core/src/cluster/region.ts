import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { partitionOf, type Partition } from './partition';

/** A region name as AWS writes them: `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The region of an availability zone: the zone less its letter (`eu-central-1a`), and
 * for Local Zones (`us-west-2-lax-1a`) and Wavelength zones (`us-east-1-wl1-bos-wlz-1`)
 * the parent region they hang off. Returns undefined for something that is not a zone.
 */
export function regionOfZone(zone: string): string | undefined {
  const standard = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/.exec(zone);
  if (standard?.[1] !== undefined) return standard[1];
  const local = /^([a-z]{2}(?:-[a-z]+)+-\d+)-[a-z]+(?:-[a-z]+)?-\d+[a-z]$/.exec(zone);
  if (local?.[1] !== undefined) return local[1];
  const wavelength = /^([a-z]{2}(?:-[a-z]+)+-\d+)-wl\d+-[a-z]+-wlz-\d+$/.exec(zone);
  return wavelength?.[1];
}

/** Where the cluster runs: its region and that region's partition. */
export interface ClusterRegion {
  readonly region: string;
  readonly partition: Partition;
}

/**
 * The region is that of the zones; v1alpha2 lists them as subnets[].zone, v1alpha1 as
 * zones[].name. A subnet given only by `id` (a shared subnet whose zone kops looks up)
 * has no zone to read: the other zones give the region.
 */
export function readRegion(spec: YamlNode, report: Report): ClusterRegion | undefined {
  const { zones, malformed } = zoneNodes(spec, report);
  if (zones.length === 0) {
    if (malformed) return undefined;
    report.error(
      'KI202',
      spec,
      'no availability zone: add spec.subnets with a zone (kops v1alpha2) or spec.zones (v1alpha1); the region comes from them',
    );
    return undefined;
  }
  let first: { region: string; node: YamlNode } | undefined;
  for (const zone of zones) {
    const text = zone.string() ?? zone.text() ?? '';
    const region = regionOfZone(text);
    if (region === undefined || !REGION_PATTERN.test(region)) {
      report.error('KI203', zone, `'${text}' is not an availability zone such as eu-central-1a`);
    } else if (first === undefined) first = { region, node: zone };
    else if (region !== first.region) {
      report.error(
        'KI204',
        zone,
        `zone ${text} is in region ${region}, but ${first.node.path} puts the cluster in ${first.region}; all zones must share one region`,
      );
    }
  }
  // With other zones wrong (reported) the first good one still serves the checks that need a partition.
  if (first === undefined) return undefined;
  const partition = partitionOf(first.region);
  if (!partition.knownRegion) {
    report.warning('KI205', first.node, `region ${first.region} is not in AWS's partition data; assuming partition '${partition.name}'`);
  }
  return { region: first.region, partition };
}

/** The zone nodes of the subnets (or v1alpha1 zones), and whether a list is malformed (reported). */
function zoneNodes(spec: YamlNode, report: Report): { zones: YamlNode[]; malformed: boolean } {
  const zones: YamlNode[] = [];
  let malformed = false;
  for (const [list, key] of [
    ['subnets', 'zone'],
    ['zones', 'name'],
  ] as const) {
    const node = spec.get(list);
    if (node.unset) continue;
    if (node.kind !== 'seq') {
      report.error('KI202', node, `must be a list of ${list === 'subnets' ? 'subnets, each with a zone' : 'zones, each with a name'}`);
      malformed = true;
      continue;
    }
    for (const item of node.items()) {
      const zone = item.get(key);
      if (!zone.unset) zones.push(zone);
      else if (list === 'subnets' && !item.get('id').unset) continue;
      else {
        report.error('KI202', zone, `missing ${key}: the availability zone, e.g. eu-central-1a`);
        malformed = true;
      }
    }
  }
  return { zones, malformed };
}
