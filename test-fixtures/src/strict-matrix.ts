import { everyTag, sampleResource, type Row, type World } from './matrix-row';
import type { Expectation } from './strict-grants';
import { actionRows } from './strict-rows';
import { s3Rows, type StateLocations } from './strict-s3';
import { karpenterRows, route53Rows } from './strict-scoped';
import { createInRows, kmsRows, tagRows } from './strict-special';

/**
 * The strict matrix of one role: what kops lets it do, asked with the request context that
 * scopes each grant (resource and request tags, kms:ViaService, kms:GrantIsForAWSResource,
 * iam:PassedToService, ec2:CreateAction, Route53's record names and types), and what it
 * must not do even with every tag offered.
 */

/** What the rows of a cluster's roles need to know about the cluster. */
export interface StrictContext {
  readonly world: World;
  readonly locations: StateLocations;
  /** The ARNs of the cluster's etcd keys in the test world. */
  readonly kmsKeys: readonly string[];
  /** The node role's name (Karpenter passes it to EC2). */
  readonly nodeRole: string;
  /** EC2's service principal in the cluster's partition. */
  readonly ec2Principal: string;
}

/** A few requests no kops grant reaches: the rows of a service account the spec lists (its inline policy is the user's). */
async function nothingElse(w: World, ctx: StrictContext): Promise<Row[]> {
  const actions = [
    'ec2:DescribeInstances',
    'ec2:TerminateInstances',
    'iam:PassRole',
    'autoscaling:SetDesiredCapacity',
    'route53:ListHostedZones',
  ];
  const rows: Row[] = [];
  for (const action of actions) {
    const resource = await sampleResource(w, action);
    rows.push({
      request: { action, resource, context: everyTag(w), lenient: true },
      expected: 'ImplicitlyDenied',
      why: 'kops grants a listed service account nothing',
    });
  }
  const store = ctx.locations.reads[0];
  if (store !== undefined) {
    const resource = `arn:${w.partition}:s3:::${store.bucket}/${store.prefix === '' ? '' : `${store.prefix}/`}config`;
    rows.push({
      request: { action: 's3:GetObject', resource },
      expected: 'ImplicitlyDenied',
      why: 'kops grants a listed service account nothing',
    });
  }
  return rows;
}

/**
 * Outside the `aws` partition, the allowed S3 and Route53 requests written with `arn:aws:`
 * must not match: kops names those resources with the cluster's partition.
 */
function partitionTwins(rows: readonly Row[], partition: string): Row[] {
  if (partition === 'aws') return [];
  const prefix = `arn:${partition}:`;
  return (
    rows
      // route53:ListTagsForResource is granted on `*`.
      .filter(
        (r) =>
          r.expected === 'Allowed' &&
          r.request.resource.startsWith(prefix) &&
          /^(s3|route53):(?!ListTagsForResource$)/.test(r.request.action),
      )
      .map((r) => ({
        request: { ...r.request, resource: `arn:aws:${r.request.resource.slice(prefix.length)}` },
        expected: 'ImplicitlyDenied',
        why: `an ARN of partition aws cannot match a ${partition} policy`,
      }))
  );
}

/** The strict rows of a role; `brief` for service accounts the spec lists, which kops grants nothing of its own. */
export async function strictRows(e: Expectation, ctx: StrictContext, brief = false): Promise<Row[]> {
  const w = ctx.world;
  if (brief) return nothingElse(w, ctx);
  const rows = [
    ...(await actionRows(e, w)),
    ...(await tagRows(e, w)),
    ...kmsRows(e, w, ctx.kmsKeys),
    ...(await createInRows(e, w)),
    ...route53Rows(e, w),
    ...s3Rows(e, w, ctx.locations),
    ...(await karpenterRows(e, w, ctx.nodeRole, ctx.ec2Principal)),
  ];
  return [...rows, ...partitionTwins(rows, w.partition)];
}
