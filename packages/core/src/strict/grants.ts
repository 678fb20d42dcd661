import type { ConditionBlock, Matcher, PolicyDocument, Statement, Text } from '../policy/statement';

/**
 * What one feature adds to a role's policy, in the buckets kops' policy builder
 * (pkg/model/iam/iam_builder.go, `Policy`) collects: actions allowed on `*` without a
 * condition, on resources tagged with the cluster, or when creating resources that the
 * request tags with the cluster; EC2 create actions with their tagging rules; KMS through
 * AWS services; and statements of its own.
 */
export interface Grants {
  readonly unconditional?: readonly string[];
  readonly clusterTagged?: readonly string[];
  readonly clusterTaggedCreate?: readonly string[];
  /** kops' AddEC2CreateAction: `ec2:<action>` on the request-tagged bucket, and tagging rules on `<resource type>/*`. */
  readonly ec2Create?: { readonly actions: readonly string[]; readonly resourceTypes: readonly string[] };
  /** kops' addKMSIAMPolicies: grants for AWS resources, and data actions via EC2/S3 (`direct`: without that condition). */
  readonly kms?: 'via-service' | 'direct';
  readonly statements?: readonly Statement[];
}

/** A feature's grants with the feature's name, which becomes the statements' origin. */
export interface Contribution {
  readonly rule: string;
  readonly grants: Grants;
}

/** What composing needs to know of the cluster. */
export interface ComposeContext {
  readonly cluster: string;
  readonly partition: string;
  readonly region: string;
}

/** The data actions kops lets a role use on customer managed KMS keys. */
const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** Go's sort.Strings order (byte order), which kops' sets.List uses. */
function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function allow(action: Matcher<string>, resource: Matcher<Text>, rule: string, condition?: readonly ConditionBlock[]): Statement {
  return { effect: 'Allow', action, resource, ...(condition !== undefined ? { condition } : {}), origin: { source: 'kops', rule } };
}

/** A statement of a feature's own; its origin is set to the feature when the policy is composed. */
export function allowStatement(action: Matcher<string>, resource: Matcher<Text>, ...conditions: readonly ConditionBlock[]): Statement {
  return allow(action, resource, '', conditions.length > 0 ? conditions : undefined);
}

/** `StringEquals` (or another operator) of single string values, in the order given. */
export function condition(operator: string, entries: Readonly<Record<string, string | readonly string[]>>): ConditionBlock {
  return {
    operator,
    entries: Object.entries(entries).map(([key, v]) =>
      typeof v === 'string' ? { key, values: [v], list: false } : { key, values: [...v], list: true },
    ),
  };
}

/**
 * The statements AddEC2CreateAction adds: tagging on creation only with the cluster's
 * tag and only by these create actions, and re-tagging only of the cluster's resources
 * without touching the cluster tag.
 */
function ec2CreateStatements(ec2: NonNullable<Grants['ec2Create']>, ctx: ComposeContext, rule: string): Statement[] {
  const resources = { values: ec2.resourceTypes.map((t) => `arn:${ctx.partition}:ec2:*:*:${t}/*`), list: true };
  return [
    allow({ values: ['ec2:CreateTags'] }, resources, rule, [
      condition('StringEquals', { 'aws:RequestTag/KubernetesCluster': ctx.cluster, 'ec2:CreateAction': ec2.actions }),
    ]),
    allow({ values: ['ec2:CreateTags', 'ec2:DeleteTags'], list: true }, resources, rule, [
      condition('Null', { 'aws:RequestTag/KubernetesCluster': 'true' }),
      condition('StringEquals', { 'aws:ResourceTag/KubernetesCluster': ctx.cluster }),
    ]),
  ];
}

/** A bucket of actions and the features that put them there. */
class Bucket {
  readonly actions = new Set<string>();
  readonly rules = new Set<string>();
  add(actions: readonly string[] | undefined, rule: string): void {
    if (actions === undefined || actions.length === 0) return;
    for (const a of actions) this.actions.add(a);
    this.rules.add(rule);
  }
  get rule(): string {
    return [...this.rules].join(', ');
  }
}

