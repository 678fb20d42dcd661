import { describe, expect, it } from 'vitest';
import { arn, ec2ServicePrincipal, partitionOf } from '../src/partition';
import { clusterYaml, load, loadOne, warningsOf } from './helpers';
import { renderPolicy } from '../src/policy';
import { terraformExpression } from '../src/plan';

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
    const p = partitionOf(region);
    expect(p.name).toBe(name);
    expect(p.dnsSuffix).toBe(dnsSuffix);
    expect(p.knownRegion).toBe(true);
  });

  it('falls back to aws for a region the data does not list, and says so', () => {
    const p = partitionOf('xx-fake-1');
    expect(p.name).toBe('aws');
    expect(p.knownRegion).toBe(false);
  });
});

describe('ec2ServicePrincipal', () => {
  it('is ec2.amazonaws.com.cn in China only', () => {
    expect(ec2ServicePrincipal(partitionOf('cn-north-1'))).toBe('ec2.amazonaws.com.cn');
    expect(ec2ServicePrincipal(partitionOf('us-gov-west-1'))).toBe('ec2.amazonaws.com');
    expect(ec2ServicePrincipal(partitionOf('eu-west-1'))).toBe('ec2.amazonaws.com');
  });
});

describe('arn', () => {
  it('writes arn:<partition>:<service>:<region>:<account>:<resource>', () => {
    expect(arn(partitionOf('cn-north-1'), 's3', 'bucket/key')).toBe('arn:aws-cn:s3:::bucket/key');
    expect(arn(partitionOf('us-gov-west-1'), 'kms', 'key/x', 'us-gov-west-1', '123456789012')).toBe('arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/x');
  });
});

/** Every ARN in every policy and trust policy of a cluster's plan. */
async function arnsOf(zone: string, extra: string): Promise<{ arns: string[]; trust: string[] }> {
  const { plan } = await loadOne(clusterYaml('p.example.com', extra, zone));
  const texts = plan.roles.flatMap((r) => [r.policy, r.additional].filter((d) => d !== undefined).map((d) => renderPolicy(d, (ref) => terraformExpression(plan, ref))));
  return {
    arns: texts.flatMap((t) => t.match(/arn:[a-z-]+:/g) ?? []),
    trust: plan.roles.map((r) => (JSON.parse(r.assumeRolePolicy) as { Statement: { Principal: { Service: string } }[] }).Statement[0]!.Principal.Service),
  };
}

describe('every ARN kops-iam writes uses the region partition', () => {
  const extra = [
    '  dnsZone: Z1D633PJN98FT9',
    '  configBase: s3://state-bucket/p.example.com',
  ].join('\n');
  it.each([
    ['cn-north-1a', 'arn:aws-cn:', 'ec2.amazonaws.com.cn'],
    ['us-gov-west-1a', 'arn:aws-us-gov:', 'ec2.amazonaws.com'],
    ['eu-west-1a', 'arn:aws:', 'ec2.amazonaws.com'],
  ])('zone %s', async (zone, prefix, principal) => {
    const { arns, trust } = await arnsOf(zone, extra);
    expect(arns.length).toBeGreaterThan(4);
    expect(new Set(arns)).toEqual(new Set([prefix]));
    expect(new Set(trust)).toEqual(new Set([principal]));
  });

  it('warns about a region the partition data does not know', async () => {
    const r = await load(clusterYaml('p.example.com', '', 'xx-fake-1a'));
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => d.message).join('\n')).toMatch(/xx-fake-1 is not in AWS's partition data/);
  });
});
