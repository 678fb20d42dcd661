import { Report } from '../diagnostics/report';
import type { Partition } from '../cluster/partition';
import { closest } from '../util/edit-distance';
import type { ActionUse } from './iam-actions';
import { describeKind, type PolicyEntry, type PolicyNode } from './policy-tree';
import type { Matcher, Statement, Text, UserPolicyField } from './statement';
import { checkEffect, checkSid, readCondition, readResources, stringList } from './statement-values';

/** The keys an identity-policy statement may have (IAM's grammar, case-sensitive). */
export const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

/** What checking a list of statements found: the statements that passed and the actions to look up. */
export interface UserStatements {
  readonly statements: readonly Statement[];
  readonly actions: readonly ActionUse[];
}

/** Where the statements are written, for their origin and for partition checks. */
export interface StatementContext {
  readonly field: UserPolicyField;
  /** The cluster's partition; undefined when its region is unknown (reported): ARNs are then checked for shape only. */
  readonly partition: Partition | undefined;
}

/**
 * Checks user-written statements against IAM's grammar for identity policies and reads
 * them into the statement model. Nothing is dropped or rewritten: a statement either
 * passes whole (values as written, a single value or a list as written) or is reported.
 */
export function readUserStatements(list: PolicyNode, ctx: StatementContext, report: Report): UserStatements {
  const empty = { statements: [], actions: [] };
  if (list.kind === 'object' && list.entries.some((e) => e.key === 'Statement')) {
    const message =
      'expected a list of statements, found a whole policy document; write only its Statement list: [ {...}, {...} ] (kops-iam adds the ' +
      'Version)';
    report.error('KI306', list, message);
    return empty;
  }
  if (list.kind === 'object' && list.entries.some((e) => e.key === 'Effect' || e.key === 'Action')) {
    report.error('KI306', list, 'expected a list of statements, found a single statement; wrap it in [ ... ]');
    return empty;
  }
  if (list.kind !== 'array') {
    report.error(
      'KI306',
      list,
      `expected a list of IAM statements ([ {"Effect": ..., "Action": ..., "Resource": ...} ]), found ${describeKind(list)}`,
    );
    return empty;
  }
  const actions: ActionUse[] = [];
  const statements: Statement[] = [];
  const sids = new Map<string, string>();
  list.items.forEach((item, index) => {
    const statement = readStatement(item, index, ctx, { sids, actions }, report);
    if (statement !== undefined) statements.push(statement);
  });
  return { statements, actions };
}

interface Seen {
  readonly sids: Map<string, string>;
  readonly actions: ActionUse[];
}

function readStatement(node: PolicyNode, index: number, ctx: StatementContext, seen: Seen, report: Report): Statement | undefined {
  if (node.kind !== 'object') {
    report.error('KI307', node, `a statement must be an object with Effect, Action and Resource, found ${describeKind(node)}`);
    return undefined;
  }
  // Checked on a report of its own: a statement with any error is left out whole.
  const own = new Report();
  const { byKey, meant } = statementKeys(node, own);
  const sid = byKey.get('Sid');
  const sidText = sid === undefined ? undefined : checkSid(sid.value, seen.sids, own);
  const effectEntry = byKey.get('Effect');
  if (effectEntry === undefined && !meant.has('Effect')) own.error('KI311', node, 'missing Effect; add "Effect": "Allow" (or "Deny")');
  const effect = effectEntry === undefined ? undefined : checkEffect(effectEntry.value, own);
  const action = exactlyOne(node, byKey, 'Action', 'NotAction', meant, own);
  const actions = action === undefined ? [] : stringList(action, own);
  for (const a of actions) seen.actions.push({ action: a.value, pos: a.pos, path: a.path });
  const resource = exactlyOne(node, byKey, 'Resource', 'NotResource', meant, own);
  const resources = resource === undefined ? [] : readResources(resource, ctx.partition, own);
  const conditionEntry = byKey.get('Condition');
  const condition = conditionEntry === undefined ? undefined : readCondition(conditionEntry.value, own);
  report.merge(own);
  if (own.hasErrors || effect === undefined || action === undefined || resource === undefined) return undefined;
  return {
    ...(sidText !== undefined ? { sid: sidText } : {}),
    effect,
    action: matcher(
      action,
      actions.map((a) => a.value),
    ),
    resource: matcher(resource, resources),
    ...(condition !== undefined ? { condition } : {}),
    origin: { source: 'user', field: ctx.field, at: { pos: node.pos, path: node.path }, index },
  };
}

