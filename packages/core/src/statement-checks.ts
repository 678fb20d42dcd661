import { isConditionOperator, suggestConditionOperator } from './condition-operators';
import type { Diagnostics } from './diagnostics';
import { closest } from './edit-distance';
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
 * dropped or rewritten: a statement either passes whole or is reported. Without a
 * partition (the cluster's region is unknown, already reported) Resource ARNs are
 * checked for shape only.
 */
export function checkStatements(list: PolicyNode, partition: Partition | undefined, diagnostics: Diagnostics): CheckedStatements {
  if (list.kind === 'object' && list.entries.some((e) => e.key === 'Statement')) {
    diagnostics.error(list.pos, list.path, 'expected a list of statements, found a whole policy document; write only its Statement list: [ {...}, {...} ] (kops-iam adds the Version)');
    return { statements: [], actions: [] };
  }
  if (list.kind === 'object' && list.entries.some((e) => e.key === 'Effect' || e.key === 'Action')) {
    diagnostics.error(list.pos, list.path, 'expected a list of statements, found a single statement; wrap it in [ ... ]');
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

function checkStatement(stmt: PolicyNode, partition: Partition | undefined, sids: Map<string, string>, actions: ActionUse[], diagnostics: Diagnostics): void {
  if (stmt.kind !== 'object') {
    diagnostics.error(stmt.pos, stmt.path, `a statement must be an object with Effect, Action and Resource, found ${describeKind(stmt)}`);
    return;
  }
  const byKey = new Map<string, PolicyEntry>();
  // Keys the user evidently meant (a misspelling was reported), so "missing X" is not said twice.
  const meant = new Set<string>();
  for (const e of stmt.entries) {
    if (byKey.has(e.key)) {
      diagnostics.error(e.keyPos, e.value.path, `duplicate key '${e.key}' in a statement; JSON parsers would silently keep only the last one — merge them into one`);
      continue;
    }
    byKey.set(e.key, e);
    if ((STATEMENT_KEYS as readonly string[]).includes(e.key)) continue;
    const message = unknownKeyMessage(e.key);
    if (message.meant !== undefined) meant.add(message.meant);
    diagnostics.error(e.keyPos, e.value.path, message.text);
  }

  const sid = byKey.get('Sid');
  if (sid !== undefined) checkSid(sid.value, sids, diagnostics);

  const effect = byKey.get('Effect');
  if (effect === undefined) {
    if (!meant.has('Effect')) diagnostics.error(stmt.pos, stmt.path, 'missing Effect; add "Effect": "Allow" (or "Deny")');
  } else checkEffect(effect.value, diagnostics);

  const action = exactlyOne(stmt, byKey, 'Action', 'NotAction', meant, diagnostics);
  if (action !== undefined) {
    for (const s of stringList(action, diagnostics)) actions.push({ action: s.value, pos: s.pos, path: s.path });
  }
  const resource = exactlyOne(stmt, byKey, 'Resource', 'NotResource', meant, diagnostics);
  if (resource !== undefined) {
    for (const s of stringList(resource, diagnostics)) checkResource(s, partition, diagnostics);
  }
  const condition = byKey.get('Condition');
  if (condition !== undefined) checkCondition(condition.value, diagnostics);
}

/** The message for a key IAM does not know, and which key it most likely stands for. */
function unknownKeyMessage(key: string): { text: string; meant?: string } {
  if (key === 'Principal' || key === 'NotPrincipal') {
    return { text: `${key} is not allowed here: an instance role's inline policy is an identity policy, whose principal is the role itself; remove ${key}` };
  }
  if (key === 'Version' || key === 'Statement' || key === 'Id') {
    return { text: `'${key}' belongs to a policy document, not to a statement; kops-iam writes the document around your statements, so remove it` };
  }
  const sameLetters = STATEMENT_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameLetters !== undefined) return { text: `unknown statement key '${key}'; IAM keys are case-sensitive: write '${sameLetters}'`, meant: sameLetters };
  const near = closest(key, STATEMENT_KEYS) ?? closest(key.replace(/s$/i, ''), STATEMENT_KEYS);
  if (near !== undefined) return { text: `unknown statement key '${key}'; did you mean '${near}'?`, meant: near };
  return { text: `unknown statement key '${key}'; a statement may have only ${STATEMENT_KEYS.join(', ')}` };
}

/** Sid: optional; letters and digits only (IAM's rule for identity policies); unique in the policy. */
function checkSid(v: PolicyNode, sids: Map<string, string>, diagnostics: Diagnostics): void {
  if (v.kind !== 'scalar' || typeof v.value !== 'string') {
    diagnostics.error(v.pos, v.path, `Sid must be a string of letters and digits, found ${describeKind(v)}`);
    return;
  }
  const bad = /[^A-Za-z0-9]/.exec(v.value);
  if (bad !== null) {
    const fixed = v.value.replace(/[^A-Za-z0-9]/g, '');
    const suggestion = fixed !== '' ? `, e.g. '${fixed}'` : '';
    diagnostics.error(v.pos, v.path, `Sid '${v.value}' has the character ${JSON.stringify(bad[0])}; IAM allows only ASCII letters and digits (A-Z, a-z, 0-9) in a Sid${suggestion}`);
    return;
  }
  if (v.value === '') return;
  const first = sids.get(v.value);
  if (first !== undefined) diagnostics.error(v.pos, v.path, `Sid '${v.value}' is already used by ${first}; Sids must be unique within a policy`);
  else sids.set(v.value, v.path);
}

function checkEffect(v: PolicyNode, diagnostics: Diagnostics): void {
  const text = v.kind === 'scalar' ? v.value : undefined;
  if (text === 'Allow' || text === 'Deny') return;
  const found = v.kind === 'scalar' ? JSON.stringify(v.value) : describeKind(v);
  const hint = typeof text === 'string' && /^(allow|deny)$/i.test(text.trim()) ? `; IAM is case-sensitive here: write "${text.trim()[0]?.toUpperCase()}${text.trim().slice(1).toLowerCase()}"` : '';
  diagnostics.error(v.pos, v.path, `Effect must be "Allow" or "Deny", found ${found}${hint}`);
}

function exactlyOne(stmt: PolicyNode, byKey: Map<string, PolicyEntry>, a: string, notA: string, meant: ReadonlySet<string>, diagnostics: Diagnostics): PolicyEntry | undefined {
  const x = byKey.get(a);
  const y = byKey.get(notA);
  if (x !== undefined && y !== undefined) {
    diagnostics.error(y.keyPos, y.value.path, `a statement has either ${a} or ${notA}, not both; remove one of them`);
    return undefined;
  }
  if (x === undefined && y === undefined) {
    if (!meant.has(a) && !meant.has(notA)) {
      const example = a === 'Action' ? '"Action": ["ec2:DescribeInstances"]' : '"Resource": ["*"]';
      diagnostics.error(stmt.pos, stmt.path, `missing ${a}; a statement needs ${a} or ${notA}, e.g. ${example}`);
    }
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
    const found = n.kind === 'scalar' && typeof n.value === 'string' ? 'an empty string' : describeKind(n);
    diagnostics.error(n.pos, n.path, `${entry.key} must be a non-empty string or a list of them, found ${found}`);
    return undefined;
  };
  if (v.kind === 'array') {
    if (v.items.length === 0) {
      diagnostics.error(v.pos, v.path, `${entry.key} must not be an empty list; IAM rejects a statement that ${entry.key.startsWith('Not') ? 'excludes' : 'names'} nothing`);
      return [];
    }
    const out: StringAt[] = [];
    for (const item of v.items) {
      if (item.kind === 'array') diagnostics.error(item.pos, item.path, `${entry.key} must be a flat list of strings, found a nested list`);
      else {
        const s = one(item);
        if (s !== undefined) out.push(s);
      }
    }
    return out;
  }
  const s = one(v);
  return s === undefined ? [] : [s];
}

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)$/s;

function checkResource(s: StringAt, partition: Partition | undefined, diagnostics: Diagnostics): void {
  if (s.value === '*') return;
  const p = partition?.name ?? 'aws';
  const m = ARN.exec(s.value);
  if (m === null) {
    const hint = s.value.startsWith('arn:') ? 'an ARN has six parts, arn:partition:service:region:account:resource' : `write "*" or an ARN, arn:${p}:<service>:<region>:<account>:<resource>`;
    diagnostics.error(s.pos, s.path, `'${s.value}' is not a resource ARN; ${hint}`);
    return;
  }
  const arnPartition = m[1] ?? '';
  if (partition !== undefined && !/[*?]/.test(arnPartition) && arnPartition !== partition.name) {
    diagnostics.error(s.pos, s.path, `ARN partition '${arnPartition}' does not match the cluster's partition '${partition.name}'; write arn:${partition.name}:${s.value.slice(5 + arnPartition.length)}`);
  }
  if (m[2] === '') diagnostics.error(s.pos, s.path, `ARN '${s.value}' has no service (the third part, e.g. arn:${p}:s3:::my-bucket)`);
}

function checkCondition(node: PolicyNode, diagnostics: Diagnostics): void {
  const shape = 'e.g. {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}';
  if (node.kind !== 'object') {
    diagnostics.error(node.pos, node.path, `Condition must be a map of operator to {condition key: value}, ${shape}; found ${describeKind(node)}`);
    return;
  }
  if (node.entries.length === 0) diagnostics.error(node.pos, node.path, 'Condition must not be empty; remove it or add an operator');
  const seen = new Set<string>();
  for (const op of node.entries) {
    if (seen.has(op.key)) diagnostics.error(op.keyPos, op.value.path, `duplicate condition operator '${op.key}'; JSON parsers would keep only the last one — merge their keys`);
    seen.add(op.key);
    if (!isConditionOperator(op.key)) {
      const guess = suggestConditionOperator(op.key);
      const hint = guess !== undefined ? `did you mean '${guess}'?` : 'see "IAM JSON policy elements: Condition operators"';
      diagnostics.error(op.keyPos, op.value.path, `unknown condition operator '${op.key}'; ${hint}`);
    }
    const v = op.value;
    if (v.kind !== 'object' || v.entries.length === 0) {
      const found = v.kind === 'object' ? 'an empty object' : describeKind(v);
      diagnostics.error(v.pos, v.path, `condition operator '${op.key}' must map condition keys to values, e.g. {"aws:RequestedRegion": "eu-central-1"}; found ${found}`);
      continue;
    }
    for (const key of v.entries) {
      if (key.key.trim() === '') diagnostics.error(key.keyPos, key.value.path, 'a condition key must not be empty; write e.g. "aws:RequestedRegion"');
      const value = key.value;
      const scalarOk = (n: PolicyNode) => n.kind === 'scalar' && n.value !== null;
      const ok = scalarOk(value) || (value.kind === 'array' && value.items.length > 0 && value.items.every(scalarOk));
      if (!ok) {
        const found = value.kind === 'array' && value.items.length === 0 ? 'an empty list' : value.kind === 'array' ? 'a list holding something else' : describeKind(value);
        diagnostics.error(value.pos, value.path, `condition values must be a string, number, boolean or a non-empty list of them, found ${found}`);
      }
    }
  }
}
