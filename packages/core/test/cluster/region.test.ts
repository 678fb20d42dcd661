import { describe, expect, it } from 'vitest';
import { readRegion, REGION_PATTERN, regionOfZone } from '../../src/cluster/region';
import { clusterYaml, errorsOf, load, loadOne, specLines, warningsOf } from '../helpers';

describe('regionOfZone', () => {
  it.each([
    ['eu-central-1a', 'eu-central-1'],
    ['us-east-1f', 'us-east-1'],
    ['ap-southeast-2b', 'ap-southeast-2'],
    ['us-gov-west-1a', 'us-gov-west-1'],
    ['cn-northwest-1c', 'cn-northwest-1'],
    ['us-west-2-lax-1a', 'us-west-2'],
    ['us-east-1-atl-2a', 'us-east-1'],
    ['us-east-1-wl1-bos-wlz-1', 'us-east-1'],
  ])('%s is in %s', (zone, region) => {
    expect(regionOfZone(zone)).toBe(region);
    expect(REGION_PATTERN.test(region)).toBe(true);
  });

  it.each(['eu-central-1', 'foo', 'eu-central-1ab', 'EU-CENTRAL-1A', ''])('%j is not a zone', (zone) => {
    expect(regionOfZone(zone)).toBeUndefined();
  });
});

describe('readRegion', () => {
  it('takes the region of the zones, and its partition', () => {
    const { spec, report } = specLines('  subnets:', '  - zone: cn-north-1a', '  - zone: cn-north-1b');
    expect(readRegion(spec, report)).toEqual({
      region: 'cn-north-1',
      partition: { name: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', knownRegion: true },
    });
    expect(report.diagnostics).toEqual([]);
  });

  it('accepts a shared subnet given only by id: the other zones give the region', () => {
    const { spec, report } = specLines('  subnets:', '  - id: subnet-0123456789', '  - zone: us-west-2b');
    expect(readRegion(spec, report)?.region).toBe('us-west-2');
    expect(report.diagnostics).toEqual([]);
  });

  it("warns about a region AWS's partition data does not list, assuming partition aws (KI205)", () => {
    const { spec, report } = specLines('  subnets:', '  - zone: us-test-1a');
    expect(readRegion(spec, report)).toEqual({
      region: 'us-test-1',
      partition: { name: 'aws', dnsSuffix: 'amazonaws.com', knownRegion: false },
    });
    expect(report.diagnostics).toMatchObject([
      {
        code: 'KI205',
        severity: 'warning',
        path: 'spec.subnets[0].zone',
        message: "region us-test-1 is not in AWS's partition data; assuming partition 'aws'",
      },
    ]);
  });

  it('is an error for subnets that are not a list (KI202)', () => {
    const { spec, report } = specLines('  subnets: eu-central-1a');
    expect(readRegion(spec, report)).toBeUndefined();
    expect(report.diagnostics).toMatchObject([
      { code: 'KI202', path: 'spec.subnets', message: 'must be a list of subnets, each with a zone' },
    ]);
  });
});

describe('the cluster region', () => {
  it('comes from v1alpha2 subnets[].zone', async () => {
    const { plan } = await loadOne(clusterYaml('r.example.com', '', 'ap-northeast-1c'));
    expect(plan.region).toBe('ap-northeast-1');
  });

  it('comes from v1alpha1 zones[].name', async () => {
    const text =
      'apiVersion: kops/v1alpha1\nkind: Cluster\nmetadata:\n  name: old.example.com\nspec:\n  cloudProvider: aws\n  zones:\n  - name: ' +
      'us-west-1b\n    cidr: 10.0.0.0/19\n';
    const { plan } = await loadOne(text);
    expect(plan.region).toBe('us-west-1');
  });

  it('is an error when zones span regions, pointing at the odd zone (KI204)', async () => {
    const text = clusterYaml('r.example.com', '  - name: b\n    zone: eu-west-1b', 'eu-central-1a');
    const r = await load(text);
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI204',
        line: 11,
        col: 11,
        path: 'spec.subnets[1].zone',
        message:
          'zone eu-west-1b is in region eu-west-1, but spec.subnets[0].zone puts the cluster in eu-central-1; all zones must share one ' +
          'region',
      }),
    ]);
  });

  it('is an error without any zone (KI202)', async () => {
    const text = 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: r.example.com\nspec:\n  cloudProvider: aws\n';
    const r = await load(text);
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)).toMatchObject([
      { code: 'KI202', path: 'spec', message: expect.stringMatching(/^no availability zone: add spec.subnets/) },
    ]);
  });

  it('is an error for a subnet without zone (KI202) and for a zone that is not one (KI203)', async () => {
    const text = clusterYaml('r.example.com', '  - name: nozone\n  - name: bad\n    zone: moon-1', 'eu-central-1a');
    const r = await load(text);
    const errors = errorsOf(r.diagnostics);
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['KI202', 'spec.subnets[1].zone'],
      ['KI203', 'spec.subnets[2].zone'],
    ]);
    expect(errors[0]?.message).toBe('missing zone: the availability zone, e.g. eu-central-1a');
    expect(errors[1]?.message).toBe("'moon-1' is not an availability zone such as eu-central-1a");
  });

  it("quotes a zone as written: `zone: no` is 'no', not false", async () => {
    const r = await load(clusterYaml('r.example.com', '', 'no'));
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.message])).toEqual([
      ['KI203', "'no' is not an availability zone such as eu-central-1a"],
    ]);
  });

  it('warns about a region the partition data does not know, and still plans', async () => {
    const r = await load(clusterYaml('p.example.com', '', 'xx-fake-1a'));
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.message])).toEqual([
      ['KI205', "region xx-fake-1 is not in AWS's partition data; assuming partition 'aws'"],
    ]);
  });
});
