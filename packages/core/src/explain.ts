import { expandAction, serviceActionCount } from './iam-actions';
import { resolveText, type Statement } from './policy';
import { terraformExpression, type IamPlan, type PlanInput } from './plan';
import type { RoleKind } from './roles';

/**
 * The permissions report of `kops-iam explain`: per cluster and role, what the role may do,
 * built from kops-iam's own plan. Plain data: `--format json` prints it as is, and
 * explain-markdown.ts renders it for people.
 */
export interface ExplainReport {
  readonly clusters: readonly ClusterExplain[];
}

/** One cluster: where it is, what Terraform must look up for it, and its roles. */
export interface ClusterExplain {
  readonly cluster: string;
  readonly region: string;
  readonly partition: string;
  /** Values Terraform resolves at plan time (hosted zone, KMS keys), described. */
  readonly inputs: readonly InputExplain[];
  readonly roles: readonly RoleExplain[];
}

/** A value the policies reference but only Terraform knows. */
export interface InputExplain {
  /** How the policies write it: `${data.aws_route53_zone.x.zone_id}`, `${var.hosted_zone_id}`. */
  readonly expression: string;
  readonly description: string;
}

/** Where a statement comes from: kops' own policy for the role, or the user's additionalPolicies. */
export type StatementSource = 'kops' | 'additionalPolicies';

/** One role: its names, and what it may do; an existing role (customPolicies) is not described. */
export interface RoleExplain {
  readonly role: RoleKind;
  /** `masters`, `nodes`, `bastions`. */
  readonly plural: string;
  readonly roleName: string;
  readonly instanceProfileName: string;
  /** False for an existing role reused through customPolicies: kops-iam neither creates nor changes it. */
  readonly managed: boolean;
  readonly existingRoleArn?: string;
  /** What the role may do per service, wildcards expanded. */
  readonly services: readonly ServiceExplain[];
  readonly statements: readonly StatementExplain[];
}

/** A service's share of a role's permissions. */
export interface ServiceExplain {
  /** The service prefix (`ec2`), or `*` for statements naming every action (`*`, NotAction). */
  readonly service: string;
  /** Actions some Allow statement grants (on some resource). */
  readonly allowed: number;
  /** Actions some Deny statement denies (on some resource). */
  readonly denied: number;
  /** Actions the service has in AWS's IAM data; 0 when unknown (or for `*`). */
  readonly total: number;
  /** Resources the allowing statements name, in order, without repeats. */
  readonly resources: readonly string[];
  readonly sources: readonly StatementSource[];
  /** Sids (or `#n` for user statements without one) of the statements behind this row. */
  readonly statements: readonly string[];
}

/** One statement of a role's policies. */
export interface StatementExplain {
  readonly source: StatementSource;
  /** The statement's Sid; for user statements without one, `#n` (1-based, in the additional policy). */
  readonly id: string;
  /** For kops' statements: the rule that produced it (`master`, `ecr`, `route53`, `kms`, `state-store`, …). */
  readonly origin?: string;
  readonly effect: 'Allow' | 'Deny';
  /** True for NotAction: the statement applies to every action except those listed. */
  readonly notAction: boolean;
  readonly actions: readonly ActionExplain[];
  /** True for NotResource. */
  readonly notResource: boolean;
  readonly resources: readonly string[];
  /** The Condition block, when there is one. */
  readonly condition?: unknown;
}

/** An action pattern and how many AWS actions it stands for. */
export interface ActionExplain {
  readonly pattern: string;
  /** AWS actions the pattern matches; `*` alone counts as every action of every service (-1). */
  readonly matches: number;
  /** Actions of the pattern's service; 0 for an unknown service or for `*`. */
  readonly serviceTotal: number;
}

/** Builds the report for planned clusters. Async: wildcards are expanded with AWS's IAM action data. */
export async function explainPlans(plans: readonly IamPlan[]): Promise<ExplainReport> {
  const clusters: ClusterExplain[] = [];
  for (const plan of plans) clusters.push(await explainPlan(plan));
  return { clusters };
}

async function explainPlan(plan: IamPlan): Promise<ClusterExplain> {
  const expression = (ref: Parameters<typeof terraformExpression>[1]) => terraformExpression(plan, ref);
  const roles: RoleExplain[] = [];
  for (const r of plan.roles) {
    const base = { role: r.role, plural: r.plural, roleName: r.roleName, instanceProfileName: r.instanceProfileName };
    if (r.custom !== undefined) {
      roles.push({ ...base, managed: false, existingRoleArn: r.custom.arn, services: [], statements: [] });
      continue;
    }
    const statements: StatementExplain[] = [];
    for (const s of r.policy?.statements ?? []) statements.push(await kopsStatement(s, expression));
    for (const [i, s] of (r.additional?.userStatements ?? []).entries()) statements.push(await userStatement(s, i));
    for (const s of r.additional?.statements ?? []) statements.push({ ...(await kopsStatement(s, expression)), source: 'additionalPolicies' });
    roles.push({ ...base, managed: true, services: await servicesOf(statements), statements });
  }
  return { cluster: plan.cluster, region: plan.region, partition: plan.partition.name, inputs: plan.inputs.map((i) => describeInput(plan, i)), roles };
}

