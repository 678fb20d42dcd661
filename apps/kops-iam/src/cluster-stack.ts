import type { IamPlan, OutputValue } from '@kops-iam/core';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KopsIamRoles, type KopsIamRole } from './kops-iam-roles';

/** The provider requirement written into every stack: registry-qualified, so OpenTofu resolves it too. */
export const AWS_PROVIDER_REQUIREMENT = { source: 'hashicorp/aws', version: '>= 5.0, < 7.0' } as const;

/**
 * One cluster's stack: the AWS provider for the cluster's region, the cluster's IAM and
 * its outputs. Its Terraform JSON holds no cdktf metadata and no backend, so the same
 * input gives the same bytes on any machine.
 */
export class ClusterStack extends TerraformStack {
  /** The cluster's IAM construct. */
  readonly iam: KopsIamRoles;

  constructor(scope: Construct, id: string, plan: IamPlan) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: plan.region });
    this.addOverride('terraform.required_providers.aws', AWS_PROVIDER_REQUIREMENT);
    this.iam = new KopsIamRoles(this, 'iam', { plan });
    for (const output of plan.outputs) {
      const o = new TerraformOutput(this, output.name, { value: outputValue(output.value, this.iam.roles) });
      o.overrideLogicalId(output.name);
    }
  }

  /** cdktf's JSON without its `//` metadata and the local backend it adds with an absolute path. */
  override toTerraform(): Record<string, unknown> {
    const json = stripMetadata(super.toTerraform()) as Record<string, unknown>;
    const terraform = json.terraform as Record<string, unknown> | undefined;
    if (terraform !== undefined) delete terraform.backend;
    return json;
  }
}

function outputValue(value: OutputValue, roles: ReadonlyMap<string, KopsIamRole>): string {
  if (value.kind === 'literal') return value.value;
  const role = roles.get(value.role);
  if (role === undefined) throw new Error(`kops-iam: output refers to role ${value.role}, which the plan does not have`);
  return value.kind === 'role-arn' ? role.roleArn : role.roleName;
}

/** Removes every `//` key (cdktf's metadata comments), recursively. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== '//') out[k] = stripMetadata(v);
  return out;
}
