import type { IamPlan } from '@kops-iam/core';
import { subjectKey } from '@kops-iam/core';
import type { Subject } from './cluster-subjects';
import type { StrictSettings } from './strict-settings';
import type { StackJson } from './terraform-template';

type Json = Record<string, unknown>;

/** The IAM resources of a stack, by IAM name and by the role they belong to. */
export interface StackIndex {
  /** Roles by IAM name: their Terraform label and arguments. */
  readonly roles: ReadonlyMap<string, { readonly label: string; readonly json: Json }>;
  readonly profiles: ReadonlyMap<string, Json>;
  /** Inline policies by role label, then by policy name. */
  readonly policies: ReadonlyMap<string, ReadonlyMap<string, Json>>;
  /** Managed-policy ARNs attached, by role label. */
  readonly attachments: ReadonlyMap<string, readonly string[]>;
}

/** `${aws_iam_role.<label>.name}` → label. */
function roleLabelOf(ref: unknown): string {
  return /^\$\{aws_iam_role\.([^.}]+)\.name\}$/.exec(String(ref))?.[1] ?? `<not a role reference: ${String(ref)}>`;
}

export function indexStack(stack: StackJson): StackIndex {
  const r = stack.resource ?? {};
  const roles = new Map(Object.entries(r.aws_iam_role ?? {}).map(([label, json]) => [String(json.name), { label, json }]));
  const profiles = new Map(Object.values(r.aws_iam_instance_profile ?? {}).map((json) => [String(json.name), json]));
  const policies = new Map<string, Map<string, Json>>();
  for (const json of Object.values(r.aws_iam_role_policy ?? {})) {
    const label = roleLabelOf(json.role);
    policies.set(label, (policies.get(label) ?? new Map()).set(String(json.name), json));
  }
  const attachments = new Map<string, string[]>();
  for (const json of Object.values(r.aws_iam_role_policy_attachment ?? {})) {
    const label = roleLabelOf(json.role);
    attachments.set(label, [...(attachments.get(label) ?? []), String(json.policy_arn)].sort());
  }
  return { roles, profiles, policies, attachments };
}

/** The stack has exactly the roles the spec asks for, and the plan names the same subjects. */
export function checkRoleSet(subjects: readonly Subject[], plan: IamPlan, index: StackIndex, fail: (m: string) => void): void {
  const expected = subjects.filter((s) => s.mode === 'managed').map((s) => s.roleName);
  const extra = [...index.roles.keys()].filter((name) => !expected.includes(name));
  if (extra.length > 0) fail(`roles the spec does not ask for: ${extra.join(', ')}`);
  const want = subjects.map((s) => s.key).sort();
  const planned = [...new Set(plan.roles.map((r) => subjectKey(r.subject)))].sort();
  if (want.join() !== planned.join()) fail(`the plan's subjects [${planned.join(', ')}], expected [${want.join(', ')}]`);
}

/** The role's resources are those its mode asks for: none (existing profile), a profile for an existing role, or a role. */
export function checkSubjectResources(s: Subject, index: StackIndex, boundary: string | undefined, fail: (m: string) => void): boolean {
  const role = index.roles.get(s.roleName);
  const profile = index.profiles.get(s.roleName);
  if (s.mode !== 'managed') {
    if (role !== undefined)
      fail(
        `${s.key}: an aws_iam_role ${s.roleName}, expected none ` +
          `(${s.mode === 'custom' ? 'an existing role' : 'existing instance profiles'})`,
      );
    if (s.mode === 'profile' && profile !== undefined)
      fail(`${s.key}: an instance profile ${s.roleName}; kops writes nothing for InstanceGroups with spec.iam.profile`);
    if (s.mode === 'custom' && profile?.role !== s.customRole)
      fail(`${s.key}: instance profile role ${String(profile?.role)}, expected the existing role ${s.customRole}`);
    return false;
  }
  if (role === undefined) {
    fail(`${s.key}: no aws_iam_role named ${s.roleName}`);
    return false;
  }
  const link = `\${aws_iam_role.${role.label}.name}`;
  if (s.trust.kind === 'instance' && profile?.role !== link)
    fail(`${s.key}: instance profile ${s.roleName} with role ${String(profile?.role)}, expected ${link}`);
  if (s.trust.kind === 'service-account' && profile !== undefined) fail(`${s.key}: a service-account role has no instance profile`);
  if (role.json.permissions_boundary !== boundary)
    fail(`${s.key}: permissions_boundary ${String(role.json.permissions_boundary)}, expected ${String(boundary)}`);
  const names = [...(index.policies.get(role.label)?.keys() ?? [])].sort();
  const want = [...(s.ownPolicy ? [s.roleName] : []), ...(s.additional !== undefined ? [`additional.${s.roleName}`] : [])].sort();
  if (names.join() !== want.join()) fail(`${s.key}: inline policies [${names.join(', ')}], expected [${want.join(', ')}]`);
  const arns = index.attachments.get(role.label) ?? [];
  if (arns.join() !== s.attachments.join())
    fail(`${s.key}: managed policies attached [${arns.join(', ')}], expected [${s.attachments.join(', ')}]`);
  return true;
}

/** kops' two thumbprints of S3's root CAs (pkg/model/awsmodel/oidc_provider.go). */
const THUMBPRINTS = ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280', 'a9d53002e97e00e043244f3d170d6f4c414104fd'];

/** The OIDC provider exists when the spec enables it, for the issuer kops derives, with its audiences. */
export function checkOidcProvider(stack: StackJson, settings: StrictSettings, fail: (m: string) => void): void {
  const providers = Object.values(stack.resource?.aws_iam_openid_connect_provider ?? {});
  if (!settings.issuer.provider) {
    if (providers.length > 0) fail('an OIDC provider, but serviceAccountIssuerDiscovery.enableAWSOIDCProvider is not true');
    return;
  }
  const p = providers[0];
  if (providers.length !== 1 || p === undefined) return fail(`${providers.length} OIDC providers, expected 1`);
  if (p.url !== settings.issuer.url) fail(`OIDC provider url ${String(p.url)}, expected ${settings.issuer.url}`);
  if (JSON.stringify(p.client_id_list) !== JSON.stringify(settings.issuer.clientIds)) {
    fail(`OIDC client ids ${JSON.stringify(p.client_id_list)}, expected ${JSON.stringify(settings.issuer.clientIds)}`);
  }
  if (JSON.stringify(p.thumbprint_list) !== JSON.stringify(THUMBPRINTS)) fail(`OIDC thumbprints ${JSON.stringify(p.thumbprint_list)}`);
}
