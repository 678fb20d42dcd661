import { allowedIf, everyTag, otherCluster, requestTagging, sampleResource, taggedWith, type Row, type World } from './matrix-row';
import type { RequestContext } from './simulate';
import type { Expectation, Kind } from './strict-grants';
import { everyKopsAction } from './strict-roles';

/**
 * The generic rows of the strict matrix: every action kops grants any role (and some it
 * grants none), asked of every role. An action the role has is asked with and without
 * what scopes it (the cluster tag on the resource, the cluster tag in the request, another
 * cluster's tag); an action it lacks is asked with every tag at once and must be denied.
 */

/** Actions kops' strict policies grant no role in any form (Karpenter's are scoped rows of their own). */
export const NEVER_GRANTED: readonly string[] = [
  'ec2:RunInstances',
  'ec2:TerminateInstances',
  'ec2:CreateFleet',
  'ec2:CreateLaunchTemplate',
  'ec2:DeleteLaunchTemplate',
  'ec2:CreateVpc',
  'ec2:DeleteVpc',
  'ec2:DeleteSubnet',
  'ec2:CreateImage',
  'iam:PassRole',
  'iam:CreateRole',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'autoscaling:DeleteAutoScalingGroup',
  'autoscaling:UpdateAutoScalingGroup',
  'sqs:SendMessage',
  'sqs:DeleteQueue',
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:DeleteRepository',
  'dynamodb:GetItem',
  'lambda:InvokeFunction',
  'secretsmanager:GetSecretValue',
  'ssm:PutParameter',
];

/** Actions with rows of their own: KMS (condition keys of KMS), tagging (per resource type), Karpenter's scoped launches. */
const OWN_ROWS = /^(kms:|ec2:CreateTags$|ec2:DeleteTags$)/;
export const KARPENTER_ACTIONS: readonly string[] = [
  'ec2:RunInstances',
  'ec2:CreateFleet',
  'ec2:CreateLaunchTemplate',
  'ec2:TerminateInstances',
  'ec2:DeleteLaunchTemplate',
  'iam:PassRole',
];

/** Whether kinds of grants allow a request with this context. */
function decide(kinds: ReadonlySet<Kind>, ctx: RequestContext, cluster: string): boolean {
  const tagged = ctx['aws:ResourceTag/KubernetesCluster'] === cluster;
  return (
    kinds.has('any') ||
    (kinds.has('tagged') && tagged) ||
    (kinds.has('create') && ctx['aws:RequestTag/KubernetesCluster'] === cluster) ||
    (kinds.has('etcd') && tagged && ctx['aws:ResourceTag/k8s.io/role/master'] === '1')
  );
}

/** The contexts worth asking for an action granted in these ways. */
function contextsFor(kinds: ReadonlySet<Kind>, cluster: string): { ctx: RequestContext; what: string }[] {
  const out = [{ ctx: {}, what: 'no tags' }];
  if (kinds.has('any')) return out;
  const master = { 'aws:ResourceTag/k8s.io/role/master': '1' };
  if (kinds.has('tagged') || kinds.has('etcd')) {
    out.push({ ctx: taggedWith(cluster), what: 'resource tagged with the cluster' });
    out.push({ ctx: otherCluster.tagged, what: "resource tagged with another cluster's name" });
  }
  if (kinds.has('etcd')) {
    out.push({ ctx: { ...taggedWith(cluster), ...master }, what: "the cluster's etcd volume (cluster and master tags)" });
    out.push({ ctx: { ...otherCluster.tagged, ...master }, what: "another cluster's etcd volume" });
  }
  if (kinds.has('create')) {
    out.push({ ctx: requestTagging(cluster), what: 'request tags the new resource with the cluster' });
    out.push({ ctx: otherCluster.requested, what: "request tags the new resource with another cluster's name" });
  }
  return out;
}

function describe(kinds: ReadonlySet<Kind>): string {
  return kinds.size === 0 ? 'not granted' : `granted ${[...kinds].join('+')}`;
}

/** The generic rows of one role. */
export async function actionRows(e: Expectation, w: World): Promise<Row[]> {
  const rows: Row[] = [];
  const universe = [...new Set([...everyKopsAction(), ...NEVER_GRANTED])].sort();
  for (const action of universe) {
    if (OWN_ROWS.test(action) || (e.karpenter !== undefined && KARPENTER_ACTIONS.includes(action))) continue;
    const resource = await sampleResource(w, action);
    const kinds = e.actions.get(action) ?? new Set<Kind>();
    if (kinds.size === 0) {
      rows.push({
        request: { action, resource, context: everyTag(w), lenient: true },
        expected: 'ImplicitlyDenied',
        why: 'not granted, whatever the tags',
      });
      continue;
    }
    for (const { ctx, what } of contextsFor(kinds, w.cluster)) {
      rows.push({
        request: { action, resource, context: ctx },
        expected: allowedIf(decide(kinds, ctx, w.cluster)),
        why: `${describe(kinds)}; ${what}`,
      });
    }
  }
  return rows;
}
