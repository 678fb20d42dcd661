import {
  instanceRoleName,
  serviceAccountRoleName,
  type ClusterSpec,
  type IamPlan,
  type InstanceGroupSpec,
  type InstanceRoleKind,
} from '@kops-iam/core';
import { userStatements, type UserStatement } from './additional-expectations';
import { legacyMatrix } from './permission-matrix';
import type { Row, World } from './matrix-row';
import { strictRows, type StrictContext } from './strict-matrix';
import { emptyExpectation, type Expectation } from './strict-grants';
import { addonServiceAccounts, instanceRoleExpectation } from './strict-roles';
import type { StrictSettings } from './strict-settings';
import type { TrustSubject } from './trust-check';

/**
 * The roles a cluster must have, as the tests derive them from the spec: instance roles of
 * its InstanceGroups, kops' addon service accounts (strict) and the service accounts the
 * spec lists, each with what it may do, its user statements and attachments.
 */
export interface Subject {
  /** `master`, `node`, … or `sa:<namespace>/<name>`. */
  readonly key: string;
  readonly roleName: string;
  /** managed: kops-iam creates the role; custom: an existing role (customPolicies) gets an instance profile; profile: no IAM at all. */
  readonly mode: 'managed' | 'custom' | 'profile';
  /** The existing role of a custom subject. */
  readonly customRole?: string;
  readonly trust: TrustSubject;
  /** Whether the role has an inline policy of its own (kops writes none for an empty policy). */
  readonly ownPolicy: boolean;
  /** additionalPolicies of an instance role. */
  readonly additional: readonly UserStatement[] | undefined;
  /** Statements of a listed service account's inline policy. */
  readonly inline: readonly UserStatement[];
  readonly attachments: readonly string[];
  /** The matrix: requests and what IAM must answer, before user statements and boundaries. */
  readonly rows: () => Promise<Row[]>;
  readonly matrix: 'legacy' | 'strict' | 'none';
}

/** What checking a cluster needs. */
export interface SubjectContext {
  readonly spec: ClusterSpec;
  readonly groups: readonly InstanceGroupSpec[];
  readonly plan: IamPlan;
  readonly settings: StrictSettings;
  readonly strict: StrictContext;
  readonly zone: string | undefined;
}

/** The instance roles of the cluster: its groups' (with none, the plan's, as the seed's bare manifests have no groups). */
function instanceRoles(ctx: SubjectContext): InstanceRoleKind[] {
  const order: InstanceRoleKind[] = ['master', 'apiserver', 'node', 'bastion'];
  const used = new Set<InstanceRoleKind>(ctx.groups.map((g) => g.role));
  if (ctx.groups.length === 0) for (const r of ctx.plan.roles) if (r.subject.kind === 'instance') used.add(r.subject.role);
  return order.filter((r) => used.has(r));
}

function hasPolicy(e: Expectation): boolean {
  return (
    e.actions.size > 0 ||
    e.tagRules.length > 0 ||
    e.kms !== undefined ||
    e.dns !== undefined ||
    e.s3 !== undefined ||
    (e.certManagerZones ?? []).length > 0
  );
}

function instanceSubject(role: InstanceRoleKind, ctx: SubjectContext): Subject {
  const { spec } = ctx;
  const roleName = instanceRoleName(role, spec.name);
  const mine = ctx.groups.filter((g) => g.role === role);
  const custom = spec.customRoles.get(role);
  const mode = mine.length > 0 && mine.every((g) => g.profile !== undefined) ? 'profile' : custom !== undefined ? 'custom' : 'managed';
  const legacy = spec.generation.kind === 'legacy' && role !== 'apiserver';
  const e = instanceRoleExpectation(role, ctx.settings, ctx.zone);
  return {
    key: role,
    roleName,
    mode,
    ...(custom !== undefined ? { customRole: custom.name } : {}),
    trust: { kind: 'instance' },
    ownPolicy: legacy || hasPolicy(e),
    additional: spec.additionalPolicies.has(role) ? userStatements(spec.additionalPolicies.get(role)?.statements) : undefined,
    inline: [],
    attachments: [...(spec.externalPolicies.get(role)?.arns ?? [])].sort(),
    rows: legacy ? async () => legacyMatrix(role as 'master' | 'node' | 'bastion', spec) : () => strictRows(e, ctx.strict),
    matrix: legacy ? 'legacy' : 'strict',
  };
}

function serviceAccountSubject(
  ctx: SubjectContext,
  sa: { namespace: string; name: string; expectation?: Expectation; inline?: readonly UserStatement[]; arns?: readonly string[] },
): Subject {
  const e = sa.expectation ?? emptyExpectation();
  return {
    key: `sa:${sa.namespace}/${sa.name}`,
    roleName: serviceAccountRoleName(sa.namespace, sa.name, ctx.spec.name),
    mode: 'managed',
    trust: { kind: 'service-account', namespace: sa.namespace, name: sa.name, issuerUrl: ctx.settings.issuer.url },
    ownPolicy: sa.expectation !== undefined ? hasPolicy(e) : (sa.inline ?? []).length > 0,
    additional: undefined,
    inline: sa.inline ?? [],
    attachments: [...(sa.arns ?? [])].sort(),
    rows: () => strictRows(e, ctx.strict, sa.expectation === undefined),
    matrix: sa.expectation !== undefined ? 'strict' : 'none',
  };
}

/** Every subject the spec gives the cluster. */
export function expectedSubjects(ctx: SubjectContext): Subject[] {
  const addons = ctx.spec.generation.kind === 'strict' ? addonServiceAccounts(ctx.settings, ctx.zone) : [];
  return [
    ...instanceRoles(ctx).map((r) => instanceSubject(r, ctx)),
    ...addons.map((a) => serviceAccountSubject(ctx, { namespace: a.namespace, name: a.name, expectation: a.expectation })),
    ...ctx.spec.iam.serviceAccounts.map((s) =>
      serviceAccountSubject(ctx, { namespace: s.namespace, name: s.name, inline: userStatements(s.statements), arns: s.policyArns }),
    ),
  ];
}

/** The world of a cluster's requests. */
export function worldOf(spec: ClusterSpec): World {
  return { cluster: spec.name, partition: spec.partition.name, region: spec.region };
}
