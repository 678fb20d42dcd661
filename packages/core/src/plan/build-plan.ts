import type { ClusterSpec } from '../cluster/cluster-spec';
import type { InstanceRoleKind } from '../cluster/roles';
import { issuerHost } from '../cluster/service-account-issuer';
import { legacyStatements, zoneIdText } from '../legacy/legacy-policies';
import type { InstanceGroupSpec } from '../manifest/instance-group';
import type { PolicyDocument } from '../policy/statement';
import { composePolicy, type Contribution } from '../strict/grants';
import { instanceRoleContributions, type StrictContext } from '../strict/instance-roles';
import { addonServiceAccounts } from '../strict/service-accounts';
import { additionalPolicyName, instanceRoleName, serviceAccountRoleName } from './iam-names';
import type { ExistingRole, IamPlan, InlinePolicy, ManagedRole, OidcProviderPlan, RolePlan } from './plan';
import { clusterTags, serviceAccountTags } from './tags';
import { ec2TrustPolicy, webIdentityTrustPolicy, type WebIdentity } from './trust';

/** S3's two root CAs, whose SHA-1 thumbprints kops gives every OIDC provider (pkg/model/awsmodel/oidc_provider.go). */
export const OIDC_THUMBPRINTS = ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280', 'a9d53002e97e00e043244f3d170d6f4c414104fd'] as const;

/**
 * Builds the IAM plan of a checked cluster with its InstanceGroups and roles in use.
 * Pure: the same input gives the same plan, byte for byte once rendered.
 */
export function planCluster(spec: ClusterSpec, groups: readonly InstanceGroupSpec[], roles: readonly InstanceRoleKind[]): IamPlan {
  const ctx: StrictContext = { spec, groups, zoneId: zoneIdText(spec.hostedZone) };
  const oidc = oidcProviderOf(spec);
  const identity: WebIdentity | undefined =
    spec.issuer === undefined
      ? undefined
      : { issuerHost: issuerHost(spec.issuer), partition: spec.partition.name, providerInPlan: oidc !== undefined };
  const planned: RolePlan[] = roles.flatMap((role) => instanceRolePlans(role, ctx));
  if (identity !== undefined) planned.push(...serviceAccountPlans(ctx, identity));
  return {
    cluster: spec.name,
    region: spec.region,
    partition: spec.partition,
    generation: spec.generation,
    hostedZone: spec.hostedZone,
    roles: planned,
    ...(oidc !== undefined ? { oidcProvider: oidc } : {}),
    ...(identity !== undefined && oidc !== undefined ? { issuer: identity.issuerHost } : {}),
  };
}

/** A role's plans: managed unless existing (customPolicies), plus the existing instance profiles its groups name. */
function instanceRolePlans(role: InstanceRoleKind, ctx: StrictContext): RolePlan[] {
  const name = instanceRoleName(role, ctx.spec.name);
  // After a migration (docs/migration.md) the groups name the profile kops-iam writes for the
  // role: that profile is still kops-iam's own, so the role stays managed instead of vanishing.
  const foreign = (g: InstanceGroupSpec) => g.profile !== undefined && profileName(g.profile.arn) !== name;
  const mine = ctx.groups.filter((g) => g.role === role);
  const profiles = [...new Set(mine.filter(foreign).map((g) => (g.profile as { arn: string }).arn))];
  const existing: ExistingRole[] = profiles.map((arn) => ({
    type: 'existing',
    subject: { kind: 'instance', role },
    existing: { kind: 'instance-profile', profileArn: arn, profileName: profileName(arn) },
  }));
  // Groups with a profile of their own need no role; the role is made when any group (or none at all) needs it.
  const needsRole = mine.length === 0 || mine.some((g) => !foreign(g));
  if (!needsRole) return existing;
  const custom = ctx.spec.customRoles.get(role);
  if (custom !== undefined) {
    const tags = clusterTags(ctx.spec, name);
    return [
      {
        type: 'existing',
        subject: { kind: 'instance', role },
        existing: { kind: 'role', roleArn: custom.arn, roleName: custom.name, instanceProfileName: name, tags },
      },
      ...existing,
    ];
  }
  return [managedInstanceRole(role, name, ctx), ...existing];
}

