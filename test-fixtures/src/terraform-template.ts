import { TEST_ACCOUNT, testKmsKeyArn, testOidcProviderArn, testZoneIdForName, TEST_ZONE_VARIABLE_VALUE } from './test-world';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** The parts of a synthesized stack the policy references point into. */
export interface StackJson {
  readonly provider?: { readonly aws?: readonly { readonly region?: string }[] };
  readonly variable?: Record<string, unknown>;
  readonly data?: Blocks;
  readonly resource?: Blocks;
  readonly import?: readonly unknown[];
}

/**
 * Evaluates a Terraform template string (a policy in `cdk.tf.json`) the way Terraform
 * would in the test world: `$${` and `%%{` unescape; `${var.hosted_zone_id}`, the zone,
 * KMS and caller-identity data sources and the stack's OIDC provider resolve to test
 * values computed from their own arguments (zone name, key id or alias, issuer URL). Any
 * other interpolation, or a reference to something the stack does not declare, is an error.
 */
export function evaluateTemplate(text: string, stack: StackJson, partition: string): string {
  const region = stack.provider?.aws?.[0]?.region ?? '';
  return text.replace(/\$\$\{|%%\{|\$\{([^}]*)\}|%\{([^}]*)\}/g, (m, expr: string | undefined, directive: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (directive !== undefined) throw new Error(`unexpected template directive %{${directive}} in a policy`);
    return resolveExpression(expr ?? '', stack, partition, region);
  });
}

function resolveExpression(expr: string, stack: StackJson, partition: string, region: string): string {
  if (expr === 'var.hosted_zone_id') {
    if (stack.variable?.hosted_zone_id === undefined) throw new Error('policy uses var.hosted_zone_id, which the stack does not declare');
    return TEST_ZONE_VARIABLE_VALUE;
  }
  const oidc = /^aws_iam_openid_connect_provider\.([A-Za-z0-9_-]+)\.arn$/.exec(expr);
  if (oidc !== null) {
    const provider = stack.resource?.aws_iam_openid_connect_provider?.[oidc[1] ?? ''];
    if (provider === undefined) throw new Error(`policy uses ${expr}, which the stack does not declare`);
    return testOidcProviderArn(partition, String(provider.url));
  }
  const m = /^data\.(aws_route53_zone|aws_kms_key|aws_kms_alias|aws_caller_identity)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expr);
  if (m === null) throw new Error(`unexpected Terraform expression \${${expr}} in a policy`);
  const [, type = '', name = '', attribute] = m;
  const source = stack.data?.[type]?.[name];
  if (source === undefined) throw new Error(`policy uses data.${type}.${name}, which the stack does not declare`);
  if (type === 'aws_route53_zone' && attribute === 'zone_id') return testZoneIdForName(String(source.name), source.private_zone === true);
  if (type === 'aws_kms_key' && attribute === 'arn') return testKmsKeyArn(partition, region, String(source.key_id));
  if (type === 'aws_kms_alias' && attribute === 'target_key_arn') return testKmsKeyArn(partition, region, String(source.name));
  if (type === 'aws_caller_identity' && attribute === 'account_id') return TEST_ACCOUNT;
  throw new Error(`unexpected attribute in \${${expr}}`);
}
