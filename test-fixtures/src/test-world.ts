import { createHash } from 'node:crypto';

/**
 * The pretend AWS account the IAM tests run in: the values Terraform would look up
 * (hosted zone IDs, KMS key ARNs) are made up here, deterministically from what is
 * looked up, so the simulation side and the expectation side agree without either
 * reading kops-iam's own rendering of them.
 */

/** The account every test ARN lives in. */
export const TEST_ACCOUNT = '123456789012';

/** The value the tests give `var.hosted_zone_id` (it passes the variable's validation). */
export const TEST_ZONE_VARIABLE_VALUE = 'ZVARIABLETEST0001';

/** A hosted zone no cluster uses: access to it must be denied. */
export const OTHER_ZONE_ID = 'ZOTHERZONE0000001';

/** A KMS key no cluster uses: access to it must be denied. */
export const OTHER_KMS_KEY_ID = '0ddba11f-0000-4000-8000-00000000beef';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The zone ID `data.aws_route53_zone` returns for a zone name in the test world. */
export function testZoneIdForName(name: string, isPrivate: boolean): string {
  return `ZLOOKUP${digest(`${isPrivate ? 'private' : 'public'}:${name.replace(/\.$/, '').toLowerCase()}`).slice(0, 12).toUpperCase()}`;
}

/** The key ARN `data.aws_kms_key` / `data.aws_kms_alias` resolve a key id, alias or alias ARN to. */
export function testKmsKeyArn(partition: string, region: string, lookedUp: string): string {
  const h = digest(lookedUp);
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:${partition}:kms:${region}:${TEST_ACCOUNT}:key/${id}`;
}
