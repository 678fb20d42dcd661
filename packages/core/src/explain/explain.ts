import { rolePlural } from '../cluster/roles';
import { expandAction, serviceActionCount } from '../policy/iam-actions';
import type { ConditionBlock, Ref, Statement, Text } from '../policy/statement';
import type { IamPlan, ManagedRole, RolePlan } from '../plan/plan';
import { planRefs } from '../plan/plan-refs';
import { describeRef } from './refs';
import { servicesOf } from './services';
import type { ActionExplain, ClusterExplain, ExplainReport, RoleExplain, StatementExplain, StatementSource } from './report';

export type * from './report';

/** How an engine writes the references of a plan (for Terraform: its expressions, made in the app). */
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
    ...(s.condition !== undefined ? { conditions: s.condition.map(conditionText) } : {}),
  };
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
