import { describe, expect, it } from 'vitest';
import { ECR_READ_ACTIONS, KMS_ACTIONS, legacyStatements, ROUTE53_ZONE_ACTIONS, zoneIdText } from '../../src/legacy/legacy-policies';
import type { ClusterSpec } from '../../src/cluster/cluster-spec';
import { etcdYaml, instanceRole, KEY_ARN, legacyClusterYaml, loadOne, policyJson, statementsOf, type JsonStatement } from '../helpers';

const FULL = ['  dnsZone: ZFULL123', '  configBase: s3://state-bucket/full.example.com', etcdYaml([[true, KEY_ARN]])].join('\n');

async function spec(extra = FULL, name = 'full.example.com'): Promise<ClusterSpec> {
  return (await loadOne(legacyClusterYaml(name, extra))).spec;
}

/** The legacy statements of a role as IAM JSON. */
async function json(role: 'master' | 'node' | 'bastion', extra = FULL, name = 'full.example.com'): Promise<JsonStatement[]> {
  return policyJson({ statements: legacyStatements(role, await spec(extra, name)) }).Statement;
}

describe("the seed's action sets", () => {
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
    expect([...KMS_ACTIONS]).toEqual([
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:DescribeKey',
      'kms:CreateGrant',
      'kms:ListGrants',
      'kms:RevokeGrant',
    ]);
  });

  it('zone-scoped Route53 set', () => {
    expect([...ROUTE53_ZONE_ACTIONS]).toEqual([
      'route53:ChangeResourceRecordSets',
      'route53:ListResourceRecordSets',
      'route53:GetHostedZone',
    ]);
  });
});

