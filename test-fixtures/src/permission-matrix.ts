import type { ClusterSpec, KmsKey } from '@kops-iam/core';
import type { Row } from './matrix-row';
import type { Decision } from './simulate';
import { OTHER_KMS_KEY_ID, OTHER_ZONE_ID, TEST_ACCOUNT, testKmsKeyArn, testZoneIdForName, TEST_ZONE_VARIABLE_VALUE } from './test-world';

/** One row of the matrix: a request, what IAM must answer, and why (for failure messages). */
export type MatrixRow = readonly [action: string, resource: string, expected: Decision, why: string];

/** The roles of the legacy generation (API servers, which the seed did not know, get kops' scoped policy). */
export type LegacyRole = 'master' | 'node' | 'bastion';

/**
 * What a role of a legacy cluster may and may not do according to the spec (SPEC.md §4),
 * written from the cluster's spec as read (region, partition, zone, keys, stores) and never
 * from kops-iam's rendered policies. additionalPolicies are not in here: see
 * additional-expectations.ts.
 */
export function legacyMatrix(role: LegacyRole, spec: ClusterSpec): Row[] {
  const rows = role === 'bastion' ? bastionRows(spec) : instanceRows(role, spec);
  return [...rows, ...partitionTwins(rows, spec.partition.name)].map(([action, resource, expected, why]) => ({
    request: { action, resource },
    expected,
    why,
  }));
}

/** The ARN partition a region's cluster must use, from the region's name alone. */
export function expectedPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** The ARN of the cluster's hosted zone in the test world, or undefined without a zone. */
export function expectedZoneId(spec: ClusterSpec): string | undefined {
  const zone = spec.hostedZone;
  if (zone.kind === 'id') return zone.id;
  if (zone.kind === 'variable') return TEST_ZONE_VARIABLE_VALUE;
  if (zone.kind === 'lookup') return testZoneIdForName(zone.name, zone.private);
  return undefined;
}

/** The ARN a configured etcd key has in the test world. */
export function expectedKeyArn(key: KmsKey, partition: string, region: string): string {
  if (key.kind === 'arn') return key.arn;
  return testKmsKeyArn(partition, region, key.kind === 'key-lookup' ? key.keyId : key.alias);
}

const INSTANCE = 'instance/i-0123456789abcdef0';

function bastionRows(spec: ClusterSpec): MatrixRow[] {
  const p = spec.partition.name;
  const r = spec.region;
  const instance = `arn:${p}:ec2:${r}:${TEST_ACCOUNT}:${INSTANCE}`;
  return [
    ['ec2:DescribeRegions', '*', 'Allowed', 'a bastion may only list regions'],
    ['ec2:DescribeInstances', '*', 'ImplicitlyDenied', 'a bastion can do nothing but ec2:DescribeRegions'],
    ['ec2:RunInstances', instance, 'ImplicitlyDenied', 'a bastion can do nothing but ec2:DescribeRegions'],
    ['ecr:BatchGetImage', `arn:${p}:ecr:${r}:${TEST_ACCOUNT}:repository/kops/app`, 'ImplicitlyDenied', 'a bastion pulls no images'],
    ['route53:ListHostedZones', '*', 'ImplicitlyDenied', 'a bastion has no DNS access'],
    ['s3:ListAllMyBuckets', '*', 'ImplicitlyDenied', 'a bastion has no S3 access'],
    ...stateStoreRows(spec, 'ImplicitlyDenied'),
  ];
}

