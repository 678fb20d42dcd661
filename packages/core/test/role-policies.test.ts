import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '../src/cluster-model';
import { ECR_READ_ACTIONS, KMS_ACTIONS, roleStatements, ROUTE53_ZONE_ACTIONS } from '../src/role-policies';
import { clusterYaml, loadOne } from './helpers';

const FULL = [
  '  dnsZone: ZFULL123',
  '  configBase: s3://state-bucket/full.example.com',
  '  etcdClusters:',
  '  - name: main',
  '    etcdMembers:',
  '    - name: a',
  '      encryptedVolume: true',
  '      kmsKeyId: arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
].join('\n');

async function model(extra = FULL): Promise<ClusterModel> {
  return (await loadOne(clusterYaml('full.example.com', extra))).model;
}

const refs = { zoneId: 'ZFULL123', kmsKeyArns: ['arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'] };

describe('the seed action sets', () => {
  it('ECR read set is the seven actions of the seed', () => {
    expect([...ECR_READ_ACTIONS]).toEqual([
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:GetRepositoryPolicy',
      'ecr:DescribeRepositories',
      'ecr:ListImages',
      'ecr:BatchGetImage',
    ]);
  });

  it('KMS set is the eight actions of the seed', () => {
    expect([...KMS_ACTIONS]).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
  });

  it('zone-scoped Route53 set', () => {
    expect([...ROUTE53_ZONE_ACTIONS]).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone']);
  });
});

describe('roleStatements', () => {
  it('master: ec2:*, elasticloadbalancing:*, ECR, Route53, KMS, state store, in that order', async () => {
    const s = roleStatements('master', await model(), refs);
    expect(s.map((x) => x.sid)).toEqual(['MasterEC2', 'MasterELB', 'ECRRead', 'Route53ListHostedZones', 'Route53HostedZone', 'Route53GetChange', 'EtcdVolumeKMS', 'StateStore', 'StateStoreBuckets']);
    expect(s[0]).toMatchObject({ actions: ['ec2:*'], resources: ['*'] });
    expect(s[1]).toMatchObject({ actions: ['elasticloadbalancing:*'], resources: ['*'] });
    expect(s[2]).toMatchObject({ actions: [...ECR_READ_ACTIONS], resources: ['*'] });
    expect(s[6]).toMatchObject({ actions: [...KMS_ACTIONS], resources: refs.kmsKeyArns });
    expect(s.every((x) => x.effect === 'Allow')).toBe(true);
  });

  it('node: ec2:Describe* (not ec2:*), ECR, Route53, state store; no ELB and no KMS even with keys', async () => {
    const s = roleStatements('node', await model(), refs);
    expect(s.map((x) => x.sid)).toEqual(['NodeEC2Describe', 'ECRRead', 'Route53ListHostedZones', 'Route53HostedZone', 'Route53GetChange', 'StateStore', 'StateStoreBuckets']);
    expect(s[0]).toMatchObject({ actions: ['ec2:Describe*'], resources: ['*'] });
    const actions = s.flatMap((x) => x.actions);
    expect(actions).not.toContain('ec2:*');
    expect(actions.some((a) => a.startsWith('elasticloadbalancing:') || a.startsWith('kms:'))).toBe(false);
  });

  it('bastion: ec2:DescribeRegions only', async () => {
    const s = roleStatements('bastion', await model(), refs);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ sid: 'BastionDescribeRegions', effect: 'Allow', actions: ['ec2:DescribeRegions'], resources: ['*'] });
  });

  it('writes the zone ARN from the zone ID it is given', async () => {
    const s = roleStatements('node', await model(), { zoneId: 'ZOTHER', kmsKeyArns: [] });
    expect(s.find((x) => x.sid === 'Route53HostedZone')!.resources).toEqual(['arn:aws:route53:::hostedzone/ZOTHER']);
  });

  it('splices a reference into the zone ARN', async () => {
    const ref = { input: 'dns-x', attribute: 'zone_id' };
    const s = roleStatements('master', await model(), { zoneId: [ref], kmsKeyArns: [] });
    expect(s.find((x) => x.sid === 'Route53HostedZone')!.resources).toEqual([['arn:aws:route53:::hostedzone/', ref]]);
  });

  it('omits the zone statements without a zone, and KMS without keys', async () => {
    const s = roleStatements('master', await model(''), { kmsKeyArns: [] });
    expect(s.map((x) => x.sid)).toEqual(['MasterEC2', 'MasterELB', 'ECRRead', 'Route53ListHostedZones']);
  });

  it('tags each statement with the rule that produced it', async () => {
    const s = roleStatements('master', await model(), refs);
    expect(Object.fromEntries(s.map((x) => [x.sid, x.origin]))).toMatchObject({
      ECRRead: 'ecr',
      Route53HostedZone: 'route53',
      EtcdVolumeKMS: 'kms',
      StateStore: 'state-store',
    });
  });
});
