import type { ClusterSpec } from '../cluster/cluster-spec';
import type { HostedZone } from '../cluster/hosted-zone';
import type { KmsKey } from '../cluster/kms';
import { arn, type Partition } from '../cluster/partition';
import type { StateStoreLocation } from '../cluster/state-store';
import type { Statement, Text } from '../policy/statement';
import { joinText } from '../policy/statement';

/**
 * The legacy generation: the policies kops' 2017 "IAM Roles" page lists (SPEC §4), which
 * kops wrote before it scoped permissions in 1.8. Each list is kops' own, in its order.
 */

/** ECR pull-only permissions, as the seed lists them for masters and nodes. */
export const ECR_READ_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'ecr:BatchCheckLayerAvailability',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetRepositoryPolicy',
  'ecr:DescribeRepositories',
  'ecr:ListImages',
  'ecr:BatchGetImage',
] as const;

/** KMS permissions on the etcd volume keys. */
export const KMS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
] as const;

/** Route53 permissions scoped to the cluster's hosted zone. */
export const ROUTE53_ZONE_ACTIONS = [
  'route53:ChangeResourceRecordSets',
  'route53:ListResourceRecordSets',
  'route53:GetHostedZone',
] as const;

function allow(sid: string, actions: readonly string[], resources: readonly Text[], rule: string): Statement {
  return { sid, effect: 'Allow', action: { values: actions }, resource: { values: resources }, origin: { source: 'kops', rule } };
}

/** The legacy statements of a control-plane, node or bastion role, in the order kops wrote them. */
export function legacyStatements(role: 'master' | 'node' | 'bastion', spec: ClusterSpec): Statement[] {
  if (role === 'bastion') {
    // IAM rejects an empty policy; DescribeRegions is harmless and is what kops granted.
    return [allow('BastionDescribeRegions', ['ec2:DescribeRegions'], ['*'], 'bastion')];
  }
  const p = spec.partition;
  const out =
    role === 'master'
      ? [allow('MasterEC2', ['ec2:*'], ['*'], 'master'), allow('MasterELB', ['elasticloadbalancing:*'], ['*'], 'master')]
      : [allow('NodeEC2Describe', ['ec2:Describe*'], ['*'], 'node')];
  out.push(allow('ECRRead', ECR_READ_ACTIONS, ['*'], 'ecr'));
  out.push(...route53Statements(p, spec.hostedZone));
  if (role === 'master' && spec.etcdKmsKeys.length > 0)
    out.push(allow('EtcdVolumeKMS', KMS_ACTIONS, spec.etcdKmsKeys.map(kmsKeyArn), 'kms'));
  out.push(...stateStoreStatements(p, spec.stateStores));
  return out;
}

/** The hosted zone's ID as policy text: literal when written in the spec, else what Terraform finds. */
export function zoneIdText(zone: HostedZone): Text | undefined {
  if (zone.kind === 'none') return undefined;
  return zone.kind === 'id' ? zone.id : [{ kind: 'hosted-zone-id' }];
}

function kmsKeyArn(key: KmsKey): Text {
  if (key.kind === 'arn') return key.arn;
  return [
    key.kind === 'key-lookup'
      ? { kind: 'kms-key-arn', lookup: 'key', id: key.keyId }
      : { kind: 'kms-key-arn', lookup: 'alias', id: key.alias },
  ];
}

/** ListHostedZones on `*` always (it takes no resource); zone and change access only with a zone. */
function route53Statements(p: Partition, zone: HostedZone): Statement[] {
  const out = [allow('Route53ListHostedZones', ['route53:ListHostedZones'], ['*'], 'route53')];
  const id = zoneIdText(zone);
  if (id === undefined) return out;
  out.push(allow('Route53HostedZone', ROUTE53_ZONE_ACTIONS, [joinText(arn(p, 'route53', 'hostedzone/'), id)], 'route53'));
  out.push(allow('Route53GetChange', ['route53:GetChange'], [arn(p, 'route53', 'change/*')], 'route53'));
  return out;
}

/**
 * `s3:*` inside each state-store path, and the bucket-level reads kops needs to find it.
 * A store that is a whole bucket gets `s3:*` on its objects only: `s3:*` on the bucket
 * itself would let every instance delete the bucket or rewrite its policy.
 */
function stateStoreStatements(p: Partition, stores: readonly StateStoreLocation[]): Statement[] {
  if (stores.length === 0) return [];
  const objects = stores.flatMap((s) => {
    if (s.prefix === '') return [arn(p, 's3', `${s.bucket}/*`)];
    const base = `${s.bucket}/${s.prefix}`;
    return [arn(p, 's3', base), arn(p, 's3', `${base}/*`)];
  });
  const buckets = [...new Set(stores.map((s) => arn(p, 's3', s.bucket)))];
  return [
    allow('StateStore', ['s3:*'], [...new Set(objects)], 'state-store'),
    allow('StateStoreBuckets', ['s3:GetBucketLocation', 's3:ListBucket'], buckets, 'state-store'),
  ];
}
