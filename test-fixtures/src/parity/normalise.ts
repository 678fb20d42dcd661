/**
 * The normalisations of the parity comparison, applied to both sides before any value is
 * compared (the rules of the shared kops-reference README): what differs between kops' test
 * world and kops-iam's output without changing what a policy grants.
 */

/** What normalising a value needs to know about the case being compared. */
export interface NormContext {
  /** OIDC issuer hosts (without `https://`) seen on either side, longest first. */
  readonly issuers: readonly string[];
  /** kops-iam's stack `region` output: what a Terraform region expression resolves to. */
  readonly region: string | undefined;
  /** Role name (either side) → role kind, so a role ARN reads as "the ARN of the role of kind X". */
  readonly roleKeyByName: ReadonlyMap<string, string>;
  /** kops-iam's Terraform label → role kind, for `${aws_iam_role.<label>.arn}`. */
  readonly roleKeyByRes?: ReadonlyMap<string, string>;
}

/** Which side a string comes from: only kops-iam's are Terraform strings with `${…}` expressions. */
export type Side = 'kops' | 'kops-iam';

const REGION_EXPRESSION = /^(?:data\.)?aws_region\.[^.]+\.(?:name|region|id)$|^var\.region$/;

/** What a Terraform expression inside a kops-iam string stands for. */
export function expressionValue(expression: string, ctx: NormContext): string {
  const role = /^aws_iam_role\.([^.]+)\.arn$/.exec(expression);
  if (role !== null) return `ROLE_ARN(${ctx.roleKeyByRes?.get(role[1]!) ?? role[1]})`;
  if (/openid_connect_provider\.[^.]+\.arn/.test(expression)) return 'OIDC_PROVIDER_ARN';
  if (/openid_connect_provider|issuer/.test(expression)) return 'OIDC_ISSUER';
  if (/\.partition$/.test(expression)) return 'aws';
  if (/\.dns_suffix$/.test(expression)) return 'amazonaws.com';
  if (/\.account_id$/.test(expression)) return 'ACCOUNT';
  if (/zone_id$|hosted_zone/.test(expression)) return 'ZONE';
  if (REGION_EXPRESSION.test(expression)) return ctx.region ?? 'REGION';
  return '${TF}';
}

/** `$${` is Terraform's escape for a literal `${` (an IAM policy variable); other `${…}` are expressions. */
function resolveTerraform(text: string, ctx: NormContext): string {
  const ESCAPED = '\u0000';
  return text
    .split('$${')
    .join(ESCAPED)
    .replace(/\$\{([^}]*)\}/g, (_, expression: string) => expressionValue(expression.trim(), ctx))
    .split(ESCAPED)
    .join('${');
}

/** One string value (ARN, condition key or value, principal) in the form both sides are compared in. */
export function normalise(value: string, ctx: NormContext, side: Side): string {
  let t = side === 'kops-iam' ? resolveTerraform(value, ctx) : value;
  // Partitions: kops' tests use the made-up `aws-test`.
  t = t.replace(/\barn:aws(?:-[a-z0-9]+)*:/g, 'arn:P:');
  // The account of an ARN: 12 digits (kops' tests also use 13).
  t = t.replace(/^(arn:P:[a-z0-9-]*:[a-z0-9-]*:)\d{12,13}(?=:)/, '$1ACCOUNT');
  t = t.replace(/hostedzone\/[A-Za-z0-9]+/g, 'hostedzone/ZONE');
  // kops' harness serves memfs:// from two buckets; kops-iam is given s3://placeholder-bucket/.
  t = t.replace(/placeholder-(?:read|write)-bucket/g, 'placeholder-bucket');
  if (/^arn:P:iam::(?:ACCOUNT|\*)?:oidc-provider\//.test(t)) return 'OIDC_PROVIDER_ARN';
  const role = /^arn:P:iam::(?:ACCOUNT|\*|):role\/(?:.*\/)?([^/]+)$/.exec(t);
  const roleKey = role === null ? undefined : ctx.roleKeyByName.get(role[1]!);
  if (roleKey !== undefined) return `ROLE_ARN(${roleKey})`;
  for (const issuer of ctx.issuers) if (issuer !== '' && t.includes(issuer)) t = t.split(issuer).join('OIDC_ISSUER');
  return t;
}
