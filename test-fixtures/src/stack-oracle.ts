import { planRefs, renderPolicyText, type IamPlan, type ManagedRole, type PolicyDocument, type Ref } from '@kops-iam/core';
import { placeholder, type EvaluatedStack, type Json } from './terraform-stack-eval';

/**
 * Compares a stack, as Terraform evaluates it, with the plan it was made from: every name,
 * policy, tag, ARN and URL of the plan must come out exactly, with references standing
 * where the plan has them. This holds whatever text the manifest held, so it is the
 * oracle of the escaping property and of the fuzz test.
 */
export function stackProblems(stack: EvaluatedStack, plan: IamPlan): string[] {
  const problems = [...stack.problems];
  const roles = Object.values(stack.resource.aws_iam_role ?? {});
  const policies = Object.values(stack.resource.aws_iam_role_policy ?? {});
  const attachments = Object.values(stack.resource.aws_iam_role_policy_attachment ?? {});
  const profiles = Object.values(stack.resource.aws_iam_instance_profile ?? {});
  const want = { roles: 0, policies: 0, attachments: 0, profiles: 0 };
  for (const role of plan.roles) {
    if (role.type === 'managed') {
      problems.push(...managedRoleProblems(role, roles, policies, attachments, profiles));
      want.roles += 1;
      want.policies += role.policies.length;
      want.attachments += role.attachments.length;
      want.profiles += role.instanceProfile === undefined ? 0 : 1;
    } else if (role.existing.kind === 'role') {
      const e = role.existing;
      want.profiles += 1;
      const p = profiles.find((x) => x.name === e.instanceProfileName);
      if (p === undefined) problems.push(`no instance profile named ${JSON.stringify(e.instanceProfileName)}`);
      else {
        if (p.role !== e.roleName) problems.push(`profile ${e.instanceProfileName}: role ${show(p.role)}, expected ${show(e.roleName)}`);
        problems.push(...tagProblems(`profile ${e.instanceProfileName}`, p.tags, e.tags));
      }
      if (!Object.values(stack.output).some((o) => (o as { value?: Json }).value === e.roleArn))
        problems.push(`no output holds the existing role's ARN ${show(e.roleArn)}`);
    }
  }
  const counts = { roles: roles.length, policies: policies.length, attachments: attachments.length, profiles: profiles.length };
  if (JSON.stringify(counts) !== JSON.stringify(want)) problems.push(`resources ${JSON.stringify(counts)}, plan ${JSON.stringify(want)}`);
  return [...problems, ...oidcProblems(stack, plan), ...inputProblems(stack, plan)];
}

/** How the oracle spells a plan's references: as the evaluator resolves Terraform's. */
export function spellRef(ref: Ref): string {
  switch (ref.kind) {
    case 'hosted-zone-id':
      return placeholder('zone');
    case 'kms-key-arn':
      return placeholder(`kms:${ref.id}`);
    case 'oidc-provider-arn':
      return placeholder('oidc');
    case 'account-id':
      return placeholder('account');
  }
}

/** A policy as the plan has it, references spelled as placeholders. */
export function planPolicyText(doc: PolicyDocument): string {
  return renderPolicyText(doc, spellRef);
}

type Args = Record<string, Json>;

