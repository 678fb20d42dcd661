import { allowedIf, everyTag, otherCluster, requestTagging, sampleArn, taggedWith, type Row, type World } from './matrix-row';
import type { RequestContext } from './simulate';
import type { Expectation, TagRule } from './strict-grants';
import { OTHER_CLUSTER, OTHER_KMS_KEY_ID, TEST_ACCOUNT } from './test-world';

/** The strict rows whose scope is not a simple tag on `*`: tagging per resource type, KMS, Karpenter's launches. */

const NODEPOOL = {
  request: { 'aws:RequestTag/karpenter.sh/nodepool': 'default' },
  resource: { 'aws:ResourceTag/karpenter.sh/nodepool': 'default' },
};

function ruleAllows(
  rule: TagRule,
  action: 'ec2:CreateTags' | 'ec2:DeleteTags',
  type: string,
  ctx: RequestContext,
  cluster: string,
): boolean {
  if (rule.types !== '*' && !rule.types.includes(type)) return false;
  if (rule.kind === 'any') return action === 'ec2:CreateTags';
  if (rule.kind === 'create') {
    const createAction = ctx['ec2:CreateAction'];
    const nodepool = !rule.nodepool || ctx['aws:RequestTag/karpenter.sh/nodepool'] !== undefined;
    return (
      action === 'ec2:CreateTags' &&
      ctx['aws:RequestTag/KubernetesCluster'] === cluster &&
      nodepool &&
      rule.createActions?.includes(String(createAction)) === true
    );
  }
  const nodepool = !rule.nodepool || ctx['aws:ResourceTag/karpenter.sh/nodepool'] !== undefined;
  return ctx['aws:RequestTag/KubernetesCluster'] === undefined && ctx['aws:ResourceTag/KubernetesCluster'] === cluster && nodepool;
}

/** Contexts that try each tagging rule: creating with the right and wrong action or cluster, re-tagging, moving to another cluster. */
function tagContexts(rules: readonly TagRule[], type: string, cluster: string): { ctx: RequestContext; what: string }[] {
  const creates = [
    ...new Set(rules.flatMap((r) => (r.kind === 'create' && (r.types === '*' || r.types.includes(type)) ? (r.createActions ?? []) : []))),
  ];
  const nodepool = rules.some((r) => r.nodepool === true);
  const out: { ctx: RequestContext; what: string }[] = [{ ctx: {}, what: 'no tags' }];
  for (const a of [...creates, 'CreateKeyPair']) {
    out.push({ ctx: { ...requestTagging(cluster), 'ec2:CreateAction': a }, what: `tagging what ${a} creates for the cluster` });
    if (nodepool)
      out.push({ ctx: { ...requestTagging(cluster), ...NODEPOOL.request, 'ec2:CreateAction': a }, what: `${a} for a Karpenter node pool` });
  }
  out.push({
    ctx: { ...otherCluster.requested, 'ec2:CreateAction': creates[0] ?? 'CreateVolume' },
    what: 'tagging a new resource for another cluster',
  });
  out.push({ ctx: taggedWith(cluster), what: "re-tagging the cluster's resource" });
  if (nodepool) out.push({ ctx: { ...taggedWith(cluster), ...NODEPOOL.resource }, what: "re-tagging a Karpenter node's resource" });
  out.push({ ctx: otherCluster.tagged, what: "re-tagging another cluster's resource" });
  out.push({
    ctx: { ...taggedWith(cluster), 'aws:RequestTag/KubernetesCluster': OTHER_CLUSTER },
    what: "moving the cluster's resource to another cluster",
  });
  return out;
}

/** ec2:CreateTags and ec2:DeleteTags on each resource type a rule names (or a security group when none does). */
export async function tagRows(e: Expectation, w: World): Promise<Row[]> {
  const named = e.tagRules.flatMap((r) => (r.types === '*' ? ['security-group', 'volume', 'network-interface'] : r.types));
  const types = [...new Set(named)].filter((t) => !['fleet', 'spot-instances-request'].includes(t));
  if (types.length === 0) {
    const resource = await sampleArn(w, 'ec2', 'security-group');
    const context = { ...everyTag(w), 'ec2:CreateAction': 'CreateSecurityGroup' };
    return ['ec2:CreateTags', 'ec2:DeleteTags'].map((action) => ({
      request: { action, resource, context, lenient: true },
      expected: 'ImplicitlyDenied',
      why: 'no tagging rule',
    }));
  }
  const rows: Row[] = [];
  for (const type of types.sort()) {
    const resource = await sampleArn(w, 'ec2', type);
    for (const action of ['ec2:CreateTags', 'ec2:DeleteTags'] as const) {
      for (const { ctx, what } of tagContexts(e.tagRules, type, w.cluster)) {
        if (action === 'ec2:DeleteTags' && ctx['ec2:CreateAction'] !== undefined) continue;
        const allowed = e.tagRules.some((r) => ruleAllows(r, action, type, ctx, w.cluster));
        rows.push({ request: { action, resource, context: ctx }, expected: allowedIf(allowed), why: `tagging a ${type}: ${what}` });
      }
    }
  }
  return rows;
}

