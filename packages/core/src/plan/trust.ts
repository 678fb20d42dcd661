import type { Partition } from '../cluster/partition';
import { condition } from '../strict/grants';
import type { PolicyDocument, Text } from '../policy/statement';

/**
 * The EC2 service principal of a partition: `ec2.` and the partition's DNS suffix, as kops
 * derives it from the region's EC2 endpoint (`ec2.amazonaws.com.cn` in China,
 * `ec2.c2s.ic.gov` in aws-iso).
 */
export function ec2ServicePrincipal(p: Partition): string {
  return `ec2.${p.dnsSuffix}`;
}

/** Instances may assume the role: kops' trust policy of every instance role. */
export function ec2TrustPolicy(p: Partition): PolicyDocument {
  return {
    statements: [
      {
        effect: 'Allow',
        principal: { kind: 'service', services: [ec2ServicePrincipal(p)] },
        action: { values: ['sts:AssumeRole'] },
        origin: { source: 'kops', rule: 'ec2-trust' },
      },
    ],
  };
}

/** What a service-account role's trust needs: the issuer, and whether the plan creates its OIDC provider. */
export interface WebIdentity {
  /** The issuer without `https://`, as IAM names the provider and its condition keys. */
  readonly issuerHost: string;
  readonly partition: string;
  readonly providerInPlan: boolean;
}

/**
 * A service account's pods may assume the role with their token (kops' formatAWSIAMStatement):
 * `StringEquals` on `<issuer>:sub`, `StringLike` when the namespace has a wildcard. The
 * provider is the plan's OIDC provider when there is one, else the account's provider
 * of that issuer (created outside kops-iam).
 */
export function webIdentityTrustPolicy(id: WebIdentity, namespace: string, name: string): PolicyDocument {
  const provider: Text = id.providerInPlan
    ? [{ kind: 'oidc-provider-arn' }]
    : [`arn:${id.partition}:iam::`, { kind: 'account-id' }, `:oidc-provider/${id.issuerHost}`];
  const operator = namespace.includes('*') ? 'StringLike' : 'StringEquals';
  return {
    statements: [
      {
        effect: 'Allow',
        principal: { kind: 'federated', provider },
        action: { values: ['sts:AssumeRoleWithWebIdentity'] },
        condition: [condition(operator, { [`${id.issuerHost}:sub`]: `system:serviceaccount:${namespace}:${name}` })],
        origin: { source: 'kops', rule: 'web-identity-trust' },
      },
    ],
  };
}