function managedRoleProblems(role: ManagedRole, roles: Args[], policies: Args[], attachments: Args[], profiles: Args[]): string[] {
  const name = role.roleName;
  const found = roles.filter((r) => r.name === name);
  if (found.length !== 1) return [`${found.length} roles named ${JSON.stringify(name)}`];
  const r = found[0] as Args;
  const out: string[] = [];
  if (r.assume_role_policy !== planPolicyText(role.trust))
    out.push(`role ${name}: trust policy ${diff(r.assume_role_policy, planPolicyText(role.trust))}`);
  if ((r.permissions_boundary ?? undefined) !== role.permissionsBoundary)
    out.push(`role ${name}: permissions_boundary ${show(r.permissions_boundary)}, expected ${show(role.permissionsBoundary)}`);
  out.push(...tagProblems(`role ${name}`, r.tags, role.tags));
  for (const p of role.policies) {
    const written = policies.find((x) => x.name === p.name);
    if (written === undefined) out.push(`no inline policy named ${JSON.stringify(p.name)}`);
    else {
      if (written.role !== name) out.push(`policy ${p.name}: role ${show(written.role)}, expected ${show(name)}`);
      if (written.policy !== planPolicyText(p.document)) out.push(`policy ${p.name}: ${diff(written.policy, planPolicyText(p.document))}`);
    }
  }
  const arns = attachments.filter((a) => a.role === name).map((a) => a.policy_arn);
  const wantArns = role.attachments.map((a) => a.arn);
  if (JSON.stringify([...arns].sort()) !== JSON.stringify([...wantArns].sort()))
    out.push(`role ${name}: attachments ${show(arns)}, expected ${show(wantArns)}`);
  if (role.instanceProfile !== undefined) {
    const profile = profiles.find((p) => p.name === role.instanceProfile?.name);
    if (profile === undefined) out.push(`no instance profile named ${JSON.stringify(role.instanceProfile.name)}`);
    else {
      if (profile.role !== name) out.push(`profile ${role.instanceProfile.name}: role ${show(profile.role)}`);
      out.push(...tagProblems(`profile ${role.instanceProfile.name}`, profile.tags, role.tags));
    }
  }
  return out;
}

function tagProblems(what: string, written: Json | undefined, tags: readonly (readonly [string, string])[]): string[] {
  const got = Object.entries((written ?? {}) as Record<string, Json>);
  return JSON.stringify(got) === JSON.stringify(tags) ? [] : [`${what}: tags ${show(got)}, expected ${show(tags)}`];
}

function oidcProblems(stack: EvaluatedStack, plan: IamPlan): string[] {
  const providers = Object.values(stack.resource.aws_iam_openid_connect_provider ?? {});
  const p = plan.oidcProvider;
  if (p === undefined) return providers.length === 0 ? [] : ['an OIDC provider the plan does not have'];
  if (providers.length !== 1) return [`${providers.length} OIDC providers, expected 1`];
  const w = providers[0] as Args;
  const out: string[] = [];
  if (w.url !== p.url) out.push(`OIDC url ${show(w.url)}, expected ${show(p.url)}`);
  if (JSON.stringify(w.client_id_list) !== JSON.stringify(p.clientIds))
    out.push(`OIDC client ids ${show(w.client_id_list)}, expected ${show(p.clientIds)}`);
  if (JSON.stringify(w.thumbprint_list) !== JSON.stringify(p.thumbprints)) out.push(`OIDC thumbprints ${show(w.thumbprint_list)}`);
  out.push(...tagProblems('OIDC provider', w.tags, p.tags));
  const issuer = (stack.output.iam_openid_connect_provider_issuer as { value?: Json } | undefined)?.value;
  if (plan.issuer !== undefined && issuer !== plan.issuer) out.push(`issuer output ${show(issuer)}, expected ${show(plan.issuer)}`);
  return out;
}

/** The cluster's name and region outputs, the provider's region, the zone lookup and the KMS lookups. */
function inputProblems(stack: EvaluatedStack, plan: IamPlan): string[] {
  const out: string[] = [];
  const value = (name: string) => (stack.output[name] as { value?: Json } | undefined)?.value;
  if (value('cluster_name') !== plan.cluster)
    out.push(`cluster_name output ${show(value('cluster_name'))}, expected ${show(plan.cluster)}`);
  if (value('region') !== plan.region) out.push(`region output ${show(value('region'))}, expected ${show(plan.region)}`);
  const zones = Object.values(stack.data.aws_route53_zone ?? {});
  const zone = plan.hostedZone;
  const zoneUsed = planRefs(plan).some((ref) => ref.kind === 'hosted-zone-id');
  if (zoneUsed && zone.kind === 'lookup' && !zones.some((z) => z.name === zone.name && z.private_zone === zone.private))
    out.push(`no zone lookup of ${show(zone.name)} (private ${zone.private}): ${show(zones)}`);
  return out;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** Where two texts first differ. */
function diff(got: Json | undefined, want: string): string {
  const g = typeof got === 'string' ? got : (JSON.stringify(got) ?? 'undefined');
  let i = 0;
  while (i < g.length && g[i] === want[i]) i += 1;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 60));
  return `differs at ${i}: written ${around(g)}, plan ${around(want)}`;
}