function instanceRows(role: 'master' | 'node', spec: ClusterSpec): MatrixRow[] {
  const p = spec.partition.name;
  const r = spec.region;
  const a = TEST_ACCOUNT;
  const master = role === 'master';
  const allowIfMaster: Decision = master ? 'Allowed' : 'ImplicitlyDenied';
  const instance = `arn:${p}:ec2:${r}:${a}:${INSTANCE}`;
  const repo = `arn:${p}:ecr:${r}:${a}:repository/kops/app`;
  const rows: MatrixRow[] = [
    ['ec2:DescribeInstances', '*', 'Allowed', 'masters have ec2:*, nodes ec2:Describe*'],
    ['ec2:DescribeRegions', '*', 'Allowed', 'ec2:Describe*'],
    ['ec2:RunInstances', instance, allowIfMaster, 'only masters launch instances'],
    ['ec2:TerminateInstances', instance, allowIfMaster, 'only masters terminate instances'],
    ['ec2:CreateTags', instance, allowIfMaster, 'ec2:* for masters only'],
    [
      'elasticloadbalancing:CreateLoadBalancer',
      `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/net/api/0123456789abcdef`,
      allowIfMaster,
      'elasticloadbalancing:* for masters only',
    ],
    ['elasticloadbalancing:DescribeLoadBalancers', '*', allowIfMaster, 'elasticloadbalancing:* for masters only'],
    ['ecr:GetAuthorizationToken', '*', 'Allowed', 'ECR read set'],
    ['ecr:BatchGetImage', repo, 'Allowed', 'ECR read set'],
    ['ecr:GetDownloadUrlForLayer', repo, 'Allowed', 'ECR read set'],
    ['ecr:BatchCheckLayerAvailability', repo, 'Allowed', 'ECR read set'],
    ['ecr:DescribeRepositories', repo, 'Allowed', 'ECR read set'],
    ['ecr:ListImages', repo, 'Allowed', 'ECR read set'],
    ['ecr:GetRepositoryPolicy', repo, 'Allowed', 'ECR read set'],
    ['ecr:PutImage', repo, 'ImplicitlyDenied', 'pull, never push'],
    ['ecr:InitiateLayerUpload', repo, 'ImplicitlyDenied', 'pull, never push'],
    ['ecr:DeleteRepository', repo, 'ImplicitlyDenied', 'pull, never push'],
    ['iam:PassRole', `arn:${p}:iam::${a}:role/any-role`, 'ImplicitlyDenied', 'no IAM access'],
    ['iam:CreateRole', `arn:${p}:iam::${a}:role/any-role`, 'ImplicitlyDenied', 'no IAM access'],
    ['sqs:SendMessage', `arn:${p}:sqs:${r}:${a}:queue`, 'ImplicitlyDenied', 'nothing outside the spec'],
    ['s3:ListAllMyBuckets', '*', 'ImplicitlyDenied', 'S3 only inside the state store'],
    ...route53Rows(spec),
    ...kmsRows(spec, master),
    ...stateStoreRows(spec, 'Allowed'),
  ];
  return rows;
}

function route53Rows(spec: ClusterSpec): MatrixRow[] {
  const p = spec.partition.name;
  const zoneId = expectedZoneId(spec);
  const zone = (id: string) => `arn:${p}:route53:::hostedzone/${id}`;
  const change = `arn:${p}:route53:::change/C0123456789ABCDEF`;
  const rows: MatrixRow[] = [
    ['route53:ListHostedZones', '*', 'Allowed', 'ListHostedZones on * always'],
    ['route53:CreateHostedZone', '*', 'ImplicitlyDenied', 'no zone creation'],
    ['route53:ChangeResourceRecordSets', zone(OTHER_ZONE_ID), 'ImplicitlyDenied', 'never another zone (no hostedzone/*)'],
    ['route53:GetHostedZone', zone(OTHER_ZONE_ID), 'ImplicitlyDenied', 'never another zone'],
  ];
  if (zoneId === undefined) {
    rows.push([
      'route53:GetChange',
      change,
      'ImplicitlyDenied',
      `no zone (${spec.hostedZone.kind === 'none' ? spec.hostedZone.reason : ''}): no zone access at all`,
    ]);
    return rows;
  }
  rows.push(
    ['route53:ChangeResourceRecordSets', zone(zoneId), 'Allowed', `the cluster's zone (${spec.hostedZone.kind})`],
    ['route53:ListResourceRecordSets', zone(zoneId), 'Allowed', "the cluster's zone"],
    ['route53:GetHostedZone', zone(zoneId), 'Allowed', "the cluster's zone"],
    ['route53:DeleteHostedZone', zone(zoneId), 'ImplicitlyDenied', 'records only, not the zone'],
    ['route53:GetChange', change, 'Allowed', 'GetChange on change/*'],
  );
  return rows;
}

function kmsRows(spec: ClusterSpec, master: boolean): MatrixRow[] {
  const p = spec.partition.name;
  const other = `arn:${p}:kms:${spec.region}:${TEST_ACCOUNT}:key/${OTHER_KMS_KEY_ID}`;
  const rows: MatrixRow[] = [['kms:Decrypt', other, 'ImplicitlyDenied', 'a key the cluster does not configure']];
  const actions = [
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
    'kms:GenerateDataKey',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:DescribeKey',
    'kms:CreateGrant',
    'kms:ListGrants',
    'kms:RevokeGrant',
  ];
  for (const key of spec.etcdKmsKeys) {
    const arn = expectedKeyArn(key, p, spec.region);
    if (master) for (const action of actions) rows.push([action, arn, 'Allowed', `etcd volume key (${key.kind})`]);
    else rows.push(['kms:Decrypt', arn, 'ImplicitlyDenied', 'nodes have no KMS access']);
    rows.push(['kms:ScheduleKeyDeletion', arn, 'ImplicitlyDenied', 'use the key, never manage it']);
  }
  return rows;
}