/** An instance profile's name: the last segment of its ARN (kops' FindCustomAuthNameFromArn). */
function profileName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function managedInstanceRole(role: InstanceRoleKind, name: string, ctx: StrictContext): ManagedRole {
  const spec = ctx.spec;
  const own = rolePolicy(role, ctx);
  const additional = spec.additionalPolicies.get(role);
  const policies: InlinePolicy[] = [
    ...(own.statements.length > 0 ? [{ kind: 'role' as const, name, document: own }] : []),
    ...(additional !== undefined
      ? [
          {
            kind: 'additional' as const,
            name: additionalPolicyName(name),
            document: { statements: additional.statements },
            at: additional.at,
          },
        ]
      : []),
  ];
  return {
    type: 'managed',
    subject: { kind: 'instance', role },
    roleName: name,
    trust: ec2TrustPolicy(spec.partition),
    policies,
    attachments: (spec.externalPolicies.get(role)?.arns ?? []).map((arn) => ({ arn, source: 'externalPolicies' as const })),
    ...(spec.iam.permissionsBoundary !== undefined ? { permissionsBoundary: spec.iam.permissionsBoundary } : {}),
    instanceProfile: { name },
    tags: clusterTags(spec, name),
  };
}

/** The role's own policy: the seed's lists (legacy), or kops' scoped composition (strict, and API servers always). */
function rolePolicy(role: InstanceRoleKind, ctx: StrictContext): PolicyDocument {
  if (ctx.spec.generation.kind === 'legacy' && role !== 'apiserver') return { statements: legacyStatements(role, ctx.spec) };
  return compose(instanceRoleContributions(role, ctx), ctx);
}

function compose(contributions: readonly Contribution[], ctx: StrictContext): PolicyDocument {
  return composePolicy(contributions, { cluster: ctx.spec.name, partition: ctx.spec.partition.name, region: ctx.spec.region });
}

/** Roles of kops' addon service accounts (strict) and of the service accounts the spec lists (both generations). */
function serviceAccountPlans(ctx: StrictContext, identity: WebIdentity): ManagedRole[] {
  const spec = ctx.spec;
  const addons = spec.generation.kind === 'strict' ? addonServiceAccounts(ctx) : [];
  const fromAddons = addons.map((a) =>
    serviceAccountRole(ctx, identity, { namespace: a.namespace, name: a.name, addon: a.addon }, compose(a.contributions, ctx), []),
  );
  const fromSpec = spec.iam.serviceAccounts.map((s) =>
    serviceAccountRole(ctx, identity, { namespace: s.namespace, name: s.name }, { statements: s.statements ?? [] }, s.policyArns),
  );
  return [...fromAddons, ...fromSpec];
}

function serviceAccountRole(
  ctx: StrictContext,
  identity: WebIdentity,
  sa: { namespace: string; name: string; addon?: string },
  policy: PolicyDocument,
  arns: readonly string[],
): ManagedRole {
  const name = serviceAccountRoleName(sa.namespace, sa.name, ctx.spec.name);
  return {
    type: 'managed',
    subject: { kind: 'service-account', ...sa },
    roleName: name,
    trust: webIdentityTrustPolicy(identity, sa.namespace, sa.name),
    policies: policy.statements.length > 0 ? [{ kind: 'role', name, document: policy }] : [],
    attachments: arns.map((arn) => ({ arn, source: 'serviceAccountExternalPermissions' as const })),
    ...(ctx.spec.iam.permissionsBoundary !== undefined ? { permissionsBoundary: ctx.spec.iam.permissionsBoundary } : {}),
    tags: serviceAccountTags(ctx.spec, name, sa.namespace, sa.name),
  };
}

function oidcProviderOf(spec: ClusterSpec): OidcProviderPlan | undefined {
  const provider = spec.issuer?.provider;
  if (spec.issuer === undefined || provider === undefined) return undefined;
  return { url: spec.issuer.url, clientIds: provider.clientIds, thumbprints: OIDC_THUMBPRINTS, tags: clusterTags(spec, spec.name) };
}
