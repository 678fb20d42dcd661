import type { ClusterModel, KmsKey, RoleKind } from '@kops-iam/core';
import type { Decision, IamRequest } from './simulate';
import { OTHER_KMS_KEY_ID, OTHER_ZONE_ID, TEST_ACCOUNT, testKmsKeyArn, testZoneIdForName, TEST_ZONE_VARIABLE_VALUE } from './test-world';

/** One row of the matrix: a request, what IAM must answer, and why (for failure messages). */
export type MatrixRow = readonly [action: string, resource: string, expected: Decision, why: string];

/**
 * What each role of a cluster may and may not do according to the spec (SPEC.md §4),
 * written from the cluster's model (region, partition, zone, keys, stores) and never
 * from kops-iam's rendered policies. additionalPolicies are not in here: see
 * additional-expectations.ts.
 */
export function permissionMatrix(model: ClusterModel): Map<RoleKind, MatrixRow[]> {
  const out = new Map<RoleKind, MatrixRow[]>();
  for (const role of model.roles) {
    if (model.customRoles.has(role)) continue;
    out.set(role, role === 'bastion' ? bastionRows(model) : instanceRows(role, model));
  }
  return out;
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
export function expectedZoneId(model: ClusterModel): string | undefined {
  const zone = model.hostedZone;
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

function bastionRows(model: ClusterModel): MatrixRow[] {
  const p = model.partition.name;
  const r = model.region;
  const instance = `arn:${p}:ec2:${r}:${TEST_ACCOUNT}:${INSTANCE}`;
  return [
    ['ec2:DescribeRegions', '*', 'Allowed', 'a bastion may only list regions'],
    ['ec2:DescribeInstances', '*', 'ImplicitlyDenied', 'a bastion can do nothing but ec2:DescribeRegions'],
    ['ec2:RunInstances', instance, 'ImplicitlyDenied', 'a bastion can do nothing but ec2:DescribeRegions'],
    ['ecr:BatchGetImage', `arn:${p}:ecr:${r}:${TEST_ACCOUNT}:repository/kops/app`, 'ImplicitlyDenied', 'a bastion pulls no images'],
    ['route53:ListHostedZones', '*', 'ImplicitlyDenied', 'a bastion has no DNS access'],
    ['s3:ListAllMyBuckets', '*', 'ImplicitlyDenied', 'a bastion has no S3 access'],
    ...stateStoreRows(model, 'ImplicitlyDenied'),
  ];
}

function instanceRows(role: 'master' | 'node', model: ClusterModel): MatrixRow[] {
  const p = model.partition.name;
  const r = model.region;
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
    ['elasticloadbalancing:CreateLoadBalancer', `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/net/api/0123456789abcdef`, allowIfMaster, 'elasticloadbalancing:* for masters only'],
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
    ...route53Rows(model),
    ...kmsRows(model, master),
    ...stateStoreRows(model, 'Allowed'),
  ];
  return rows;
}

function route53Rows(model: ClusterModel): MatrixRow[] {
  const p = model.partition.name;
  const zoneId = expectedZoneId(model);
  const zone = (id: string) => `arn:${p}:route53:::hostedzone/${id}`;
  const change = `arn:${p}:route53:::change/C0123456789ABCDEF`;
  const rows: MatrixRow[] = [
    ['route53:ListHostedZones', '*', 'Allowed', 'ListHostedZones on * always'],
    ['route53:CreateHostedZone', '*', 'ImplicitlyDenied', 'no zone creation'],
    ['route53:ChangeResourceRecordSets', zone(OTHER_ZONE_ID), 'ImplicitlyDenied', 'never another zone (no hostedzone/*)'],
    ['route53:GetHostedZone', zone(OTHER_ZONE_ID), 'ImplicitlyDenied', 'never another zone'],
  ];
  if (zoneId === undefined) {
    rows.push(['route53:GetChange', change, 'ImplicitlyDenied', `no zone (${model.hostedZone.kind === 'none' ? model.hostedZone.reason : ''}): no zone access at all`]);
    return rows;
  }
  rows.push(
    ['route53:ChangeResourceRecordSets', zone(zoneId), 'Allowed', `the cluster's zone (${model.hostedZone.kind})`],
    ['route53:ListResourceRecordSets', zone(zoneId), 'Allowed', "the cluster's zone"],
    ['route53:GetHostedZone', zone(zoneId), 'Allowed', "the cluster's zone"],
    ['route53:DeleteHostedZone', zone(zoneId), 'ImplicitlyDenied', 'records only, not the zone'],
    ['route53:GetChange', change, 'Allowed', 'GetChange on change/*'],
  );
  return rows;
}

function kmsRows(model: ClusterModel, master: boolean): MatrixRow[] {
  const p = model.partition.name;
  const other = `arn:${p}:kms:${model.region}:${TEST_ACCOUNT}:key/${OTHER_KMS_KEY_ID}`;
  const rows: MatrixRow[] = [['kms:Decrypt', other, 'ImplicitlyDenied', 'a key the cluster does not configure']];
  const actions = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];
  for (const key of model.kmsKeys) {
    const arn = expectedKeyArn(key, p, model.region);
    if (master) for (const action of actions) rows.push([action, arn, 'Allowed', `etcd volume key (${key.kind})`]);
    else rows.push(['kms:Decrypt', arn, 'ImplicitlyDenied', 'nodes have no KMS access']);
    rows.push(['kms:ScheduleKeyDeletion', arn, 'ImplicitlyDenied', 'use the key, never manage it']);
  }
  return rows;
}

