import { describe, expect, it } from 'vitest';
import { arn, partitionOf } from '../../src/cluster/partition';
import { renderPolicyText } from '../../src/policy/render';
import { clusterYaml, LEGACY, loadOne, spellRef, STRICT } from '../helpers';

describe('partitionOf', () => {
  it.each([
    ['eu-central-1', 'aws', 'amazonaws.com'],
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
  ])('%s is in partition %s', (region, name, dnsSuffix) => {
    expect(partitionOf(region)).toEqual({ name, dnsSuffix, knownRegion: true });
  });

  it('takes the partition of a region the data does not list from its pattern, and says it is not listed', () => {
    expect(partitionOf('xx-fake-1')).toEqual({ name: 'aws', dnsSuffix: 'amazonaws.com', knownRegion: false });
    // kops' test region: partition aws by pattern, not listed.
    expect(partitionOf('us-test-1')).toEqual({ name: 'aws', dnsSuffix: 'amazonaws.com', knownRegion: false });
    expect(partitionOf('cn-test-9').name).toBe('aws-cn');
  });
});

describe('arn', () => {
  it('writes arn:<partition>:<service>:<region>:<account>:<resource>', () => {
    expect(arn(partitionOf('cn-north-1'), 's3', 'bucket/key')).toBe('arn:aws-cn:s3:::bucket/key');
    expect(arn(partitionOf('us-gov-west-1'), 'kms', 'key/x', 'us-gov-west-1', '123456789012')).toBe(
      'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/x',
    );
  });
});

/** Every ARN prefix in every inline policy of a cluster's plan. */
async function arnPrefixes(zone: string, apiVersion: string): Promise<string[]> {
  const extra = ['  dnsZone: Z1D633PJN98FT9', '  configBase: s3://state-bucket/p.example.com'].join('\n');
  const { plan } = await loadOne(clusterYaml('p.example.com', extra, zone, apiVersion));
  const texts = plan.roles.flatMap((r) => (r.type === 'managed' ? r.policies.map((p) => renderPolicyText(p.document, spellRef)) : []));
  return texts.flatMap((t) => t.match(/arn:[a-z-]+:/g) ?? []);
}

describe('every ARN kops-iam writes uses the partition of the region', () => {
  it.each([
    ['cn-north-1a', 'arn:aws-cn:'],
    ['us-gov-west-1a', 'arn:aws-us-gov:'],
    ['eu-west-1a', 'arn:aws:'],
  ])('zone %s', async (zone, prefix) => {
    for (const apiVersion of [LEGACY, STRICT]) {
      const arns = await arnPrefixes(zone, apiVersion);
      expect(arns.length, apiVersion).toBeGreaterThan(4);
      expect(new Set(arns), apiVersion).toEqual(new Set([prefix]));
    }
  });
});
