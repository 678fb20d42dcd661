import { isRecord, listOf } from './facts';
import { normalise, type NormContext, type Side } from './normalise';

/**
 * Policies as sets of comparable tuples: a statement's Sid, the grouping of statements,
 * their order, the order of values and the case of action names do not matter; wildcards
 * are taken literally (`ec2:*` is the tuple `ec2:*`, not every ec2 action).
 */

/** One (Effect, Action, Resource, Condition) tuple of an inline policy. */
export interface Grant {
  readonly effect: string;
  /** Lower-cased; `NOT x` for a NotAction. */
  readonly action: string;
  /** Normalised; `NOT x` for a NotResource. */
  readonly resource: string;
  /** The canonical condition text (with ` principal=…` for a statement with a Principal); '' for none. */
  readonly condition: string;
}

/** A canonical, order-free text of a Condition block: operators and keys sorted, keys lower-cased, values sorted. */
export function conditionText(condition: unknown, ctx: NormContext, side: Side): string {
  if (!isRecord(condition) || Object.keys(condition).length === 0) return '';
  const operators = Object.keys(condition).sort();
  return JSON.stringify(
    operators.map((op) => {
      const block = condition[op];
      const entries = Object.entries(isRecord(block) ? block : {}).map(
        ([key, values]) =>
          [
            normalise(key, ctx, side).toLowerCase(),
            listOf(values)
              .map((v) => normalise(String(v), ctx, side))
              .sort(),
          ] as const,
      );
      return [op, entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))];
    }),
  );
}

/** A canonical text of a Principal: `Type:value` pairs, sorted. */
export function principalText(principal: unknown, ctx: NormContext, side: Side): string {
  if (typeof principal === 'string') return normalise(principal, ctx, side);
  if (!isRecord(principal)) return '';
  return Object.keys(principal)
    .flatMap((type) => listOf(principal[type]).map((v) => `${type}:${normalise(String(v), ctx, side)}`))
    .sort()
    .join(',');
}

function statementsOf(doc: unknown): Record<string, unknown>[] {
  return isRecord(doc) ? listOf(doc.Statement).filter(isRecord) : [];
}

function actionsOf(st: Record<string, unknown>): string[] {
  const actions =
    st.Action !== undefined
      ? listOf(st.Action).map((a) => String(a).toLowerCase())
      : listOf(st.NotAction).map((a) => `NOT ${String(a).toLowerCase()}`);
  return actions.length > 0 ? actions : ['(none)'];
}

function resourcesOf(st: Record<string, unknown>, ctx: NormContext, side: Side): string[] {
  if (st.Resource !== undefined) return listOf(st.Resource).map((r) => normalise(String(r), ctx, side));
  if (st.NotResource !== undefined) return listOf(st.NotResource).map((r) => `NOT ${normalise(String(r), ctx, side)}`);
  return ['(none)'];
}

/** The key a grant is compared by. */
export function grantKey(g: Grant): string {
  return JSON.stringify([g.effect, g.action, g.resource, g.condition]);
}

/** Adds every grant tuple of a policy document to `into` (by key). */
export function addGrants(doc: unknown, ctx: NormContext, side: Side, into: Map<string, Grant>): void {
  for (const st of statementsOf(doc)) {
    const effect = typeof st.Effect === 'string' ? st.Effect : '(none)';
    let condition = conditionText(st.Condition, ctx, side);
    const principal = st.Principal ?? st.NotPrincipal;
    if (principal !== undefined) condition += ` principal=${principalText(principal, ctx, side)}`;
    for (const action of actionsOf(st)) {
      for (const resource of resourcesOf(st, ctx, side)) {
        const g = { effect, action, resource, condition };
        into.set(grantKey(g), g);
      }
    }
  }
}

/** A trust policy as a set of `Effect action principal [if condition]` lines. */
export function trustLines(doc: unknown, ctx: NormContext, side: Side): Set<string> {
  const lines = new Set<string>();
  for (const st of statementsOf(doc)) {
    const principal = principalText(st.Principal ?? st.NotPrincipal, ctx, side);
    const condition = conditionText(st.Condition, ctx, side);
    for (const action of listOf(st.Action ?? st.NotAction)) {
      const suffix = condition === '' ? '' : ` if ${readableCondition(condition)}`;
      lines.add(`${String(st.Effect)} ${String(action).toLowerCase()} ${principal}${suffix}`);
    }
  }
  return lines;
}

/** A canonical condition as people read it: `StringEquals{key=value|value, …}`. */
export function readableCondition(condition: string): string {
  const [block = '', principal] = condition.split(' principal=');
  let text = block;
  try {
    const ops = (block === '' ? [] : JSON.parse(block)) as [string, [string, string[]][]][];
    text = ops.map(([op, entries]) => `${op}{${entries.map(([k, v]) => `${k}=${v.join('|')}`).join(', ')}}`).join(' ');
  } catch {
    // not canonical JSON: shown as it is
  }
  return principal === undefined ? text : `${text} principal=${principal}`.trim();
}

/** Tuples grouped for reading: one line per (Effect, Resource, Condition) with its actions. */
export function grantLines(grants: readonly Grant[]): string[] {
  const groups = new Map<string, string[]>();
  for (const g of grants) {
    const key = `${g.effect} ${g.resource}${g.condition === '' ? '' : ` if ${readableCondition(g.condition)}`}`;
    groups.set(key, [...(groups.get(key) ?? []), g.action]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, actions]) => `${key}: ${actions.sort().join(' ')}`);
}