function matcher<T extends Text>(entry: PolicyEntry, values: readonly T[]): Matcher<T> {
  return { values, ...(entry.key.startsWith('Not') ? { not: true } : {}), ...(entry.value.kind === 'array' ? { list: true } : {}) };
}

/** The statement's keys by name (first of duplicates), reporting duplicates and keys IAM does not know. */
function statementKeys(node: PolicyNode & { kind: 'object' }, report: Report): { byKey: Map<string, PolicyEntry>; meant: Set<string> } {
  const byKey = new Map<string, PolicyEntry>();
  // Keys the user evidently meant (a misspelling was reported), so "missing X" is not said twice.
  const meant = new Set<string>();
  for (const e of node.entries) {
    if (byKey.has(e.key)) {
      report.error(
        'KI309',
        { pos: e.keyPos, path: e.value.path },
        `duplicate key '${e.key}' in a statement; JSON parsers would silently keep only the last one — merge them into one`,
      );
      continue;
    }
    byKey.set(e.key, e);
    if ((STATEMENT_KEYS as readonly string[]).includes(e.key)) continue;
    const message = unknownKeyMessage(e.key);
    if (message.meant !== undefined) meant.add(message.meant);
    report.error('KI308', { pos: e.keyPos, path: e.value.path }, message.text);
  }
  return { byKey, meant };
}

/** The message for a key IAM does not know, and which key it most likely stands for. */
function unknownKeyMessage(key: string): { text: string; meant?: string } {
  if (key === 'Principal' || key === 'NotPrincipal') {
    return {
      text:
        `${key} is not allowed here: an instance role's inline policy is an identity policy, whose principal is the role itself; ` +
        `remove ${key}`,
    };
  }
  if (key === 'Version' || key === 'Statement' || key === 'Id') {
    return {
      text: `'${key}' belongs to a policy document, not to a statement; kops-iam writes the document around your statements, so remove it`,
    };
  }
  const sameLetters = STATEMENT_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameLetters !== undefined)
    return { text: `unknown statement key '${key}'; IAM keys are case-sensitive: write '${sameLetters}'`, meant: sameLetters };
  const near = closest(key, STATEMENT_KEYS) ?? closest(key.replace(/s$/i, ''), STATEMENT_KEYS);
  if (near !== undefined) return { text: `unknown statement key '${key}'; did you mean '${near}'?`, meant: near };
  return { text: `unknown statement key '${key}'; a statement may have only ${STATEMENT_KEYS.join(', ')}` };
}

function exactlyOne(
  node: PolicyNode,
  byKey: Map<string, PolicyEntry>,
  a: string,
  notA: string,
  meant: ReadonlySet<string>,
  report: Report,
): PolicyEntry | undefined {
  const x = byKey.get(a);
  const y = byKey.get(notA);
  if (x !== undefined && y !== undefined) {
    report.error('KI312', { pos: y.keyPos, path: y.value.path }, `a statement has either ${a} or ${notA}, not both; remove one of them`);
    return undefined;
  }
  if (x === undefined && y === undefined) {
    if (!meant.has(a) && !meant.has(notA)) {
      const example = a === 'Action' ? '"Action": ["ec2:DescribeInstances"]' : '"Resource": ["*"]';
      report.error('KI312', node, `missing ${a}; a statement needs ${a} or ${notA}, e.g. ${example}`);
    }
    return undefined;
  }
  return x ?? y;
}
