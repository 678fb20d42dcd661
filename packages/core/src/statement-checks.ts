import { isConditionOperator, suggestConditionOperator } from './condition-operators';
import type { Diagnostics } from './diagnostics';
import type { ActionUse } from './iam-actions';
import type { Partition } from './partition';
import { describeKind, type PolicyEntry, type PolicyNode } from './policy-tree';

/** The keys an identity-policy statement may have (IAM's grammar, case-sensitive). */
export const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

/** What checking a list of statements found: the statements that passed and the actions to look up. */
export interface CheckedStatements {
  readonly statements: readonly PolicyNode[];
  readonly actions: readonly ActionUse[];
}

/**
 * Checks the shape of user-written statements against IAM's policy grammar. Nothing is
 * dropped or rewritten: a statement either passes whole or is reported.
 */
export function checkStatements(list: PolicyNode, partition: Partition, diagnostics: Diagnostics): CheckedStatements {
  if (list.kind === 'object' && list.entries.some((e) => e.key === 'Statement')) {
    diagnostics.error(list.pos, list.path, 'expected a list of statements, found a whole policy document; write only its Statement list: [ {...}, {...} ]');
    return { statements: [], actions: [] };
  }
  if (list.kind !== 'array') {
    diagnostics.error(list.pos, list.path, `expected a list of IAM statements ([ {"Effect": ..., "Action": ..., "Resource": ...} ]), found ${describeKind(list)}`);
    return { statements: [], actions: [] };
  }
  const actions: ActionUse[] = [];
  const statements: PolicyNode[] = [];
  const sids = new Map<string, string>();
  for (const item of list.items) {
    const before = diagnostics.errorCount;
    checkStatement(item, partition, sids, actions, diagnostics);
    if (diagnostics.errorCount === before) statements.push(item);
  }
  return { statements, actions };
}

function checkStatement(stmt: PolicyNode, partition: Partition, sids: Map<string, string>, actions: ActionUse[], diagnostics: Diagnostics): void {
  if (stmt.kind !== 'object') {
    diagnostics.error(stmt.pos, stmt.path, `a statement must be an object with Effect, Action and Resource, found ${describeKind(stmt)}`);
    return;
  }
  const byKey = new Map<string, PolicyEntry>();
  for (const e of stmt.entries) {
    if (byKey.has(e.key)) {
      diagnostics.error(e.keyPos, e.value.path, `duplicate key '${e.key}' in a statement; JSON parsers would silently keep only one`);
      continue;
    }
    byKey.set(e.key, e);
    if ((STATEMENT_KEYS as readonly string[]).includes(e.key)) continue;
    if (e.key === 'Principal' || e.key === 'NotPrincipal') {
      diagnostics.error(e.keyPos, e.value.path, `${e.key} is not allowed: an instance role's inline policy is an identity policy, whose principal is the role itself`);
      continue;
    }
    const fix = STATEMENT_KEYS.find((k) => k.toLowerCase() === e.key.toLowerCase());
    const hint = fix !== undefined ? `IAM keys are case-sensitive: write '${fix}'` : `a statement may have ${STATEMENT_KEYS.join(', ')}`;
    diagnostics.error(e.keyPos, e.value.path, `unknown statement key '${e.key}'; ${hint}`);
  }

  const sid = byKey.get('Sid');
  if (sid !== undefined) {
    const v = sid.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'string') diagnostics.error(v.pos, v.path, `Sid must be a string, found ${describeKind(v)}`);
    else if (!/^[A-Za-z0-9]*$/.test(v.value)) diagnostics.error(v.pos, v.path, `Sid '${v.value}' may hold only ASCII letters and digits (A-Z, a-z, 0-9)`);
    else if (v.value !== '' && sids.has(v.value)) diagnostics.error(v.pos, v.path, `Sid '${v.value}' is used twice in this policy (first at ${sids.get(v.value)}); Sids must be unique`);
    else sids.set(v.value, v.path);
  }

  const effect = byKey.get('Effect');
  if (effect === undefined) diagnostics.error(stmt.pos, stmt.path, "missing Effect; add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"");
  else {
    const v = effect.value;
    const text = v.kind === 'scalar' ? v.value : undefined;
    if (text !== 'Allow' && text !== 'Deny') {
      const hint = typeof text === 'string' && /^(allow|deny)$/i.test(text) ? ` (IAM is case-sensitive here: '${text[0]?.toUpperCase()}${text.slice(1).toLowerCase()}')` : '';
      diagnostics.error(v.pos, v.path, `Effect must be "Allow" or "Deny", found ${v.kind === 'scalar' ? JSON.stringify(v.value) : describeKind(v)}${hint}`);
    }
  }

  const action = exactlyOne(stmt, byKey, 'Action', 'NotAction', diagnostics);
  if (action !== undefined) {
    for (const s of stringList(action, diagnostics)) actions.push({ action: s.value, pos: s.pos, path: s.path });
  }
  const resource = exactlyOne(stmt, byKey, 'Resource', 'NotResource', diagnostics);
  if (resource !== undefined) {
    for (const s of stringList(resource, diagnostics)) checkResource(s, partition, diagnostics);
  }
  const condition = byKey.get('Condition');
  if (condition !== undefined) checkCondition(condition.value, diagnostics);
}

