import { rolePlural } from '../cluster/roles';
import { expandAction, serviceActionCount } from '../policy/iam-actions';
import type { ConditionBlock, Ref, Statement, Text } from '../policy/statement';
import type { IamPlan, ManagedRole, RolePlan } from '../plan/plan';
import { planRefs } from '../plan/plan-refs';
import { describeRef } from './refs';
import { servicesOf } from './services';

/**
 * The permissions report of `kops-iam explain`: per cluster and role, what the role may
 * do, built from kops-iam's own plan. Plain data: `--format json` prints it as is, and
 * markdown.ts renders it for people. References are spelled by the caller (the app
 * knows how Terraform writes them).
 */
export interface ExplainReport {
  readonly clusters: readonly ClusterExplain[];
}

/** One cluster: where it is, which IAM generation it gets and why, what Terraform must look up, and its roles. */
export interface ClusterExplain {
  readonly cluster: string;
  readonly region: string;
  readonly partition: string;
  readonly generation: { readonly kind: 'legacy' | 'strict'; readonly reason: string };
  /** Values Terraform resolves at plan time (hosted zone, KMS keys, OIDC provider, account), described. */
  readonly inputs: readonly InputExplain[];
  readonly roles: readonly RoleExplain[];
}

/** A value the policies reference but only Terraform knows. */
export interface InputExplain {
  /** How the policies write it, e.g. `${data.aws_route53_zone.x.zone_id}`. */
  readonly expression: string;
  readonly description: string;
}

/** Where a statement comes from: kops' own policy for the role, or a user's policy field. */
export type StatementSource = 'kops' | 'additionalPolicies' | 'serviceAccountExternalPermissions';

/** One role: whom it is for, its names, and what it may do; an existing role is not described. */
export interface RoleExplain {
  /** `masters`, `nodes`, … for instance roles; `service account <ns>/<name>` for service accounts. */
  readonly plural: string;
  readonly roleName: string;
  /** The instance profile (instance roles); empty for service accounts. */
  readonly instanceProfileName: string;
  /** False for an existing role or instance profile: kops-iam neither creates nor changes it. */
  readonly managed: boolean;
  readonly existing?: { readonly kind: 'role' | 'instance-profile'; readonly arn: string };
  /** Managed policies attached to the role (their permissions are AWS's or the account's). */
  readonly attachments: readonly string[];
  readonly permissionsBoundary?: string;
  /** Who may assume the role. */
  readonly trust: readonly StatementExplain[];
  /** What the role may do per service, wildcards expanded. */
  readonly services: readonly ServiceExplain[];
  readonly statements: readonly StatementExplain[];
}

/** A service's share of a role's permissions. */
export interface ServiceExplain {
  /** The service prefix (`ec2`), or `*` for statements naming every action (`*`, NotAction). */
  readonly service: string;
  readonly allowed: number;
  readonly denied: number;
  /** Actions the service has in AWS's IAM data; 0 when unknown (or for `*`). */
  readonly total: number;
  /** Resources the allowing statements name, in order, without repeats. */
  readonly resources: readonly string[];
  readonly sources: readonly StatementSource[];
  /** Ids of the statements behind this row. */
  readonly statements: readonly string[];
}

/** One statement of a role's policies. */
export interface StatementExplain {
  readonly source: StatementSource;
  /** The statement's Sid; else `#n`, its place (1-based) in its policy. */
  readonly id: string;
  /** For kops' statements: the feature that adds it (`etcd-manager`, `ebs-csi-driver`, `route53`, …). */
  readonly origin?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly notAction: boolean;
  readonly actions: readonly ActionExplain[];
  readonly notResource: boolean;
  readonly resources: readonly string[];
  /** Who the statement lets in (trust policies). */
  readonly principal?: string;
  /** The Condition block as IAM JSON. */
  readonly condition?: unknown;
  /** The conditions, one readable line each: `StringEquals aws:ResourceTag/KubernetesCluster = c`. */
  readonly conditions?: readonly string[];
}

/** An action pattern and how many AWS actions it stands for. */
export interface ActionExplain {
  readonly pattern: string;
  /** AWS actions the pattern matches; `*` alone counts as every action of every service (-1). */
  readonly matches: number;
  /** Actions of the pattern's service; 0 for an unknown service or for `*`. */
  readonly serviceTotal: number;
}

/** How an engine writes the references of a plan (Terraform: `${data.aws_route53_zone.x.zone_id}`). */
export type RefSpeller = (plan: IamPlan) => (ref: Ref) => string;

/** Builds the report for planned clusters. Async: wildcards are expanded with AWS's IAM data. */
export async function explainPlans(plans: readonly IamPlan[], spellFor: RefSpeller): Promise<ExplainReport> {
  const clusters: ClusterExplain[] = [];
  for (const plan of plans) clusters.push(await explainPlan(plan, spellFor(plan)));
  return { clusters };
}