/** True when an object key lies inside one of the cluster's state stores. */
function inStore(spec: ClusterSpec, bucket: string, key: string): boolean {
  return spec.stateStores.some((s) => s.bucket === bucket && (s.prefix === '' || key === s.prefix || key.startsWith(`${s.prefix}/`)));
}

function stateStoreRows(spec: ClusterSpec, inside: Decision): MatrixRow[] {
  const p = spec.partition.name;
  const s3 = (path: string) => `arn:${p}:s3:::${path}`;
  const rows: MatrixRow[] = [];
  const buckets = new Set(spec.stateStores.map((s) => s.bucket));
  for (const store of spec.stateStores) {
    const base = store.prefix === '' ? store.bucket : `${store.bucket}/${store.prefix}`;
    rows.push(
      ['s3:GetObject', s3(`${base}/config`), inside, 'inside the state store'],
      ['s3:PutObject', s3(`${base}/instancegroup/nodes`), inside, 'inside the state store'],
      ['s3:DeleteObject', s3(`${base}/pki/private/ca/keyset.yaml`), inside, 'inside the state store'],
      ['s3:ListBucket', s3(store.bucket), inside, 'ListBucket on the bucket'],
      ['s3:GetBucketLocation', s3(store.bucket), inside, 'GetBucketLocation on the bucket'],
    );
    if (store.prefix !== '') {
      rows.push(['s3:GetObject', s3(base), inside, 'the state-store path itself (the prefix object)']);
      const sibling = `${store.prefix}-sibling/config`;
      if (!inStore(spec, store.bucket, sibling))
        rows.push(['s3:GetObject', s3(`${store.bucket}/${sibling}`), 'ImplicitlyDenied', 'a sibling path in the same bucket']);
      const parent = store.prefix.includes('/') ? store.prefix.slice(0, store.prefix.lastIndexOf('/')) : '';
      const outside = parent === '' ? 'outside.txt' : `${parent}/outside.txt`;
      if (!inStore(spec, store.bucket, outside))
        rows.push(['s3:GetObject', s3(`${store.bucket}/${outside}`), 'ImplicitlyDenied', 'above the state-store path']);
    }
    // Even a store that is a whole bucket grants nothing on the bucket beyond finding and listing it.
    rows.push(['s3:PutBucketPolicy', s3(store.bucket), 'ImplicitlyDenied', 'no bucket administration']);
    rows.push(['s3:DeleteBucket', s3(store.bucket), 'ImplicitlyDenied', 'no bucket administration']);
    const siblingBucket = `${store.bucket.slice(0, 50)}-sibling`;
    if (!buckets.has(siblingBucket)) {
      rows.push([
        's3:GetObject',
        s3(`${siblingBucket}/${store.prefix === '' ? '' : `${store.prefix}/`}config`),
        'ImplicitlyDenied',
        'a sibling bucket',
      ]);
      rows.push(['s3:ListBucket', s3(siblingBucket), 'ImplicitlyDenied', 'a sibling bucket']);
    }
  }
  if (spec.stateStores.length === 0)
    rows.push(['s3:GetObject', s3('any-bucket/config'), 'ImplicitlyDenied', 'no state store (memfs:// or none): no S3']);
  return rows;
}

/** Services whose grants name ARNs (the others are granted on `*`, which matches any partition). */
const SCOPED_SERVICES = ['route53', 'kms', 's3'];

/**
 * For clusters outside the `aws` partition: the same allowed requests to scoped
 * resources written with `arn:aws:` must not match, since the policy's ARNs name the
 * cluster's partition.
 */
export function partitionTwins(rows: readonly MatrixRow[], partition: string): MatrixRow[] {
  if (partition === 'aws') return [];
  const prefix = `arn:${partition}:`;
  return rows
    .filter(
      ([action, resource, expected]) =>
        expected === 'Allowed' && resource.startsWith(prefix) && SCOPED_SERVICES.includes(action.split(':')[0] ?? ''),
    )
    .map(([action, resource]): MatrixRow => [
      action,
      `arn:aws:${resource.slice(prefix.length)}`,
      'ImplicitlyDenied',
      `an ARN of partition aws cannot match a ${partition} policy`,
    ]);
}
