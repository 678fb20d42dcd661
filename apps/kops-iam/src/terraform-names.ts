import { fnv1a32, planRefs, rolePlural, type IamPlan, type ManagedRole, type Ref, type RolePlan, type RoleSubject } from '@kops-iam/core';

/**
 * Every Terraform name kops-iam writes, in one place: resource labels, data sources,
 * variables, outputs, and how a plan's references are spelled. kops' own `kubernetes.tf`
 * is the model (upup/pkg/fi/cloudup/terraformWriter and awstasks), so that a stack of
 * kops-iam's can stand where kops' IAM stood.
 */

/**
 * kops' label for a name (terraformWriter sanitizeName): `prefix_` before a leading digit,
 * then `.` → `-`, `/` → `--`, `:` → `_`. `masters.a.example.com` → `masters-a-example-com`.
 */
export function label(name: string): string {
  const prefixed = /^[0-9]/.test(name) ? `prefix_${name}` : name;
  return prefixed.replace(/[./:]/g, (c) => (c === '.' ? '-' : c === '/' ? '--' : '_'));
}

/** kops' key of a role in outputs and attachment names: `master`, `node`, … or `<namespace>-<name>` lower-cased, `*` as `wildcard`. */
export function roleKey(subject: RoleSubject): string {
  if (subject.kind === 'instance') return subject.role;
  return `${subject.namespace}-${subject.name}`.toLowerCase().replace(/\*/g, 'wildcard');
}

/** The prefix of a role's outputs: `masters`, `nodes`, … or the service account's role key. */
export function outputPrefix(subject: RoleSubject): string {
  return subject.kind === 'instance' ? rolePlural(subject.role) : roleKey(subject);
}

/** Labels of a managed role's resources. */
export function roleLabel(role: ManagedRole): string {
  return label(role.roleName);
}

/** The label of an inline policy: its name's, as kops writes it (`additional-masters-…` for additional policies). */
export function policyLabel(policyName: string): string {
  return label(policyName);
}

/**
 * The label of a managed-policy attachment, as kops names it: `<role key>-policyoverride`
 * (externalPolicies of an instance role) or `external-<role name>` (a service account's
 * policyARNs), then `-` and the ARN's FNV-1a hash, so each ARN has a label of its own.
 */
export function attachmentLabel(role: ManagedRole, arn: string): string {
  const base = role.subject.kind === 'instance' ? `${roleKey(role.subject)}-policyoverride` : `external-${role.roleName}`;
  return label(`${base}-${fnv1a32(arn)}`);
}

/** The label of the cluster's OIDC provider: the cluster's name. */
export function oidcProviderLabel(plan: IamPlan): string {
  return label(plan.cluster);
}

/** The variable that holds the hosted zone ID when the spec has no `dnsZone`. */
export const HOSTED_ZONE_VARIABLE = 'hosted_zone_id';

/** The cluster's name as part of kops-iam's own labels (data sources): dots as hyphens. */
function clusterId(plan: IamPlan): string {
  return plan.cluster.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** The label of the hosted zone lookup by name. */
export function hostedZoneLookupLabel(plan: IamPlan): string {
  return `dns-${clusterId(plan)}`;
}

/** The label of the caller-identity lookup that gives the account ID. */
export const CALLER_IDENTITY_LABEL = 'current';

type KmsRef = Extract<Ref, { kind: 'kms-key-arn' }>;

/**
 * The labels of a plan's KMS key lookups: `etcd-<cluster>-<key id or alias>`. An alias ARN
 * (of another account, perhaps) and an alias name can share one: the later gets a hash of its text.
 */
function kmsLookupLabels(plan: IamPlan): Map<string, string> {
  const labels = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const ref of planRefs(plan)) {
    if (ref.kind !== 'kms-key-arn' || labels.has(ref.id)) continue;
    const short = ref.id.replace(/^arn:.*:alias\//, 'alias/');
    let name = `etcd-${clusterId(plan)}-${short
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .replace(/[/_]+/g, '-')
      .toLowerCase()}`;
    const owner = taken.get(name);
    if (owner !== undefined && owner !== ref.id) name = `${name}-${sha256Hex(ref.id).slice(0, 8)}`;
    taken.set(name, ref.id);
    labels.set(ref.id, name);
  }
  return labels;
}

/**
 * node:crypto is loaded only when two labels clash: a synth worker thread that loads it
 * takes 9 ms longer to reach its first part of the input (cdktf's own uses are deferred
 * in the bundle, scripts/lazy-builtins.mjs).
 */
function sha256Hex(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/** The label of a KMS key lookup of the plan. */
export function kmsLookupLabel(plan: IamPlan, ref: KmsRef): string {
  return kmsLookupLabels(plan).get(ref.id) ?? `etcd-${clusterId(plan)}`;
}

/** The Terraform type of a KMS lookup's data source, and the attribute holding the key's ARN. */
export function kmsLookupSource(key: { lookup: 'key' | 'alias' }): { type: string; attribute: string } {
  return key.lookup === 'key' ? { type: 'aws_kms_key', attribute: 'arn' } : { type: 'aws_kms_alias', attribute: 'target_key_arn' };
}

/** How Terraform spells a reference of the plan, e.g. `${data.aws_route53_zone.dns-a-example-com.zone_id}`. */
export function refExpression(plan: IamPlan): (ref: Ref) => string {
  return (ref) => {
    switch (ref.kind) {
      case 'hosted-zone-id':
        return plan.hostedZone.kind === 'lookup'
          ? `\${data.aws_route53_zone.${hostedZoneLookupLabel(plan)}.zone_id}`
          : `\${var.${HOSTED_ZONE_VARIABLE}}`;
      case 'kms-key-arn': {
        const source = kmsLookupSource(ref);
        return `\${data.${source.type}.${kmsLookupLabel(plan, ref)}.${source.attribute}}`;
      }
      case 'oidc-provider-arn':
        return `\${aws_iam_openid_connect_provider.${oidcProviderLabel(plan)}.arn}`;
      case 'account-id':
        return `\${data.aws_caller_identity.${CALLER_IDENTITY_LABEL}.account_id}`;
    }
  };
}

/**
 * An attribute of a resource of this stack as a Terraform expression, e.g.
 * `${aws_iam_role.nodes-a-example-com.name}`: what cdktf's reference tokens resolve to, as
 * plain text that synthesis need not resolve (labels never hold `$`, `{` or `}`).
 */
export function resourceAttribute(type: string, resourceLabel: string, attribute: string): string {
  return `\${${type}.${resourceLabel}.${attribute}}`;
}

/** Output names of a role: `<prefix>_role_arn` and `<prefix>_role_name`, as kops writes them. */
export function roleOutputNames(role: RolePlan): { arn: string; name: string; profileArn: string; profileName: string } {
  const prefix = label(outputPrefix(role.subject));
  return {
    arn: `${prefix}_role_arn`,
    name: `${prefix}_role_name`,
    profileArn: `${prefix}_instance_profile_arn`,
    profileName: `${prefix}_instance_profile_name`,
  };
}
