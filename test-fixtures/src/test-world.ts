import { createHash } from 'node:crypto';

/**
 * The pretend AWS account the IAM tests run in: the values Terraform would look up
 * (hosted zone IDs, KMS key ARNs, the account ID, the OIDC provider's ARN) and the content
 * of managed policies named only by ARN (permissions boundaries) are made up here,
 * deterministically from what is looked up, so the simulation side and the expectation
 * side agree without either reading kops-iam's own rendering of them.
 */

/** The account every test ARN lives in; `data.aws_caller_identity.current.account_id`. */
export const TEST_ACCOUNT = '123456789012';

/** The value the tests give `var.hosted_zone_id` (it passes the variable's validation). */
export const TEST_ZONE_VARIABLE_VALUE = 'ZVARIABLETEST0001';

/** A hosted zone no cluster uses: access to it must be denied. */
export const OTHER_ZONE_ID = 'ZOTHERZONE0000001';

/** A KMS key no cluster uses: access to it must be denied (legacy) or allowed only through AWS services (strict). */
export const OTHER_KMS_KEY_ID = '0ddba11f-0000-4000-8000-00000000beef';

/** A cluster name no test cluster has: resources tagged with it belong to someone else. */
export const OTHER_CLUSTER = 'someone-else.example.org';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The zone ID `data.aws_route53_zone` returns for a zone name in the test world. */
export function testZoneIdForName(name: string, isPrivate: boolean): string {
  return `ZLOOKUP${digest(`${isPrivate ? 'private' : 'public'}:${name.replace(/\.$/, '').toLowerCase()}`)
    .slice(0, 12)
    .toUpperCase()}`;
}

/** The key ARN `data.aws_kms_key` / `data.aws_kms_alias` resolve a key id, alias or alias ARN to. */
export function testKmsKeyArn(partition: string, region: string, lookedUp: string): string {
  const h = digest(lookedUp);
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:${partition}:kms:${region}:${TEST_ACCOUNT}:key/${id}`;
}

/** The ARN IAM gives the OIDC provider of an issuer URL (`https://host/path`) in the test account. */
export function testOidcProviderArn(partition: string, issuerUrl: string): string {
  return `arn:${partition}:iam::${TEST_ACCOUNT}:oidc-provider/${issuerUrl.replace(/^https:\/\//, '')}`;
}

/**
 * What every permissions boundary of the test world allows, whatever its ARN: the services
 * kops' own policies use, so that a boundary never hides a kops grant, and nothing else, so
 * that an additional policy's grant outside them (DynamoDB, OpenSearch, Lambda, …) is capped.
 */
export const TEST_BOUNDARY_ACTIONS: readonly string[] = [
  'acm:*',
  'autoscaling:*',
  'cognito-idp:*',
  'ec2:*',
  'ecr:*',
  'elasticloadbalancing:*',
  'iam:CreateServiceLinkedRole',
  'iam:GetInstanceProfile',
  'iam:ListInstanceProfiles',
  'iam:PassRole',
  'kms:*',
  'pricing:*',
  'route53:*',
  's3:*',
  'shield:*',
  'sqs:*',
  'ssm:GetParameter',
  'waf-regional:*',
  'wafv2:*',
];

/** The managed policy a permissions boundary ARN holds in the test world. */
export function testBoundaryPolicy(arn: string): { name: string; policy: unknown } {
  return {
    name: `boundary ${arn}`,
    policy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'TestWorldBoundary', Effect: 'Allow', Action: TEST_BOUNDARY_ACTIONS, Resource: '*' }],
    },
  };
}
