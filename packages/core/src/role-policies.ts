import type { ClusterModel } from './cluster-model';
import { arn, type Partition } from './partition';
import type { PolicyText, Statement, TerraformRef } from './policy';
import type { RoleKind } from './roles';
import type { StateStoreLocation } from './state-store';

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
export const ROUTE53_ZONE_ACTIONS = ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone'] as const;

/** How the policy refers to values Terraform resolves: the hosted zone ID and the KMS key ARNs. */
export interface PolicyRefs {
  /** The hosted zone ID as policy text (literal, or a reference), when the cluster has a zone. */
  readonly zoneId?: PolicyText;
  /** The ARN of each etcd KMS key, literal or referenced, in the model's order. */
  readonly kmsKeyArns: readonly PolicyText[];
}

/** The statements of a role's own policy (`R.<cluster>`), in the order kops writes them. */
export function roleStatements(role: RoleKind, model: ClusterModel, refs: PolicyRefs): Statement[] {
  const p = model.partition;
  if (role === 'bastion') {
    // IAM rejects an empty policy; DescribeRegions is harmless and is what kops grants.
    return [statement('BastionDescribeRegions', ['ec2:DescribeRegions'], ['*'], 'bastion')];
  }
  const out: Statement[] = [];
  if (role === 'master') {
    out.push(statement('MasterEC2', ['ec2:*'], ['*'], 'master'));
    out.push(statement('MasterELB', ['elasticloadbalancing:*'], ['*'], 'master'));
  } else {
    out.push(statement('NodeEC2Describe', ['ec2:Describe*'], ['*'], 'node'));
  }
  out.push(statement('ECRRead', [...ECR_READ_ACTIONS], ['*'], 'ecr'));
  out.push(...route53Statements(p, refs.zoneId));
  if (role === 'master' && refs.kmsKeyArns.length > 0) {
    out.push(statement('EtcdVolumeKMS', [...KMS_ACTIONS], refs.kmsKeyArns, 'kms'));
  }
  out.push(...stateStoreStatements(p, model.stateStores));
  return out;
}

function statement(sid: string, actions: string[], resources: readonly PolicyText[], origin: string): Statement {
  return { sid, effect: 'Allow', actions, resources, origin };
}

/** ListHostedZones on `*` always (it takes no resource); zone and change access only with a zone. */
function route53Statements(p: Partition, zoneId: PolicyText | undefined): Statement[] {
  const out = [statement('Route53ListHostedZones', ['route53:ListHostedZones'], ['*'], 'route53')];
  if (zoneId === undefined) return out;
  const zoneArn: PolicyText = [arn(p, 'route53', 'hostedzone/'), ...(typeof zoneId === 'string' ? [zoneId] : zoneId)];
  out.push(statement('Route53HostedZone', [...ROUTE53_ZONE_ACTIONS], [joinText(zoneArn)], 'route53'));
  out.push(statement('Route53GetChange', ['route53:GetChange'], [arn(p, 'route53', 'change/*')], 'route53'));
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
    statement('StateStore', ['s3:*'], [...new Set(objects)], 'state-store'),
    statement('StateStoreBuckets', ['s3:GetBucketLocation', 's3:ListBucket'], buckets, 'state-store'),
  ];
}

/** Merges adjacent literal parts, so a literal zone ID gives a plain string. */
function joinText(parts: readonly (string | TerraformRef)[]): PolicyText {
  const out: (string | TerraformRef)[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
}