/** True when an object key lies inside one of the cluster's state stores. */
function inStore(model: ClusterModel, bucket: string, key: string): boolean {
  return model.stateStores.some((s) => s.bucket === bucket && (s.prefix === '' || key === s.prefix || key.startsWith(`${s.prefix}/`)));
}

function stateStoreRows(model: ClusterModel, inside: Decision): MatrixRow[] {
  const p = model.partition.name;
  const s3 = (path: string) => `arn:${p}:s3:::${path}`;
  const rows: MatrixRow[] = [];
  const buckets = new Set(model.stateStores.map((s) => s.bucket));
  for (const store of model.stateStores) {
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
      if (!inStore(model, store.bucket, sibling)) rows.push(['s3:GetObject', s3(`${store.bucket}/${sibling}`), 'ImplicitlyDenied', 'a sibling path in the same bucket']);
      const parent = store.prefix.includes('/') ? store.prefix.slice(0, store.prefix.lastIndexOf('/')) : '';
      const outside = parent === '' ? 'outside.txt' : `${parent}/outside.txt`;
      if (!inStore(model, store.bucket, outside)) rows.push(['s3:GetObject', s3(`${store.bucket}/${outside}`), 'ImplicitlyDenied', 'above the state-store path']);
    }
    // Even a store that is a whole bucket grants nothing on the bucket beyond finding and listing it.
    rows.push(['s3:PutBucketPolicy', s3(store.bucket), 'ImplicitlyDenied', 'no bucket administration']);
    rows.push(['s3:DeleteBucket', s3(store.bucket), 'ImplicitlyDenied', 'no bucket administration']);
    const siblingBucket = `${store.bucket.slice(0, 50)}-sibling`;
    if (!buckets.has(siblingBucket)) {
      rows.push(['s3:GetObject', s3(`${siblingBucket}/${store.prefix === '' ? '' : `${store.prefix}/`}config`), 'ImplicitlyDenied', 'a sibling bucket']);
      rows.push(['s3:ListBucket', s3(siblingBucket), 'ImplicitlyDenied', 'a sibling bucket']);
    }
  }
  if (model.stateStores.length === 0) rows.push(['s3:GetObject', s3('any-bucket/config'), 'ImplicitlyDenied', 'no state store (memfs:// or none): no S3']);
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
    .filter(([action, resource, expected]) => expected === 'Allowed' && resource.startsWith(prefix) && SCOPED_SERVICES.includes(action.split(':')[0] ?? ''))
    .map(([action, resource]): MatrixRow => [action, `arn:aws:${resource.slice(prefix.length)}`, 'ImplicitlyDenied', `an ARN of partition aws cannot match a ${partition} policy`]);
}

/** A matrix row as a request. */
export function requestOf(row: MatrixRow): IamRequest {
  return { action: row[0], resource: row[1] };
}
