import { expandAction, type Statement, type Text } from '@kops-iam/core';
import type { Decision, IamRequest } from './simulate';
import { TEST_BOUNDARY_ACTIONS } from './test-world';

/** A user statement from additionalPolicies, as plain IAM JSON data. */
export type UserStatement = Readonly<Record<string, unknown>>;

/** Whether a statement applies to a request: known yes/no, or unknown (conditions, policy variables). */
type Match = 'yes' | 'no' | 'unknown';

function text(t: Text): string {
  return typeof t === 'string' ? t : t.map((part) => (typeof part === 'string' ? part : `\${${part.kind}}`)).join('');
}

/**
 * A statement of additionalPolicies or of a service account's inline policy, as IAM JSON
 * data, from the checked statement the spec was read into (not from the rendered policy).
 * A reference (`${...}`) or a condition makes the statement's reach depend on context.
 */
export function statementJson(st: Statement): UserStatement {
  const out: Record<string, unknown> = { Effect: st.effect, [st.action.not === true ? 'NotAction' : 'Action']: [...st.action.values] };
  if (st.resource !== undefined) out[st.resource.not === true ? 'NotResource' : 'Resource'] = st.resource.values.map(text);
  if (st.condition !== undefined && st.condition.length > 0) out.Condition = st.condition;
  return out;
}

/** The statements of a user policy, as IAM JSON data. */
export function userStatements(statements: readonly Statement[] | undefined): UserStatement[] {
  return (statements ?? []).map(statementJson);
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

const patterns = new Map<string, RegExp>();

function wildcard(pattern: string, flags: string): RegExp {
  const key = `${flags} ${pattern}`;
  let re = patterns.get(key);
  if (re === undefined) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      flags,
    );
    patterns.set(key, re);
  }
  return re;
}

/** IAM action matching: wildcards, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || wildcard(pattern, 'i').test(action);
}

/** IAM resource matching: wildcards within each of the ARN's colon-separated parts, case-sensitive. */
function resourceMatches(pattern: string, resource: string): Match {
  if (pattern === '*') return 'yes';
  if (pattern.includes('${')) return 'unknown';
  const p = pattern.split(':');
  const r = resource.split(':');
  if (p.length < 6 || r.length < 6) return pattern === resource ? 'yes' : 'no';
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const ph = head(p);
  const rh = head(r);
  return ph.every((seg, i) => wildcard(seg, '').test(rh[i] ?? '')) ? 'yes' : 'no';
}

/** Whether a user statement applies to a request. */
export function statementMatches(st: UserStatement, req: IamRequest): Match {
  const actionHit =
    st.Action !== undefined
      ? list(st.Action).some((a) => actionMatches(a, req.action))
      : !list(st.NotAction).some((a) => actionMatches(a, req.action));
  if (!actionHit) return 'no';
  let resourceHit: Match;
  if (st.Resource !== undefined) {
    const hits = list(st.Resource).map((r) => resourceMatches(r, req.resource));
    resourceHit = hits.includes('yes') ? 'yes' : hits.includes('unknown') ? 'unknown' : 'no';
  } else {
    const hits = list(st.NotResource).map((r) => resourceMatches(r, req.resource));
    resourceHit = hits.includes('yes') ? 'no' : hits.includes('unknown') ? 'unknown' : 'yes';
  }
  if (resourceHit === 'no') return 'no';
  if (st.Condition !== undefined) return 'unknown';
  return resourceHit;
}

/**
 * What a request gets once the user's statements are added to a role whose own policy
 * answers `base`: any matching Deny wins, else a matching Allow grants, else `base`.
 * Undefined when a statement's effect on the request cannot be known without context.
 */
export function withUserStatements(base: Decision, statements: readonly UserStatement[], req: IamRequest): Decision | undefined {
  const matches = statements.map((s) => ({ effect: s.Effect, m: statementMatches(s, req) }));
  if (matches.some((x) => x.effect === 'Deny' && x.m === 'yes')) return 'ExplicitlyDenied';
  if (matches.some((x) => x.effect === 'Deny' && x.m === 'unknown')) return undefined;
  if (base !== 'ImplicitlyDenied') return base;
  if (matches.some((x) => x.effect === 'Allow' && x.m === 'yes')) return 'Allowed';
  if (matches.some((x) => x.effect === 'Allow' && x.m === 'unknown')) return undefined;
  return base;
}