/**
 * A role's policy from its features' grants, rendered in the order kops renders
 * (Policy.AsJSON): the features' own statements as they come, then the KMS grant rule,
 * KMS data actions through EC2 and S3, the unconditional actions, the cluster-tagged
 * ones, and the request-tagged create actions.
 * Empty when no feature grants anything: kops then writes no inline policy.
 */
export function composePolicy(contributions: readonly Contribution[], ctx: ComposeContext): PolicyDocument {
  const own: Statement[] = [];
  const unconditional = new Bucket();
  const tagged = new Bucket();
  const create = new Bucket();
  const kmsVia = new Bucket();
  const kmsGrant = new Bucket();
  // Two features may ask for the same EC2 create rule (the cloud controller and the load-balancer
  // controller both create security groups): its statements are written once.
  const ec2Rules = new Set<string>();
  for (const { rule, grants: g } of contributions) {
    own.push(...(g.statements ?? []).map((s) => ({ ...s, origin: { source: 'kops' as const, rule } })));
    const ec2Key = g.ec2Create === undefined ? '' : `${g.ec2Create.actions.join()}|${g.ec2Create.resourceTypes.join()}`;
    if (g.ec2Create !== undefined && !ec2Rules.has(ec2Key)) own.push(...ec2CreateStatements(g.ec2Create, ctx, rule));
    ec2Rules.add(ec2Key);
    create.add(
      g.ec2Create?.actions.map((a) => `ec2:${a}`),
      rule,
    );
    unconditional.add(g.unconditional, rule);
    tagged.add(g.clusterTagged, rule);
    create.add(g.clusterTaggedCreate, rule);
    if (g.kms !== undefined) {
      kmsGrant.add(['kms:CreateGrant'], rule);
      (g.kms === 'direct' ? unconditional : kmsVia).add(KMS_DATA_ACTIONS, rule);
    }
  }
  return { statements: [...own, ...bucketStatements({ unconditional, tagged, create, kmsVia, kmsGrant }, ctx)] };
}

function bucketStatements(
  b: Record<'unconditional' | 'tagged' | 'create' | 'kmsVia' | 'kmsGrant', Bucket>,
  ctx: ComposeContext,
): Statement[] {
  const out: Statement[] = [];
  const star = { values: ['*'] };
  if (b.kmsGrant.actions.size > 0)
    out.push(allow({ values: ['kms:CreateGrant'] }, star, b.kmsGrant.rule, [condition('Bool', { 'kms:GrantIsForAWSResource': 'true' })]));
  if (b.kmsVia.actions.size > 0) {
    const services = [`ec2.${ctx.region}.amazonaws.com`, 's3.*.amazonaws.com'];
    out.push(
      allow({ values: sorted(b.kmsVia.actions), list: true }, star, b.kmsVia.rule, [
        condition('StringLike', { 'kms:ViaService': services }),
      ]),
    );
  }
  if (b.unconditional.actions.size > 0)
    out.push(allow({ values: sorted(b.unconditional.actions), list: true }, star, b.unconditional.rule));
  const clusterTag = (key: string) => [condition('StringEquals', { [key]: ctx.cluster })];
  if (b.tagged.actions.size > 0)
    out.push(allow({ values: sorted(b.tagged.actions), list: true }, star, b.tagged.rule, clusterTag('aws:ResourceTag/KubernetesCluster')));
  if (b.create.actions.size > 0) {
    out.push(allow({ values: sorted(b.create.actions), list: true }, star, b.create.rule, clusterTag('aws:RequestTag/KubernetesCluster')));
    // Creating a security group also touches its VPC, which takes no request tags; VPCs need not be tagged.
    if (b.create.actions.has('ec2:CreateSecurityGroup')) {
      out.push(allow({ values: ['ec2:CreateSecurityGroup'] }, { values: [`arn:${ctx.partition}:ec2:*:*:vpc/*`] }, b.create.rule));
    }
  }
  return out;
}
