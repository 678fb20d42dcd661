import type { IamPlan, Ref } from '@kops-iam/core';
import { escapeLiteral as literal } from './terraform-template';

/**
 * The import IDs of the resources kops-iam writes, as the AWS provider documents them
 * (the "Import" section of each resource's page). `import` blocks name them when a stack
 * adopts the IAM that kops already created (SPEC §11), so that `terraform apply` takes
 * over the existing roles instead of failing on names that exist. Manifest text is
 * escaped as everywhere else (terraform-template.ts).
 */

/** `aws_iam_role`: the role's name. */
export function roleImportId(roleName: string): string {
  return literal(roleName);
}

/** `aws_iam_role_policy`: `<role name>:<policy name>`. */
export function rolePolicyImportId(roleName: string, policyName: string): string {
  return literal(`${roleName}:${policyName}`);
}

/** `aws_iam_instance_profile`: the profile's name. */
export function instanceProfileImportId(profileName: string): string {
  return literal(profileName);
}

/** `aws_iam_role_policy_attachment`: `<role name>/<policy ARN>`. */
export function attachmentImportId(roleName: string, policyArn: string): string {
  return literal(`${roleName}/${policyArn}`);
}

/**
 * `aws_iam_openid_connect_provider`: its ARN, `arn:<partition>:iam::<account>:oidc-provider/<issuer>`
 * (the issuer without `https://`, as IAM names the provider). The account is the caller's
 * (`data.aws_caller_identity`), which Terraform reads while planning: an import ID may be any
 * expression known at plan time (Terraform ≥ 1.6).
 */
export function oidcProviderImportId(plan: IamPlan): (string | Ref)[] {
  return [`arn:${plan.partition.name}:iam::`, { kind: 'account-id' }, `:oidc-provider/${plan.issuer ?? ''}`];
}

/** The references the import IDs of a plan hold: the account, when there is an OIDC provider to import. */
export function importRefs(plan: IamPlan): Ref[] {
  return plan.oidcProvider === undefined ? [] : [{ kind: 'account-id' }];
}
