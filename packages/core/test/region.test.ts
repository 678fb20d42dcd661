import { describe, expect, it } from 'vitest';
import { REGION_PATTERN, regionOfZone } from '../src/region';
import { clusterYaml, errorsOf, load, loadOne } from './helpers';

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

describe('the cluster region', () => {
  it('comes from v1alpha2 subnets[].zone', async () => {
    const { plan } = await loadOne(clusterYaml('r.example.com', '', 'ap-northeast-1c'));
    expect(plan.region).toBe('ap-northeast-1');
  });

  it('comes from v1alpha1 zones[].name', async () => {
    const text = 'apiVersion: kops/v1alpha1\nkind: Cluster\nmetadata:\n  name: old.example.com\nspec:\n  cloudProvider: aws\n  zones:\n  - name: us-west-1b\n    cidr: 10.0.0.0/19\n';
    const { plan } = await loadOne(text);
    expect(plan.region).toBe('us-west-1');
  });

  it('is an error when zones span regions, pointing at the odd zone', async () => {
    const text = clusterYaml('r.example.com', '  - name: b\n    zone: eu-west-1b', 'eu-central-1a');
    const r = await load(text);
    expect(r.ok).toBe(false);
    const errors = errorsOf(r.diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 11, path: 'spec.subnets[1].zone' });
    expect(errors[0]!.message).toMatch(/eu-west-1.*eu-central-1.*one region/);
  });

  it('is an error without any zone', async () => {
    const text = 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: r.example.com\nspec:\n  cloudProvider: aws\n';
    const r = await load(text);
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(/no availability zone/);
  });

  it('is an error for a subnet without zone and for a zone that is not one', async () => {
    const text = clusterYaml('r.example.com', '  - name: nozone\n  - name: bad\n    zone: moon-1', 'eu-central-1a');
    const r = await load(text);
    const errors = errorsOf(r.diagnostics);
    expect(errors.map((e) => e.path)).toEqual(['spec.subnets[1].zone', 'spec.subnets[2].zone']);
    expect(errors[1]!.message).toMatch(/'moon-1' is not an availability zone/);
  });
});