/** One cluster's part of the report. */
export async function explainPlan(plan: IamPlan, spell: (ref: Ref) => string): Promise<ClusterExplain> {
  const roles: RoleExplain[] = [];
  for (const r of plan.roles) roles.push(await explainRole(r, spell));
  return {
    cluster: plan.cluster,
    region: plan.region,
    partition: plan.partition.name,
    generation: plan.generation,
    inputs: planRefs(plan).map((ref) => ({ expression: spell(ref), description: describeRef(plan, ref) })),
    roles,
  };
}

async function explainRole(r: RolePlan, spell: (ref: Ref) => string): Promise<RoleExplain> {
  const subject = r.subject;
  const plural = subject.kind === 'instance' ? rolePlural(subject.role) : `service account ${subject.namespace}/${subject.name}`;
  if (r.type === 'existing') {
    const e = r.existing;
    const names =
      e.kind === 'role'
        ? { roleName: e.roleName, instanceProfileName: e.instanceProfileName, arn: e.roleArn }
        : { roleName: '', instanceProfileName: e.profileName, arn: e.profileArn };
    return {
      plural,
      roleName: names.roleName,
      instanceProfileName: names.instanceProfileName,
      managed: false,
      existing: { kind: e.kind, arn: names.arn },
      attachments: [],
      trust: [],
      services: [],
      statements: [],
    };
  }
  const statements: StatementExplain[] = [];
  for (const p of r.policies) for (const [i, s] of p.document.statements.entries()) statements.push(await explainStatement(s, i, spell));
  const trust: StatementExplain[] = [];
  for (const [i, s] of r.trust.statements.entries()) trust.push(await explainStatement(s, i, spell));
  return {
    plural,
    roleName: r.roleName,
    instanceProfileName: r.instanceProfile?.name ?? '',
    managed: true,
    attachments: r.attachments.map((a) => a.arn),
    ...boundaryOf(r),
    trust,
    services: await servicesOf(statements),
    statements,
  };
}

function boundaryOf(r: ManagedRole): { permissionsBoundary?: string } {
  return r.permissionsBoundary === undefined ? {} : { permissionsBoundary: r.permissionsBoundary };
}

async function explainStatement(s: Statement, index: number, spell: (ref: Ref) => string): Promise<StatementExplain> {
  const text = (t: Text) => (typeof t === 'string' ? t : t.map((p) => (typeof p === 'string' ? p : spell(p))).join(''));
  const source: StatementSource = s.origin.source === 'kops' ? 'kops' : s.origin.field;
  const principal =
    s.principal === undefined
      ? undefined
      : s.principal.kind === 'service'
        ? `service ${s.principal.services.join(', ')}`
        : `federated ${text(s.principal.provider)}`;
  return {
    source,
    id: s.sid !== undefined && s.sid !== '' ? s.sid : `#${index + 1}`,
    ...(s.origin.source === 'kops' ? { origin: s.origin.rule } : {}),
    effect: s.effect,
    notAction: s.action.not === true,
    actions: await Promise.all(s.action.values.map(explainAction)),
    notResource: s.resource?.not === true,
    resources: (s.resource?.values ?? []).map(text),
    ...(principal !== undefined ? { principal } : {}),
    ...(s.condition !== undefined ? { condition: conditionJson(s.condition), conditions: s.condition.map(conditionText) } : {}),
  };
}

/** The Condition block as IAM JSON data, keys in the order written. */
function conditionJson(blocks: readonly ConditionBlock[]): Record<string, Record<string, unknown>> {
  const value = (v: ConditionBlock['entries'][number]['values'][number]) => (typeof v === 'object' ? Number(v.number) : v);
  return Object.fromEntries(
    blocks.map((b) => [
      b.operator,
      Object.fromEntries(b.entries.map((e) => [e.key, e.list ? e.values.map(value) : value(e.values[0] as never)])),
    ]),
  );
}

/** A condition operator as one line: `StringEquals aws:ResourceTag/KubernetesCluster = c; ec2:CreateAction in (A, B)`. */
function conditionText(block: ConditionBlock): string {
  const value = (v: ConditionBlock['entries'][number]['values'][number]) =>
    typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : v.number;
  const entries = block.entries.map((e) =>
    e.values.length === 1 ? `${e.key} = ${value(e.values[0] as never)}` : `${e.key} in (${e.values.map(value).join(', ')})`,
  );
  return `${block.operator} ${entries.join('; ')}`;
}

async function explainAction(pattern: string): Promise<ActionExplain> {
  if (pattern === '*') return { pattern, matches: -1, serviceTotal: 0 };
  const service = pattern.split(':')[0]?.toLowerCase() ?? '';
  const matches = /[*?]/.test(pattern) ? (await expandAction(pattern)).length : 1;
  return { pattern, matches, serviceTotal: await serviceActionCount(service) };
}
