import { planRefs, renderPolicy, subjectKey, type IamPlan, type ManagedRole, type PolicyDocument, type Ref, type RolePlan } from '@kops-iam/core';
import { TerraformStack, type TerraformElement } from 'cdktf';
import { Construct } from 'constructs';
// One class per module: the provider package's root loads every AWS resource (seconds, hundreds of MiB).
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { declareInputs } from './plan-inputs';
import { attachmentLabel, label, oidcProviderLabel, policyLabel, roleLabel } from './terraform-names';
import { escapeLiteral as literal, terraformTemplate } from './terraform-template';

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
  /** The instance profile's name, for launch templates; empty for service-account roles. */
  readonly instanceProfileName: string;
  /** The instance profile's ARN; empty for service-account roles. */
  readonly instanceProfileArn: string;
}

/**
 * A kops cluster's IAM as cdktf resources: its roles, their inline policies, managed
 * policy attachments and instance profiles, and its OIDC provider, with kops' names and
 * Terraform addresses.
 */
export class KopsIamRoles extends Construct {
  /** The roles by subject key: `master`, `node`, `bastion`, `apiserver`, `sa:<namespace>/<name>`. */
  readonly roles: ReadonlyMap<string, KopsIamRole>;
  /** The OIDC provider, when the plan has one. */
  readonly oidcProvider: IamOpenidConnectProvider | undefined;
  private readonly spell: (ref: Ref) => string;

  constructor(scope: Construct, id: string, props: KopsIamRolesProps) {
    super(scope, id);
    const { plan } = props;
    this.spell = declareInputs(this, plan, planRefs(plan), props.hostedZoneId, (element, type, logicalId) => this.setAddress(element, type, logicalId));
    this.oidcProvider = plan.oidcProvider === undefined ? undefined : this.declareOidcProvider(plan);
    const roles = new Map<string, KopsIamRole>();
    for (const role of plan.roles) {
      const made = this.declareRole(role);
      if (made !== undefined) roles.set(subjectKey(role.subject), made);
    }
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

  private policyText(doc: PolicyDocument): string {
    return terraformTemplate(renderPolicy(doc), this.spell);
  }

  private declareRole(role: RolePlan): KopsIamRole | undefined {
    if (role.type === 'managed') return this.declareManagedRole(role);
    const e = role.existing;
    if (e.kind === 'instance-profile') return undefined;
    // An existing role (customPolicies): kops-iam writes its instance profile only.
    const profile = new IamInstanceProfile(this, `profile-${label(e.instanceProfileName)}`, { name: literal(e.instanceProfileName), role: literal(e.roleName), tags: tagsOf(e.tags) });
    this.setAddress(profile, 'aws_iam_instance_profile', label(e.instanceProfileName));
    return { roleArn: literal(e.roleArn), roleName: literal(e.roleName), instanceProfileName: profile.name, instanceProfileArn: profile.arn };
  }

  private declareManagedRole(role: ManagedRole): KopsIamRole {
    const logicalId = roleLabel(role);
    const iamRole = new IamRole(this, logicalId, {
      name: literal(role.roleName),
      assumeRolePolicy: this.policyText(role.trust),
      ...(role.permissionsBoundary !== undefined ? { permissionsBoundary: literal(role.permissionsBoundary) } : {}),
      tags: tagsOf(role.tags),
    });
    this.setAddress(iamRole, 'aws_iam_role', logicalId);
    for (const p of role.policies) {
      const policy = new IamRolePolicy(this, `policy-${policyLabel(p.name)}`, { name: literal(p.name), role: iamRole.name, policy: this.policyText(p.document) });
      this.setAddress(policy, 'aws_iam_role_policy', policyLabel(p.name));
    }
    for (const a of role.attachments) {
      const attachment = new IamRolePolicyAttachment(this, `attachment-${attachmentLabel(role, a.arn)}`, { role: iamRole.name, policyArn: literal(a.arn) });
      this.setAddress(attachment, 'aws_iam_role_policy_attachment', attachmentLabel(role, a.arn));
    }
    if (role.instanceProfile === undefined) return { roleArn: iamRole.arn, roleName: iamRole.name, instanceProfileName: '', instanceProfileArn: '' };
    const name = role.instanceProfile.name;
    const profile = new IamInstanceProfile(this, `profile-${label(name)}`, { name: literal(name), role: iamRole.name, tags: tagsOf(role.tags) });
    this.setAddress(profile, 'aws_iam_instance_profile', label(name));
    return { roleArn: iamRole.arn, roleName: iamRole.name, instanceProfileName: profile.name, instanceProfileArn: profile.arn };
  }

  private declareOidcProvider(plan: IamPlan): IamOpenidConnectProvider {
    const p = plan.oidcProvider as NonNullable<IamPlan['oidcProvider']>;
    const provider = new IamOpenidConnectProvider(this, `oidc-${oidcProviderLabel(plan)}`, {
      url: literal(p.url),
      clientIdList: p.clientIds.map((c) => literal(c)),
      thumbprintList: [...p.thumbprints],
      tags: tagsOf(p.tags),
    });
    this.setAddress(provider, 'aws_iam_openid_connect_provider', oidcProviderLabel(plan));
    return provider;
  }
}

/** Tags as Terraform takes them: an object, keys in the plan's order, keys and values literal. */
function tagsOf(tags: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of tags) Object.defineProperty(out, literal(k), { value: literal(v), enumerable: true, writable: true, configurable: true });
  return out;
}
