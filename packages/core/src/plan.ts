import { createHash } from 'node:crypto';
import type { ClusterModel } from './cluster-model';
import { fitIamName, IAM_NAME_LIMITS, terraformId } from './iam-names';
import { kmsKeyText, type KmsKey } from './kms';
import { ec2ServicePrincipal, type Partition } from './partition';
import type { PolicyDocument, PolicyText, TerraformRef } from './policy';
import { policyTreeValue } from './policy-tree';
import { roleStatements, type PolicyRefs } from './role-policies';
import { rolePlural, type RoleKind } from './roles';

/** A value the configuration needs from Terraform: a data-source lookup or an input variable. */
export type PlanInput =
  | { readonly kind: 'hosted-zone-lookup'; readonly id: string; readonly name: string; readonly private: boolean }
  | { readonly kind: 'hosted-zone-variable'; readonly id: string }
  | { readonly kind: 'kms-key-lookup'; readonly id: string; readonly keyId: string }
  | { readonly kind: 'kms-alias-lookup'; readonly id: string; readonly alias: string };

/** The name of the variable that holds the hosted zone ID when the spec has no `dnsZone`. */
export const HOSTED_ZONE_VARIABLE = 'hosted_zone_id';

/** One role's IAM: names, Terraform ids and policies; `custom` when an existing role is reused. */
export interface RolePlan {
  readonly role: RoleKind;
  /** `masters`, `nodes` or `bastions`. */
  readonly plural: string;
  /** Terraform resource name of the role, its policy and instance profile: `masters-<cluster->`. */
  readonly logicalId: string;
  /** Terraform resource name of the additional policy: `additional-masters-<cluster->`. */
  readonly additionalLogicalId: string;
  readonly roleName: string;
  readonly instanceProfileName: string;
  readonly policyName: string;
  readonly additionalPolicyName: string;
  /** The trust policy that lets EC2 instances assume the role, as JSON. */
  readonly assumeRolePolicy: string;
  /** The role's own policy; absent for a custom role. */
  readonly policy?: PolicyDocument;
  /** additionalPolicies' statements; absent when there are none. */
  readonly additional?: PolicyDocument;
  /** The existing role reused through customPolicies. */
  readonly custom?: { readonly arn: string; readonly name: string };
}

/** Where an output's value comes from. */
export type OutputValue =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'role-arn'; readonly role: RoleKind }
  | { readonly kind: 'role-name'; readonly role: RoleKind };

/** An output of the configuration, for the rest of a kops Terraform setup to link to. */
export interface PlanOutput {
  readonly name: string;
  readonly value: OutputValue;
}

/** Everything one cluster's IAM consists of, ready to render with any IaC engine. */
export interface IamPlan {
  readonly cluster: string;
  readonly region: string;
  readonly partition: Partition;
  readonly inputs: readonly PlanInput[];
  readonly roles: readonly RolePlan[];
  readonly outputs: readonly PlanOutput[];
}

