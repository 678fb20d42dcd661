import type { IamPlan } from '../plan/plan';
import type { Ref } from '../policy/statement';

/** What a reference stands for, for people. */
export function describeRef(plan: IamPlan, ref: Ref): string {
  switch (ref.kind) {
    case 'hosted-zone-id': {
      const zone = plan.hostedZone;
      return zone.kind === 'lookup'
        ? `the ID of the ${zone.private ? 'private' : 'public'} hosted zone named ${zone.name}, looked up by Terraform`
        : "Terraform variable: the ID of the cluster's hosted zone (the spec sets no dnsZone)";
    }
    case 'kms-key-arn':
      return ref.lookup === 'key'
        ? `the ARN of KMS key ${ref.id}, looked up by Terraform`
        : `the ARN of the KMS key behind ${ref.id}, looked up by Terraform`;
    case 'oidc-provider-arn':
      return `the ARN of the cluster's IAM OIDC provider (${plan.issuer ?? 'its issuer'}), created with the roles`;
    case 'account-id':
      return 'the ID of the AWS account Terraform runs in (its OIDC provider is created outside kops-iam)';
  }
}
