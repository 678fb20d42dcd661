import type { IamPlan, Ref } from '@kops-iam/core';
import { TerraformVariable, type TerraformElement } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { CALLER_IDENTITY_LABEL, HOSTED_ZONE_VARIABLE, hostedZoneLookupLabel, kmsLookupLabel, refExpression } from './terraform-names';
import { escapeLiteral as literal } from './terraform-template';

/** How the inputs get their Terraform addresses. */
export interface InputAddresses {
  /** Gives an element its address (type and label), which must be free in the stack. */
  readonly setAddress: (element: TerraformElement, type: string, label: string) => void;
  /** The stack's element at this address, made (and given it) by the first to ask: for what every cluster shares. */
  readonly shared: (type: string, label: string, make: () => TerraformElement) => TerraformElement;
}

/**
 * Declares what the plan's references need from Terraform (the hosted zone's lookup or
 * variable, KMS key lookups, the caller's identity) and returns how to spell each
 * reference. With `hostedZoneId` given, the zone is that value instead of a variable.
 */
export function declareInputs(
  scope: Construct,
  plan: IamPlan,
  refs: readonly Ref[],
  hostedZoneId: string | undefined,
  addresses: InputAddresses,
): (ref: Ref) => string {
  const { setAddress } = addresses;
  const spell = refExpression(plan);
  for (const ref of new Map(refs.map((r) => [JSON.stringify(r), r])).values()) {
    switch (ref.kind) {
      case 'hosted-zone-id':
        if (hostedZoneId === undefined) declareZone(scope, plan, setAddress);
        break;
      case 'kms-key-arn': {
        const id = kmsLookupLabel(plan, ref);
        const element =
          ref.lookup === 'key'
            ? new DataAwsKmsKey(scope, id, { keyId: literal(ref.id) })
            : new DataAwsKmsAlias(scope, id, { name: literal(ref.id) });
        setAddress(element, ref.lookup === 'key' ? 'data.aws_kms_key' : 'data.aws_kms_alias', id);
        break;
      }
      case 'account-id':
        // One account per stack (its provider's): every cluster of the stack reads the same identity.
        addresses.shared('data.aws_caller_identity', CALLER_IDENTITY_LABEL, () => new DataAwsCallerIdentity(scope, CALLER_IDENTITY_LABEL));
        break;
      case 'oidc-provider-arn':
        break; // the provider is one of the construct's own resources
    }
  }
  return (ref) => (ref.kind === 'hosted-zone-id' && hostedZoneId !== undefined ? hostedZoneId : spell(ref));
}

function declareZone(scope: Construct, plan: IamPlan, setAddress: InputAddresses['setAddress']): void {
  const zone = plan.hostedZone;
  if (zone.kind === 'lookup') {
    const id = hostedZoneLookupLabel(plan);
    setAddress(new DataAwsRoute53Zone(scope, id, { name: literal(zone.name), privateZone: zone.private }), 'data.aws_route53_zone', id);
    return;
  }
  const variable = new TerraformVariable(scope, HOSTED_ZONE_VARIABLE, {
    type: 'string',
    description: 'ID of the Route53 hosted zone of the cluster (Z…); the spec sets no dnsZone.',
    nullable: false,
    validation: [
      {
        condition: `\${can(regex("^Z[A-Z0-9]{1,32}$", var.${HOSTED_ZONE_VARIABLE}))}`,
        errorMessage: 'hosted_zone_id must be a Route53 hosted zone ID such as Z1D633PJN98FT9 (without /hostedzone/).',
      },
    ],
  });
  setAddress(variable, 'var', HOSTED_ZONE_VARIABLE);
}
