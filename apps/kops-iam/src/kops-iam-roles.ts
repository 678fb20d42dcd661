import {
  HOSTED_ZONE_VARIABLE,
  renderPolicy,
  type IamPlan,
  type PlanInput,
  type RoleKind,
  type RolePlan,
  type TerraformRef,
} from '@kops-iam/core';
import { TerraformStack, TerraformVariable, type TerraformElement } from 'cdktf';
import { Construct } from 'constructs';
// One class per module: the provider package's root loads every AWS resource (seconds, hundreds of MiB).
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

/**
 * The Terraform addresses each stack's KopsIamRoles have taken. Logical ids are fixed
 * (kops' names), and cdktf would silently let a second element with the same id replace
 * the first in the JSON: two clusters without dnsZone would then share one
 * `hosted_zone_id` variable and be scoped to the same zone.
 */
const takenAddresses = new WeakMap<TerraformStack, Set<string>>();

/** Settings of {@link KopsIamRoles}. */
export interface KopsIamRolesProps {
  /** The cluster's IAM plan, from `loadPlans` in @kops-iam/core. */
  readonly plan: IamPlan;
  /**
   * The hosted zone ID to use when the spec has no `dnsZone`. Without it the construct
   * declares the Terraform variable `hosted_zone_id`, which a stack may hold only once.
   */
  readonly hostedZoneId?: string;
}

/** What a role of the cluster exposes to the rest of a stack. */
export interface KopsIamRole {
  /** The role's ARN: a reference to the created role, or the existing role's ARN. */
  readonly roleArn: string;
  /** The role's name (a reference for created roles). */
  readonly roleName: string;
  /** The instance profile's name, for launch templates. */
  readonly instanceProfileName: string;
  /** The instance profile's ARN. */
  readonly instanceProfileArn: string;
}

/**
 * A kops cluster's IAM as cdktf resources: per role in use an IAM role, its inline
 * policies and an instance profile, with kops' names and Terraform addresses.
 */
export class KopsIamRoles extends Construct {
  /** The roles by kind, for wiring launch templates and outputs. */
  readonly roles: ReadonlyMap<RoleKind, KopsIamRole>;

  constructor(scope: Construct, id: string, props: KopsIamRolesProps) {
    super(scope, id);
    const { plan } = props;
    const refs = new Map<string, (attribute: string) => string>();
    for (const input of plan.inputs) refs.set(input.id, this.declareInput(input, props.hostedZoneId));
    const resolve = (ref: TerraformRef): string => {
      const get = refs.get(ref.input);
      if (get === undefined) throw new Error(`kops-iam: the plan refers to an input it does not declare: ${ref.input}`);
      return get(ref.attribute);
    };
    const roles = new Map<RoleKind, KopsIamRole>();
    for (const role of plan.roles) roles.set(role.role, this.declareRole(plan, role, resolve));
    this.roles = roles;
  }

  /** Gives an element its kops address, refusing one another KopsIamRoles of the stack already took. */
  private setAddress(element: TerraformElement, type: string, logicalId: string): void {
    const stack = TerraformStack.of(this);
    const taken = takenAddresses.get(stack) ?? new Set<string>();
    takenAddresses.set(stack, taken);
    const address = `${type}.${logicalId}`;
    if (taken.has(address)) {
      const hint = type === 'var' ? '; give each cluster its zone with the hostedZoneId property (or set spec.dnsZone)' : '; is the same cluster added twice?';
      throw new Error(`kops-iam: ${address} is already declared in stack ${stack.node.id} by another KopsIamRoles${hint}`);
    }
    taken.add(address);
    element.overrideLogicalId(logicalId);
  }

  /** Declares a data source or variable and returns how to read its attributes. */
  private declareInput(input: PlanInput, hostedZoneId: string | undefined): (attribute: string) => string {
    switch (input.kind) {
      case 'hosted-zone-variable': {
        if (hostedZoneId !== undefined) return () => hostedZoneId;
        const v = new TerraformVariable(this, input.id, {
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
        this.setAddress(v, 'var', input.id);
        return () => v.stringValue;
      }
      case 'hosted-zone-lookup': {
        const zone = new DataAwsRoute53Zone(this, input.id, { name: input.name, privateZone: input.private });
        this.setAddress(zone, 'data.aws_route53_zone', input.id);
        return () => zone.zoneId;
      }
      case 'kms-key-lookup': {
        const key = new DataAwsKmsKey(this, input.id, { keyId: input.keyId });
        this.setAddress(key, 'data.aws_kms_key', input.id);
        return () => key.arn;
      }
      case 'kms-alias-lookup': {
        const alias = new DataAwsKmsAlias(this, input.id, { name: input.alias });
        this.setAddress(alias, 'data.aws_kms_alias', input.id);
        return () => alias.targetKeyArn;
      }
    }
  }

  private declareRole(plan: IamPlan, role: RolePlan, resolve: (ref: TerraformRef) => string): KopsIamRole {
    const tags = (name: string) => ({
      KubernetesCluster: plan.cluster,
      Name: name,
      [`kubernetes.io/cluster/${plan.cluster}`]: 'owned',
    });
    let roleName = role.roleName;
    let roleArn = role.custom?.arn ?? '';
    if (role.policy !== undefined) {
      const iamRole = new IamRole(this, role.logicalId, {
        name: role.roleName,
        assumeRolePolicy: role.assumeRolePolicy,
        tags: tags(role.roleName),
      });
      this.setAddress(iamRole, 'aws_iam_role', role.logicalId);
      roleName = iamRole.name;
      roleArn = iamRole.arn;
      const policy = new IamRolePolicy(this, `policy-${role.logicalId}`, {
        name: role.policyName,
        role: iamRole.name,
        policy: renderPolicy(role.policy, resolve, { terraform: true }),
      });
      this.setAddress(policy, 'aws_iam_role_policy', role.logicalId);
      if (role.additional !== undefined) {
        const extra = new IamRolePolicy(this, role.additionalLogicalId, {
          name: role.additionalPolicyName,
          role: iamRole.name,
          policy: renderPolicy(role.additional, resolve, { terraform: true }),
        });
        this.setAddress(extra, 'aws_iam_role_policy', role.additionalLogicalId);
      }
    }
    const profile = new IamInstanceProfile(this, `profile-${role.logicalId}`, {
      name: role.instanceProfileName,
      role: roleName,
      tags: tags(role.instanceProfileName),
    });
    this.setAddress(profile, 'aws_iam_instance_profile', role.logicalId);
    return { roleArn, roleName, instanceProfileName: profile.name, instanceProfileArn: profile.arn };
  }
}