function exactlyOne(stmt: PolicyNode, byKey: Map<string, PolicyEntry>, a: string, notA: string, diagnostics: Diagnostics): PolicyEntry | undefined {
  const x = byKey.get(a);
  const y = byKey.get(notA);
  if (x !== undefined && y !== undefined) {
    diagnostics.error(y.keyPos, y.value.path, `a statement has either ${a} or ${notA}, not both`);
    return undefined;
  }
  if (x === undefined && y === undefined) {
    diagnostics.error(stmt.pos, stmt.path, `missing ${a}; a statement needs ${a} or ${notA}`);
    return undefined;
  }
  return x ?? y;
}

interface StringAt {
  readonly value: string;
  readonly pos: PolicyNode['pos'];
  readonly path: string;
}

/** A non-empty string, or a non-empty list of non-empty strings, as Action and Resource take. */
function stringList(entry: PolicyEntry, diagnostics: Diagnostics): StringAt[] {
  const v = entry.value;
  const one = (n: PolicyNode): StringAt | undefined => {
    if (n.kind === 'scalar' && typeof n.value === 'string' && n.value.trim() !== '') return { value: n.value, pos: n.pos, path: n.path };
    diagnostics.error(n.pos, n.path, `${entry.key} must be a non-empty string, found ${n.kind === 'scalar' && n.value === '' ? 'an empty string' : describeKind(n)}`);
    return undefined;
  };
  if (v.kind === 'array') {
    if (v.items.length === 0) {
      diagnostics.error(v.pos, v.path, `${entry.key} must not be an empty list`);
      return [];
    }
    return v.items.map(one).filter((s): s is StringAt => s !== undefined);
  }
  const s = one(v);
  return s === undefined ? [] : [s];
}

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)$/;

function checkResource(s: StringAt, partition: Partition, diagnostics: Diagnostics): void {
  if (s.value === '*') return;
  const m = ARN.exec(s.value);
  if (m === null) {
    diagnostics.error(s.pos, s.path, `'${s.value}' is not a resource ARN; write "*" or arn:${partition.name}:<service>:<region>:<account>:<resource>`);
    return;
  }
  const arnPartition = m[1] ?? '';
  if (!/[*?]/.test(arnPartition) && arnPartition !== partition.name) {
    diagnostics.error(s.pos, s.path, `ARN partition '${arnPartition}' does not match the cluster's partition '${partition.name}'; write arn:${partition.name}:…`);
  }
  if (m[2] === '') diagnostics.error(s.pos, s.path, `ARN '${s.value}' has no service`);
}

function checkCondition(node: PolicyNode, diagnostics: Diagnostics): void {
  if (node.kind !== 'object') {
    diagnostics.error(node.pos, node.path, `Condition must be a map of operator to {key: value}, found ${describeKind(node)}`);
    return;
  }
  if (node.entries.length === 0) diagnostics.error(node.pos, node.path, 'Condition must not be empty; remove it or add an operator');
  for (const op of node.entries) {
    if (!isConditionOperator(op.key)) {
      const guess = suggestConditionOperator(op.key);
      diagnostics.error(op.keyPos, op.value.path, `unknown condition operator '${op.key}'${guess !== undefined ? `; did you mean '${guess}'?` : ''}`);
    }
    const v = op.value;
    if (v.kind !== 'object' || v.entries.length === 0) {
      diagnostics.error(v.pos, v.path, `condition operator '${op.key}' must map condition keys to values, e.g. {"aws:RequestedRegion": "eu-central-1"}`);
      continue;
    }
    for (const key of v.entries) {
      const value = key.value;
      const scalarOk = (n: PolicyNode) => n.kind === 'scalar' && n.value !== null;
      const ok = scalarOk(value) || (value.kind === 'array' && value.items.length > 0 && value.items.every(scalarOk));
      if (!ok) diagnostics.error(value.pos, value.path, `condition values must be a string, number, boolean or a non-empty list of them, found ${describeKind(value)}`);
    }
  }
}
