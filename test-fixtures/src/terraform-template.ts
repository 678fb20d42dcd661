import { testKmsKeyArn, testZoneIdForName, TEST_ZONE_VARIABLE_VALUE } from './test-world';

/** The parts of a synthesized stack the policy references point into. */
export interface StackJson {
  readonly provider?: { readonly aws?: readonly { readonly region?: string }[] };
  readonly variable?: Record<string, unknown>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/**
 * Evaluates a Terraform template string (a policy in `cdk.tf.json`) the way Terraform
 * would in the test world: `$${` and `%%{` unescape, `${var.hosted_zone_id}` and the
 * zone/KMS data sources resolve to test values computed from the data source's own
 * arguments (its zone name, key id or alias). Any other interpolation is an error.
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
  const m = /^data\.(aws_route53_zone|aws_kms_key|aws_kms_alias)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expr);
  if (m === null) throw new Error(`unexpected Terraform expression \${${expr}} in a policy`);
  const [, type = '', name = '', attribute] = m;
  const source = stack.data?.[type]?.[name];
  if (source === undefined) throw new Error(`policy uses data.${type}.${name}, which the stack does not declare`);
  if (type === 'aws_route53_zone' && attribute === 'zone_id') return testZoneIdForName(String(source.name), source.private_zone === true);
  if (type === 'aws_kms_key' && attribute === 'arn') return testKmsKeyArn(partition, region, String(source.key_id));
  if (type === 'aws_kms_alias' && attribute === 'target_key_arn') return testKmsKeyArn(partition, region, String(source.name));
  throw new Error(`unexpected attribute in \${${expr}}`);
}