function describeInput(plan: IamPlan, input: PlanInput): InputExplain {
  switch (input.kind) {
    case 'hosted-zone-variable':
      return { expression: terraformExpression(plan, { input: input.id, attribute: 'value' }), description: 'Terraform variable: the ID of the cluster\'s hosted zone (the spec sets no dnsZone)' };
    case 'hosted-zone-lookup':
      return {
        expression: terraformExpression(plan, { input: input.id, attribute: 'zone_id' }),
        description: `the ID of the ${input.private ? 'private' : 'public'} hosted zone named ${input.name}, looked up by Terraform`,
      };
    case 'kms-key-lookup':
      return { expression: terraformExpression(plan, { input: input.id, attribute: 'arn' }), description: `the ARN of KMS key ${input.keyId}, looked up by Terraform` };
    case 'kms-alias-lookup':
      return { expression: terraformExpression(plan, { input: input.id, attribute: 'target_key_arn' }), description: `the ARN of the KMS key behind ${input.alias}, looked up by Terraform` };
  }
}

async function kopsStatement(s: Statement, expression: (ref: { input: string; attribute: string }) => string): Promise<StatementExplain> {
  return {
    source: 'kops',
    id: s.sid,
    origin: s.origin,
    effect: s.effect,
    notAction: false,
    actions: await Promise.all(s.actions.map(explainAction)),
    notResource: false,
    resources: s.resources.map((r) => resolveText(r, expression)),
  };
}

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** A user statement as written (validated earlier: Effect, Action/NotAction, Resource/NotResource). */
async function userStatement(raw: unknown, index: number): Promise<StatementExplain> {
  const s = (raw ?? {}) as Record<string, unknown>;
  const notAction = s.Action === undefined && s.NotAction !== undefined;
  const notResource = s.Resource === undefined && s.NotResource !== undefined;
  const sid = typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : `#${index + 1}`;
  return {
    source: 'additionalPolicies',
    id: sid,
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    notAction,
    actions: await Promise.all(strings(notAction ? s.NotAction : s.Action).map(explainAction)),
    notResource,
    resources: strings(notResource ? s.NotResource : s.Resource),
    ...(s.Condition !== undefined ? { condition: s.Condition } : {}),
  };
}

async function explainAction(pattern: string): Promise<ActionExplain> {
  if (pattern === '*') return { pattern, matches: -1, serviceTotal: 0 };
  const service = pattern.split(':')[0]?.toLowerCase() ?? '';
  const matches = /[*?]/.test(pattern) ? (await expandAction(pattern)).length : 1;
  return { pattern, matches, serviceTotal: await serviceActionCount(service) };
}

/** Per service: the actions allowed and denied by the role's statements, their resources and sources. */
async function servicesOf(statements: readonly StatementExplain[]): Promise<ServiceExplain[]> {
  interface Acc {
    allowed: Set<string>;
    denied: Set<string>;
    resources: string[];
    sources: Set<StatementSource>;
    statements: string[];
  }
  const byService = new Map<string, Acc>();
  const acc = (service: string): Acc => {
    let a = byService.get(service);
    if (a === undefined) {
      a = { allowed: new Set(), denied: new Set(), resources: [], sources: new Set(), statements: [] };
      byService.set(service, a);
    }
    return a;
  };
  for (const s of statements) {
    // NotAction and `*` reach every service: one `*` row says so instead of guessing a list.
    const groups = s.notAction || s.actions.some((a) => a.pattern === '*') ? [['*', ['*']] as const] : groupByService(s.actions.map((a) => a.pattern));
    for (const [service, patterns] of groups) {
      const a = acc(service);
      const names = service === '*' ? ['*'] : (await Promise.all(patterns.map(expandOrKeep))).flat();
      for (const n of names) (s.effect === 'Allow' ? a.allowed : a.denied).add(n.toLowerCase());
      if (s.effect === 'Allow') for (const r of s.notResource ? s.resources.map((x) => `not ${x}`) : s.resources) if (!a.resources.includes(r)) a.resources.push(r);
      a.sources.add(s.source);
      if (!a.statements.includes(s.id)) a.statements.push(s.id);
    }
  }
  const out: ServiceExplain[] = [];
  for (const [service, a] of byService) {
    out.push({
      service,
      allowed: a.allowed.size,
      denied: a.denied.size,
      total: service === '*' ? 0 : await serviceActionCount(service),
      resources: a.resources,
      sources: [...a.sources].sort(),
      statements: a.statements,
    });
  }
  return out.sort((x, y) => (x.service < y.service ? -1 : x.service > y.service ? 1 : 0));
}

function groupByService(patterns: readonly string[]): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const p of patterns) {
    const service = p.split(':')[0]?.toLowerCase() ?? '';
    out.set(service, [...(out.get(service) ?? []), p]);
  }
  return [...out];
}

/** The AWS actions a pattern names; a plain action unknown to the data counts as itself. */
async function expandOrKeep(pattern: string): Promise<string[]> {
  if (!/[*?]/.test(pattern)) return [pattern];
  return expandAction(pattern);
}