/** Builds the IAM plan of a validated cluster. Pure: the same model gives the same plan. */
export function planCluster(model: ClusterModel): IamPlan {
  const c = model.name;
  const cid = terraformId(c);
  const inputs: PlanInput[] = [];
  let zoneId: PolicyText | undefined;
  const zone = model.hostedZone;
  if (zone.kind === 'id') zoneId = zone.id;
  else if (zone.kind === 'lookup') {
    inputs.push({ kind: 'hosted-zone-lookup', id: `dns-${cid}`, name: zone.name, private: zone.private });
    zoneId = [{ input: `dns-${cid}`, attribute: 'zone_id' }];
  } else if (zone.kind === 'variable') {
    inputs.push({ kind: 'hosted-zone-variable', id: HOSTED_ZONE_VARIABLE });
    zoneId = [{ input: HOSTED_ZONE_VARIABLE, attribute: 'value' }];
  }
  const kmsKeyArns = model.kmsKeys.map((key) => kmsKeyArn(key, cid, inputs));
  const refs: PolicyRefs = zoneId === undefined ? { kmsKeyArns } : { zoneId, kmsKeyArns };

  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: ec2ServicePrincipal(model.partition) }, Action: 'sts:AssumeRole' }],
  });
  const roles = model.roles.map((role): RolePlan => {
    const plural = rolePlural(role);
    const custom = model.customRoles.get(role);
    const extra = model.additionalPolicies.get(role);
    const base = {
      role,
      plural,
      logicalId: `${plural}-${cid}`,
      additionalLogicalId: `additional-${plural}-${cid}`,
      roleName: fitIamName(`${plural}.${c}`, IAM_NAME_LIMITS.role),
      instanceProfileName: fitIamName(`${plural}.${c}`, IAM_NAME_LIMITS.instanceProfile),
      policyName: fitIamName(`${plural}.${c}`, IAM_NAME_LIMITS.policy),
      additionalPolicyName: fitIamName(`additional.${plural}.${c}`, IAM_NAME_LIMITS.policy),
      assumeRolePolicy: trust,
    };
    if (custom !== undefined) return { ...base, roleName: custom.name, custom: { arn: custom.arn, name: custom.name } };
    const policy: PolicyDocument = { statements: roleStatements(role, model, refs) };
    if (extra === undefined || extra.statements.length === 0) return { ...base, policy };
    return { ...base, policy, additional: { statements: [], userStatements: extra.statements.map(policyTreeValue) } };
  });

  const outputs: PlanOutput[] = [
    { name: 'cluster_name', value: { kind: 'literal', value: c } },
    { name: 'region', value: { kind: 'literal', value: model.region } },
  ];
  for (const r of roles) {
    outputs.push({ name: `${r.plural}_role_arn`, value: r.custom ? { kind: 'literal', value: r.custom.arn } : { kind: 'role-arn', role: r.role } });
    outputs.push({ name: `${r.plural}_role_name`, value: r.custom ? { kind: 'literal', value: r.custom.name } : { kind: 'role-name', role: r.role } });
  }
  return { cluster: c, region: model.region, partition: model.partition, inputs, roles, outputs };
}

function kmsKeyArn(key: KmsKey, cid: string, inputs: PlanInput[]): PolicyText {
  if (key.kind === 'arn') return key.arn;
  const text = kmsKeyText(key);
  let id = `etcd-${cid}-${terraformId(text.replace(/^arn:.*:alias\//, 'alias/')).replace(/[/_]+/g, '-').toLowerCase()}`;
  // An alias ARN (another account's alias, perhaps) and an alias name can share the short id;
  // they are different lookups, so the later one gets a hash of its text.
  const same = inputs.find((i) => i.id === id);
  if (same !== undefined && inputKey(same) !== text) id = `${id}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
  if (!inputs.some((i) => i.id === id)) {
    inputs.push(key.kind === 'key-lookup' ? { kind: 'kms-key-lookup', id, keyId: key.keyId } : { kind: 'kms-alias-lookup', id, alias: key.alias });
  }
  return [{ input: id, attribute: key.kind === 'key-lookup' ? 'arn' : 'target_key_arn' }];
}

/** The key text a KMS lookup input stands for; empty for other inputs. */
function inputKey(input: PlanInput): string {
  return input.kind === 'kms-key-lookup' ? input.keyId : input.kind === 'kms-alias-lookup' ? input.alias : '';
}

/** The Terraform expression for a reference, as written in Terraform JSON: `${data.aws_route53_zone.x.zone_id}`. */
export function terraformExpression(plan: IamPlan, ref: TerraformRef): string {
  const input = plan.inputs.find((i) => i.id === ref.input);
  if (input === undefined) throw new Error(`plan has no input '${ref.input}'`);
  const address =
    input.kind === 'hosted-zone-variable'
      ? `var.${input.id}`
      : `data.${input.kind === 'hosted-zone-lookup' ? 'aws_route53_zone' : input.kind === 'kms-key-lookup' ? 'aws_kms_key' : 'aws_kms_alias'}.${input.id}`;
  return input.kind === 'hosted-zone-variable' ? `\${${address}}` : `\${${address}.${ref.attribute}}`;
}
