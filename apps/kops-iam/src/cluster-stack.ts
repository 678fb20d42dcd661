import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subjectKey, type IamPlan } from '@kops-iam/core';
import { TerraformOutput, TerraformStack, type ISynthesisSession } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KopsIamRoles } from './kops-iam-roles';
import { oidcProviderLabel, resourceAttribute, roleOutputNames } from './terraform-names';
import { escapeLiteral as literal } from './terraform-template';

/** The provider requirement written into every stack: registry-qualified, so OpenTofu resolves it too. */
export const AWS_PROVIDER_REQUIREMENT = { source: 'hashicorp/aws', version: '>= 5.0, < 7.0' } as const;

/** Settings of {@link ClusterStack}. */
export interface ClusterStackOptions {
  /** Adopt the IAM kops already created, with `import` blocks (KopsIamRolesProps.importExisting). */
  readonly importExisting?: boolean;
}

/**
 * One cluster's stack: the AWS provider for the cluster's region, the cluster's IAM and
 * its outputs. Its Terraform JSON holds no cdktf metadata and no backend, so the same
 * input gives the same bytes on any machine.
 */
export class ClusterStack extends TerraformStack {
  /** The cluster's IAM construct. */
  readonly iam: KopsIamRoles;

  constructor(scope: Construct, id: string, plan: IamPlan, options: ClusterStackOptions = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: plan.region });
    this.addOverride('terraform.required_providers.aws', AWS_PROVIDER_REQUIREMENT);
    this.iam = new KopsIamRoles(this, 'iam', { plan, importExisting: options.importExisting === true });
    for (const [name, value] of outputsOf(plan, this.iam)) {
      const o = new TerraformOutput(this, name, { value });
      o.overrideLogicalId(name);
    }
    // Under an App's synth (`cdktf synth`), cdktf writes the stack with sorted keys, and
    // cdktf-cli then reads `"//".metadata` from it (it fails without). Let cdktf do its
    // part (aspects, validations, manifest), then write the same text `kops-iam synth`
    // writes, plus only that metadata: version, stack name and backend type, no paths.
    const cdktfSynthesizer = this.synthesizer;
    this.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        cdktfSynthesizer.synthesize(session);
        const file = join(session.outdir, session.manifest.forStack(this).synthesizedStackPath);
        writeFileSync(file, terraformJsonText({ '//': { metadata: this.cdktfMetadata() }, ...this.toTerraform() }));
      },
    };
  }

  /** The part of cdktf's `"//"` block that cdktf-cli reads. */
  private cdktfMetadata(): Record<string, unknown> {
    const all = (super.toTerraform()['//'] as { metadata?: Record<string, unknown> } | undefined)?.metadata ?? {};
    return { version: all.version, stackName: all.stackName, backend: all.backend };
  }

  /** cdktf's JSON without its `//` metadata and the local backend it adds with an absolute path. */
  override toTerraform(): Record<string, unknown> {
    return portableTerraformJson(super.toTerraform());
  }
}

/**
 * cdktf's stack JSON without what differs between machines: its `"//"` metadata and the
 * local backend, whose path cdktf makes absolute. cdktf puts `"//"` on the stack and on each
 * resource and data source body, where Terraform reads it as a comment; only those go. A
 * `"//"` key deeper down is the user's: a cloud label `//` (a tag key AWS allows) is a key of
 * the `tags` map, which Terraform keeps (`terraform plan` of such a stack: `+ "//" = "kept"` in
 * each role's tags).
 * Changes `json` in place: both callers pass JSON made for this stack alone.
 */
export function portableTerraformJson(json: Record<string, unknown>): Record<string, unknown> {
  delete json['//'];
  for (const block of [json.resource, json.data])
    for (const ofType of Object.values((block ?? {}) as Record<string, Record<string, Record<string, unknown>>>))
      for (const body of Object.values(ofType)) delete body['//'];
  const terraform = json.terraform as Record<string, unknown> | undefined;
  if (terraform !== undefined) delete terraform.backend;
  return json;
}

/** A stack's Terraform JSON as kops-iam writes `cdk.tf.json`: two-space indented, keys in cdktf's order, a final newline. */
export function terraformJsonText(json: Record<string, unknown>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * The outputs kops writes for IAM (the cluster, its region, each role's ARN and name, the
 * OIDC provider), so that the rest of a kops Terraform setup links to them unchanged.
 */
function outputsOf(plan: IamPlan, iam: KopsIamRoles): [string, string][] {
  const out: [string, string][] = [
    ['cluster_name', literal(plan.cluster)],
    ['region', literal(plan.region)],
  ];
  for (const role of plan.roles) {
    const made = iam.expressions.get(subjectKey(role.subject));
    if (made === undefined || (role.type === 'existing' && role.existing.kind === 'instance-profile')) continue;
    const names = roleOutputNames(role);
    out.push([names.arn, made.roleArn], [names.name, made.roleName]);
    // Not in kops' kubernetes.tf: what InstanceGroups' spec.iam.profile takes once kops-iam manages the roles.
    if (made.instanceProfileArn !== '')
      out.push([names.profileArn, made.instanceProfileArn], [names.profileName, made.instanceProfileName]);
  }
  if (iam.oidcProvider !== undefined && plan.issuer !== undefined) {
    const arn = resourceAttribute('aws_iam_openid_connect_provider', oidcProviderLabel(plan), 'arn');
    out.push(['iam_openid_connect_provider_arn', arn], ['iam_openid_connect_provider_issuer', literal(plan.issuer)]);
  }
  return out;
}