/**
 * What a permissions boundary leaves of a decision: an Allow only for actions the boundary
 * allows too (the test world's boundaries allow TEST_BOUNDARY_ACTIONS on any resource).
 */
export function cappedByBoundary(decision: Decision, action: string, bounded: boolean): Decision {
  if (!bounded || decision !== 'Allowed') return decision;
  return TEST_BOUNDARY_ACTIONS.some((pattern) => actionMatches(pattern, action)) ? decision : 'ImplicitlyDenied';
}

/** Concrete actions for an action pattern: itself, or the first and last AWS action it matches. */
async function concreteActions(pattern: string): Promise<string[]> {
  if (pattern === '*') return ['ec2:DescribeRegions', 'sqs:ListQueues'];
  const expanded = await expandAction(pattern);
  if (!/[*?]/.test(pattern)) return [expanded[0] ?? pattern];
  return [...new Set([expanded[0], expanded[expanded.length - 1]].filter((a): a is string => a !== undefined))];
}

/** A concrete resource for a resource pattern; undefined for policy variables, which need a request context. */
function concreteResource(pattern: string): string | undefined {
  if (pattern === '*') return '*';
  if (pattern.includes('${')) return undefined;
  return pattern.replace(/\*/g, 'kopsiamtest').replace(/\?/g, 'x');
}

/** A request to try, with why it is asked. */
export interface Probe {
  readonly request: IamRequest;
  readonly why: string;
}

/**
 * Requests that test an additional policy: each statement's own actions on its own
 * resources (granted, or denied when a Deny covers them), and neighbours it must not
 * change: an action of the same service it does not name, a resource next to the one it
 * names. Statements with NotAction give no own-action probes (there is no action list to
 * draw from); the neighbours still hold.
 */
export async function additionalProbes(statements: readonly UserStatement[]): Promise<Probe[][]> {
  const out: Probe[][] = [];
  for (const [i, st] of statements.entries()) {
    const probes: Probe[] = [];
    const resources = (st.Resource !== undefined ? list(st.Resource) : ['*'])
      .map(concreteResource)
      .filter((r): r is string => r !== undefined);
    const actions = st.Action !== undefined ? (await Promise.all(list(st.Action).map(concreteActions))).flat() : [];
    for (const action of actions.slice(0, 4)) {
      for (const resource of resources.slice(0, 3))
        probes.push({ request: { action, resource }, why: `statement ${i} (${String(st.Effect)}) names it` });
    }
    const services = [
      ...new Set(
        list(st.Action)
          .map((a) => a.split(':')[0]?.toLowerCase())
          .filter((s): s is string => s !== undefined && s !== '*'),
      ),
    ];
    for (const service of services.slice(0, 2)) {
      const all = await expandAction(`${service}:*`);
      const unnamed = all.filter((a) =>
        statements.every((s) => statementMatches(s, { action: a, resource: resources[0] ?? '*' }) === 'no'),
      );
      for (const action of unnamed.slice(0, 3))
        probes.push({
          request: { action, resource: resources[0] ?? '*' },
          why: `statement ${i}: a ${service} action no user statement names`,
        });
    }
    const specific = list(st.Resource).find((r) => r !== '*' && !r.includes('${'));
    const resource = specific !== undefined ? concreteResource(specific) : undefined;
    if (resource !== undefined && actions[0] !== undefined) {
      const sibling = `${resource}-sibling`;
      if (statements.every((s) => statementMatches(s, { action: actions[0] as string, resource: sibling }) === 'no')) {
        probes.push({ request: { action: actions[0], resource: sibling }, why: `statement ${i}: a resource next to the one it names` });
      }
    }
    out.push(probes);
  }
  return out;
}