describe('legacyStatements', () => {
  it('master: ec2:*, elasticloadbalancing:*, ECR, Route53, KMS, state store, in that order', async () => {
    const s = await json('master');
    expect(s.map((x) => x.Sid)).toEqual([
      'MasterEC2',
      'MasterELB',
      'ECRRead',
      'Route53ListHostedZones',
      'Route53HostedZone',
      'Route53GetChange',
      'EtcdVolumeKMS',
      'StateStore',
      'StateStoreBuckets',
    ]);
    expect(s[0]).toEqual({ Sid: 'MasterEC2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect(s[1]).toEqual({ Sid: 'MasterELB', Effect: 'Allow', Action: 'elasticloadbalancing:*', Resource: '*' });
    expect(s[2]).toEqual({ Sid: 'ECRRead', Effect: 'Allow', Action: [...ECR_READ_ACTIONS], Resource: '*' });
    expect(s[6]).toEqual({ Sid: 'EtcdVolumeKMS', Effect: 'Allow', Action: [...KMS_ACTIONS], Resource: KEY_ARN });
  });

  it('node: ec2:Describe* (not ec2:*), ECR, Route53, state store; no ELB and no KMS even with keys', async () => {
    const s = await json('node');
    expect(s.map((x) => x.Sid)).toEqual([
      'NodeEC2Describe',
      'ECRRead',
      'Route53ListHostedZones',
      'Route53HostedZone',
      'Route53GetChange',
      'StateStore',
      'StateStoreBuckets',
    ]);
    expect(s[0]).toEqual({ Sid: 'NodeEC2Describe', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' });
    const actions = s.flatMap((x) => x.Action ?? []);
    expect(actions).not.toContain('ec2:*');
    expect(actions.some((a) => a.startsWith('elasticloadbalancing:') || a.startsWith('kms:'))).toBe(false);
  });

  it('bastion: ec2:DescribeRegions only', async () => {
    expect(await json('bastion')).toEqual([
      { Sid: 'BastionDescribeRegions', Effect: 'Allow', Action: 'ec2:DescribeRegions', Resource: '*' },
    ]);
  });

  it('omits the zone statements without a zone, KMS without keys, the state store without one', async () => {
    expect((await json('master', '', 'g.k8s.local')).map((x) => x.Sid)).toEqual([
      'MasterEC2',
      'MasterELB',
      'ECRRead',
      'Route53ListHostedZones',
    ]);
  });

  it('tags each statement with the rule that produced it', async () => {
    const s = legacyStatements('master', await spec());
    expect(Object.fromEntries(s.map((x) => [x.sid, x.origin]))).toMatchObject({
      MasterEC2: { source: 'kops', rule: 'master' },
      ECRRead: { source: 'kops', rule: 'ecr' },
      Route53HostedZone: { source: 'kops', rule: 'route53' },
      EtcdVolumeKMS: { source: 'kops', rule: 'kms' },
      StateStore: { source: 'kops', rule: 'state-store' },
    });
  });
});

describe('Route53 statements', () => {
  it('grant ListHostedZones only for a gossip cluster', async () => {
    for (const role of ['master', 'node'] as const) {
      expect((await json(role, '', 'g.k8s.local')).filter((s) => s.Sid?.startsWith('Route53'))).toEqual([
        { Sid: 'Route53ListHostedZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
      ]);
    }
  });

  it('scope zone actions to the literal zone ID, and GetChange to change/*', async () => {
    const s = (await json('node', '  dnsZone: /hostedzone/ZABC123', 'z.example.com')).filter((x) => x.Sid?.startsWith('Route53'));
    expect(s).toEqual([
      { Sid: 'Route53ListHostedZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
      { Sid: 'Route53HostedZone', Effect: 'Allow', Action: [...ROUTE53_ZONE_ACTIONS], Resource: 'arn:aws:route53:::hostedzone/ZABC123' },
      { Sid: 'Route53GetChange', Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
    ]);
  });

  it('reference the looked-up zone, or the variable without dnsZone', async () => {
    for (const extra of ['  dnsZone: example.com\n  topology:\n    dns:\n      type: Private', '']) {
      const s = await json('master', extra, 'n.example.com');
      expect(s.find((x) => x.Sid === 'Route53HostedZone')?.Resource).toBe('arn:aws:route53:::hostedzone/<hosted-zone-id>');
    }
    expect(zoneIdText({ kind: 'lookup', name: 'example.com', private: true })).toEqual([{ kind: 'hosted-zone-id' }]);
    expect(zoneIdText({ kind: 'id', id: 'Z1' })).toBe('Z1');
    expect(zoneIdText({ kind: 'none', reason: 'gossip' })).toBeUndefined();
  });

  it.each([
    ['gossip', 'g.k8s.local', ''],
    ['id', 'i.example.com', '  dnsZone: ZABC'],
    ['lookup', 'l.example.com', '  dnsZone: example.com'],
    ['variable', 'v.example.com', ''],
  ])('never widen to hostedzone/* (%s)', async (_kind, name, extra) => {
    const { plan } = await loadOne(legacyClusterYaml(name, extra));
    for (const role of ['master', 'node'] as const) {
      const text = JSON.stringify(statementsOf(instanceRole(plan, role)));
      expect(text).not.toContain('hostedzone/*');
      expect(text).not.toMatch(/"Resource":"arn:aws:route53:::\*"/);
    }
  });
});

describe('the EtcdVolumeKMS statement', () => {
  it('grants the KMS actions on exactly the configured keys, to masters only, lookups as references', async () => {
    const KEY_ID = '0987dcba-09fe-47dc-a5ba-ab0987654321';
    const extra = etcdYaml([
      [true, KEY_ARN],
      [true, KEY_ID],
      [true, 'alias/etcd-main'],
    ]);
    const { plan } = await loadOne(legacyClusterYaml('k.example.com', extra));
    expect(statementsOf(instanceRole(plan, 'master')).find((s) => s.Sid === 'EtcdVolumeKMS')?.Resource).toEqual([
      KEY_ARN,
      `<kms-key-arn:key:${KEY_ID}>`,
      '<kms-key-arn:alias:alias/etcd-main>',
    ]);
    expect(statementsOf(instanceRole(plan, 'node')).some((s) => s.Sid === 'EtcdVolumeKMS')).toBe(false);
  });

  it('keeps an alias ARN and an alias name with the same name apart', async () => {
    const aliasArn = 'arn:aws:kms:eu-central-1:210987654321:alias/etcd';
    const { plan } = await loadOne(
      legacyClusterYaml(
        'k.example.com',
        etcdYaml([
          [true, aliasArn],
          [true, 'alias/etcd'],
        ]),
      ),
    );
    expect(statementsOf(instanceRole(plan, 'master')).find((s) => s.Sid === 'EtcdVolumeKMS')?.Resource).toEqual([
      `<kms-key-arn:key:${aliasArn}>`,
      '<kms-key-arn:alias:alias/etcd>',
    ]);
  });

  it('is absent without keys', async () => {
    const { plan } = await loadOne(legacyClusterYaml('k.example.com', etcdYaml([[true, undefined]])));
    expect(statementsOf(instanceRole(plan, 'master')).some((s) => s.Sid === 'EtcdVolumeKMS')).toBe(false);
  });
});

describe('state-store statements', () => {
  it('grant s3:* on each path and path/* (a whole-bucket store: its objects only), and bucket reads, to masters and nodes', async () => {
    const extra = [
      '  configBase: s3://state/clusters/s.example.com',
      '  keyStore: s3://state/clusters/s.example.com/pki',
      '  configStore: s3://other-bucket',
    ].join('\n');
    const { plan } = await loadOne(legacyClusterYaml('s.example.com', extra));
    for (const role of ['master', 'node'] as const) {
      const bySid = new Map(statementsOf(instanceRole(plan, role)).map((s) => [s.Sid, s]));
      expect(bySid.get('StateStore')).toEqual({
        Sid: 'StateStore',
        Effect: 'Allow',
        Action: 's3:*',
        Resource: [
          'arn:aws:s3:::other-bucket/*',
          'arn:aws:s3:::state/clusters/s.example.com',
          'arn:aws:s3:::state/clusters/s.example.com/*',
        ],
      });
      expect(bySid.get('StateStoreBuckets')).toEqual({
        Sid: 'StateStoreBuckets',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::other-bucket', 'arn:aws:s3:::state'],
      });
    }
  });

  it('are absent with no state store (or only memfs)', async () => {
    const { plan } = await loadOne(legacyClusterYaml('s.example.com', '  configBase: memfs://x/y'));
    for (const role of ['master', 'node'] as const)
      expect(statementsOf(instanceRole(plan, role)).map((s) => s.Sid)).not.toContain('StateStore');
  });
});