const KMS_DATA = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:DescribeKey',
];

/**
 * KMS: kops grants its data actions on any key, but only when EC2 of the cluster's region or
 * S3 calls KMS for the role (or directly, for a kms-plugin with encryptionConfig), and
 * CreateGrant only for grants AWS services make; key administration never.
 */
export function kmsRows(e: Expectation, w: World, keys: readonly string[]): Row[] {
  const anyKind = (a: string) => e.actions.get(a)?.has('any') === true;
  const via = (service: string): RequestContext => ({ 'kms:ViaService': service });
  const contexts: { ctx: RequestContext; what: string; viaKops: boolean }[] = [
    { ctx: via(`ec2.${w.region}.amazonaws.com`), what: "through EC2 of the cluster's region", viaKops: true },
    { ctx: via('s3.eu-west-3.amazonaws.com'), what: 'through S3 of any region', viaKops: true },
    { ctx: via('ec2.ap-south-2.amazonaws.com'), what: 'through EC2 of another region', viaKops: false },
    { ctx: via(`lambda.${w.region}.amazonaws.com`), what: 'through Lambda', viaKops: false },
    { ctx: {}, what: 'directly', viaKops: false },
  ];
  const rows: Row[] = [];
  const other = `arn:${w.partition}:kms:${w.region}:${TEST_ACCOUNT}:key/${OTHER_KMS_KEY_ID}`;
  for (const key of [...new Set([...keys, other])]) {
    for (const action of KMS_DATA) {
      for (const { ctx, what, viaKops } of contexts) {
        const allowed = anyKind(action) || (e.kms !== undefined && (e.kms.direct || viaKops));
        rows.push({ request: { action, resource: key, context: ctx }, expected: allowedIf(allowed), why: `KMS data action ${what}` });
      }
    }
    for (const grant of ['true', 'false']) {
      const allowed = anyKind('kms:CreateGrant') || (e.kms !== undefined && grant === 'true');
      const context = { 'kms:GrantIsForAWSResource': grant, 'kms:ViaService': `ec2.${w.region}.amazonaws.com` };
      rows.push({
        request: { action: 'kms:CreateGrant', resource: key, context },
        expected: allowedIf(allowed),
        why: `CreateGrant, GrantIsForAWSResource=${grant}`,
      });
    }
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey']) {
      const context = { 'kms:ViaService': `ec2.${w.region}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' };
      rows.push({
        request: { action, resource: key, context, lenient: true },
        expected: 'ImplicitlyDenied',
        why: 'use keys, never manage them',
      });
    }
  }
  return rows;
}

/** ec2:CreateSecurityGroup in a VPC (kops lets the security group, not the VPC, carry the tag) and ec2:CreateVolume from a snapshot. */
export async function createInRows(e: Expectation, w: World): Promise<Row[]> {
  const vpc = await sampleArn(w, 'ec2', 'vpc');
  const snapshot = await sampleArn(w, 'ec2', 'snapshot');
  return [
    {
      request: { action: 'ec2:CreateSecurityGroup', resource: vpc },
      expected: allowedIf(e.vpcSecurityGroup === true),
      why: 'a security group in any VPC',
    },
    {
      request: { action: 'ec2:CreateVolume', resource: snapshot, context: taggedWith(w.cluster) },
      expected: allowedIf(e.snapshotVolume === true),
      why: "a volume from the cluster's snapshot",
    },
    {
      request: { action: 'ec2:CreateVolume', resource: snapshot, context: otherCluster.tagged },
      expected: 'ImplicitlyDenied',
      why: "another cluster's snapshot",
    },
  ];
}
