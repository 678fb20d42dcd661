import {
  planRefs,
  renderPolicy,
  subjectKey,
  type IamPlan,
  type ManagedRole,
  type PolicyDocument,
  type Ref,
  type RolePlan,
} from '@kops-iam/core';
import { TerraformStack, type TerraformElement, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
// One class per module: the provider package's root loads every AWS resource (seconds, hundreds of MiB).
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { madeWhenRead } from './made-when-read';
import { declareInputs } from './plan-inputs';
import {
  attachmentImportId,
  importRefs,
  instanceProfileImportId,
  oidcProviderImportId,
  roleImportId,
  rolePolicyImportId,
} from './terraform-imports';
import { sharedElement, takeAddress } from './stack-addresses';
import { attachmentLabel, label, oidcProviderLabel, policyLabel, resourceAttribute, roleLabel } from './terraform-names';
import { escapeLiteral as literal, terraformTemplate } from './terraform-template';

/** Settings of {@link KopsIamRoles}. */
export interface KopsIamRolesProps {
  /** The cluster's IAM plan, from `loadPlans` in @kops-iam/core. */
  readonly plan: IamPlan;
  /**
   * The hosted zone ID to use when the spec has no `dnsZone`. Without it the construct
   * declares the Terraform variable `hosted_zone_id`, which a stack may hold only once.
   */
  readonly hostedZoneId?: string;
  /**
   * Adopt the IAM kops already created: every resource the construct writes gets a Terraform
   * `import` block with the import ID the AWS provider documents (Terraform ≥ 1.6: the OIDC
   * provider's ID is an expression, its ARN in the caller's account), so that
   * `terraform apply` takes over the existing roles, inline policies, instance profiles,
   * attachments and OIDC provider instead of failing on names that exist. Existing roles and
   * instance profiles the construct does not write (customPolicies roles, InstanceGroups'
   * `spec.iam.profile`) get none. Off by default.
   */
  readonly importExisting?: boolean;
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
  /**
   * The same values as {@link roles}, as Terraform expressions (`${aws_iam_role.<label>.arn}`)
   * instead of cdktf tokens: plain text, valid only in the stack that holds this construct.
   */
  readonly expressions: ReadonlyMap<string, KopsIamRole>;
  /** The OIDC provider, when the plan has one. */
  readonly oidcProvider: IamOpenidConnectProvider | undefined;
  private readonly spell: (ref: Ref) => string;
  private readonly importExisting: boolean;

  constructor(scope: Construct, id: string, props: KopsIamRolesProps) {
    super(scope, id);
    const { plan } = props;
    this.importExisting = props.importExisting === true;
    const refs = this.importExisting ? [...planRefs(plan), ...importRefs(plan)] : planRefs(plan);
    this.spell = declareInputs(this, plan, refs, props.hostedZoneId, {
      setAddress: (element, type, logicalId) => this.setAddress(element, type, logicalId),
      shared: (type, logicalId, make) => sharedElement(TerraformStack.of(this), type, logicalId, make),
    });
    this.oidcProvider = plan.oidcProvider === undefined ? undefined : this.declareOidcProvider(plan);
    const roles = new Map<string, KopsIamRole>();
    const expressions = new Map<string, KopsIamRole>();
    for (const role of plan.roles) {
      const made = this.declareRole(role);
      if (made === undefined) continue;
      roles.set(subjectKey(role.subject), made.tokens);
      expressions.set(subjectKey(role.subject), made.expressions);
    }
    this.roles = roles;
    this.expressions = expressions;
  }

  /** Gives an element its kops address, refusing one another KopsIamRoles of the stack already took. */
  private setAddress(element: TerraformElement, type: string, logicalId: string): void {
    takeAddress(TerraformStack.of(this), element, type, logicalId);
  }

  /** With importExisting: the `import` block that adopts the resource kops created under this ID. */
  private adopt(resource: TerraformResource, importId: string): void {
    if (this.importExisting) resource.importFrom(importId);
  }

  private policyText(doc: PolicyDocument): string {
    return terraformTemplate(renderPolicy(doc), this.spell);
  }

  private declareRole(role: RolePlan): MadeRole | undefined {
    if (role.type === 'managed') return this.declareManagedRole(role);
    const e = role.existing;
    if (e.kind === 'instance-profile') return undefined;
    // An existing role (customPolicies): kops-iam writes its instance profile only.
    const profile = new IamInstanceProfile(this, `profile-${label(e.instanceProfileName)}`, {
      name: literal(e.instanceProfileName),
      role: literal(e.roleName),
      tags: tagsOf(e.tags),
    });
    this.setAddress(profile, 'aws_iam_instance_profile', label(e.instanceProfileName));
    this.adopt(profile, instanceProfileImportId(e.instanceProfileName));
    const existing = { roleArn: literal(e.roleArn), roleName: literal(e.roleName) };
    return {
      tokens: tokensWhenRead(() => ({ ...existing, instanceProfileName: profile.name, instanceProfileArn: profile.arn })),
      expressions: { ...existing, ...profileExpressions(label(e.instanceProfileName)) },
    };
  }

  private declareManagedRole(role: ManagedRole): MadeRole {
    const logicalId = roleLabel(role);
    // The construct's own wiring is spelled as expressions: nothing for synthesis to resolve.
    const roleName = resourceAttribute('aws_iam_role', logicalId, 'name');
    const iamRole = new IamRole(this, logicalId, {
      name: literal(role.roleName),
      assumeRolePolicy: this.policyText(role.trust),
      ...(role.permissionsBoundary !== undefined ? { permissionsBoundary: literal(role.permissionsBoundary) } : {}),
      tags: tagsOf(role.tags),
    });
    this.setAddress(iamRole, 'aws_iam_role', logicalId);
    this.adopt(iamRole, roleImportId(role.roleName));
    for (const p of role.policies) {
      const policy = new IamRolePolicy(this, `policy-${policyLabel(p.name)}`, {
        name: literal(p.name),
        role: roleName,
        policy: this.policyText(p.document),
      });
      this.setAddress(policy, 'aws_iam_role_policy', policyLabel(p.name));
      this.adopt(policy, rolePolicyImportId(role.roleName, p.name));
    }
    for (const a of role.attachments) {
      const attachment = new IamRolePolicyAttachment(this, `attachment-${attachmentLabel(role, a.arn)}`, {
        role: roleName,
        policyArn: literal(a.arn),
      });
      this.setAddress(attachment, 'aws_iam_role_policy_attachment', attachmentLabel(role, a.arn));
      this.adopt(attachment, attachmentImportId(role.roleName, a.arn));
    }
    const expressions = { roleArn: resourceAttribute('aws_iam_role', logicalId, 'arn'), roleName };
    if (role.instanceProfile === undefined) {
      const none = { instanceProfileName: '', instanceProfileArn: '' };
      return {
        tokens: tokensWhenRead(() => ({ roleArn: iamRole.arn, roleName: iamRole.name, ...none })),
        expressions: { ...expressions, ...none },
      };
    }
    const name = role.instanceProfile.name;
    const profile = new IamInstanceProfile(this, `profile-${label(name)}`, {
      name: literal(name),
      role: roleName,
      tags: tagsOf(role.tags),
    });
    this.setAddress(profile, 'aws_iam_instance_profile', label(name));
    this.adopt(profile, instanceProfileImportId(name));
    return {
      tokens: tokensWhenRead(() => ({
        roleArn: iamRole.arn,
        roleName: iamRole.name,
        instanceProfileName: profile.name,
        instanceProfileArn: profile.arn,
      })),
      expressions: { ...expressions, ...profileExpressions(label(name)) },
    };
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
    this.adopt(provider, terraformTemplate(oidcProviderImportId(plan), this.spell));
    return provider;
  }
}

/** A role the construct declared, as cdktf tokens and as Terraform expressions. */
interface MadeRole {
  readonly tokens: KopsIamRole;
  readonly expressions: KopsIamRole;
}

/**
 * A role's values as cdktf tokens, made when first read. Each is a token registered for the
 * whole process, and the command line reads none (it writes expressions): making them anyway
 * was some 14 tokens a many-addons stack.
 */
function tokensWhenRead(make: () => KopsIamRole): KopsIamRole {
  return madeWhenRead(['roleArn', 'roleName', 'instanceProfileName', 'instanceProfileArn'], make);
}

/** An instance profile's name and ARN as Terraform expressions. */
function profileExpressions(profileLabel: string): Pick<KopsIamRole, 'instanceProfileName' | 'instanceProfileArn'> {
  return {
    instanceProfileName: resourceAttribute('aws_iam_instance_profile', profileLabel, 'name'),
    instanceProfileArn: resourceAttribute('aws_iam_instance_profile', profileLabel, 'arn'),
  };
}

/**
 * Tags as Terraform takes them: an object, keys in the plan's order, keys and values literal.
 * Assigned: a manifest cannot hold a key `__proto__` (the reader refuses it), and defining
 * each key instead, as before, kept no such key through cdktf either while it took 25–57 ms
 * of a 1,000-cluster synth (cpu profiles).
 */
function tagsOf(tags: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of tags) out[literal(k)] = literal(v);
  return out;
}
