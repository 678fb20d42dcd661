import type { SourcePosition } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { Partition } from '../cluster/partition';
import { checkArnPartition, parseArn } from '../cluster/arn';
import { isConditionOperator, suggestConditionOperator } from './condition-operators';
import { describeKind, type PolicyEntry, type PolicyNode } from './policy-tree';
import type { ConditionBlock, ConditionEntry, ConditionValue, Effect } from './statement';

/** A string the user wrote, with where. */
export interface StringAt {
  readonly value: string;
  readonly pos: SourcePosition;
  readonly path: string;
}

/** Sid: optional; letters and digits only (IAM's rule for identity policies); unique in the policy. */
export function checkSid(v: PolicyNode, sids: Map<string, string>, report: Report): string | undefined {
  if (v.kind !== 'string') {
    report.error('KI310', v, `Sid must be a string of letters and digits, found ${describeKind(v)}`);
    return undefined;
  }
  const bad = /[^A-Za-z0-9]/.exec(v.value);
  if (bad !== null) {
    const fixed = v.value.replace(/[^A-Za-z0-9]/g, '');
    const suggestion = fixed !== '' ? `, e.g. '${fixed}'` : '';
    report.error(
      'KI310',
      v,
      `Sid '${v.value}' has the character ${JSON.stringify(bad[0])}; IAM allows only ASCII letters and digits (A-Z, a-z, 0-9) in a ` +
        `Sid${suggestion}`,
    );
    return undefined;
  }
  if (v.value === '') return v.value;
  const first = sids.get(v.value);
  if (first !== undefined) report.error('KI310', v, `Sid '${v.value}' is already used by ${first}; Sids must be unique within a policy`);
  else sids.set(v.value, v.path);
  return v.value;
}

export function checkEffect(v: PolicyNode, report: Report): Effect | undefined {
  if (v.kind === 'string' && (v.value === 'Allow' || v.value === 'Deny')) return v.value;
  const found =
    v.kind === 'string' || v.kind === 'boolean'
      ? JSON.stringify(v.value)
      : v.kind === 'number'
        ? v.raw
        : v.kind === 'null'
          ? 'null'
          : describeKind(v);
  const text = v.kind === 'string' ? v.value.trim() : '';
  const hint = /^(allow|deny)$/i.test(text)
    ? `; IAM is case-sensitive here: write "${text[0]?.toUpperCase()}${text.slice(1).toLowerCase()}"`
    : '';
  report.error('KI311', v, `Effect must be "Allow" or "Deny", found ${found}${hint}`);
  return undefined;
}

/** A non-empty string, or a non-empty list of non-empty strings, as Action and Resource take. */
export function stringList(entry: PolicyEntry, report: Report): StringAt[] {
  const v = entry.value;
  const one = (n: PolicyNode): StringAt | undefined => {
    if (n.kind === 'string' && n.value.trim() !== '') return { value: n.value, pos: n.pos, path: n.path };
    const found = n.kind === 'string' ? 'an empty string' : describeKind(n);
    report.error('KI312', n, `${entry.key} must be a non-empty string or a list of them, found ${found}`);
    return undefined;
  };
  if (v.kind !== 'array') {
    const s = one(v);
    return s === undefined ? [] : [s];
  }
  if (v.items.length === 0) {
    report.error(
      'KI312',
      v,
      `${entry.key} must not be an empty list; IAM rejects a statement that ${entry.key.startsWith('Not') ? 'excludes' : 'names'} nothing`,
    );
    return [];
  }
  const out: StringAt[] = [];
  for (const item of v.items) {
    if (item.kind === 'array') report.error('KI312', item, `${entry.key} must be a flat list of strings, found a nested list`);
    else {
      const s = one(item);
      if (s !== undefined) out.push(s);
    }
  }
  return out;
}

/** Resource or NotResource: `*` or ARNs of the cluster's partition, with no control characters. */
export function readResources(entry: PolicyEntry, partition: Partition | undefined, report: Report): string[] {
  const out: string[] = [];
  for (const s of stringList(entry, report)) if (checkResource(s, partition, report)) out.push(s.value);
  return out;
}

function checkResource(s: StringAt, partition: Partition | undefined, report: Report): boolean {
  if (/[\u0000-\u001f\u007f]/.test(s.value)) {
    report.error(
      'KI315',
      s,
      `${JSON.stringify(s.value)} holds a control character (a line break, tab, NUL…); an ARN never does — remove it`,
    );
    return false;
  }
  if (s.value === '*') return true;
  const p = partition?.name ?? 'aws';
  const arn = parseArn(s.value);
  if (arn === undefined || arn.resource === '') {
    const hint = s.value.startsWith('arn:')
      ? 'an ARN has six parts, arn:partition:service:region:account:resource'
      : `write "*" or an ARN, arn:${p}:<service>:<region>:<account>:<resource>`;
    report.error('KI315', s, `'${s.value}' is not a resource ARN; ${hint}`);
    return false;
  }
  let ok = /[*?]/.test(arn.partition) || checkArnPartition(arn.partition, s.value, partition, s, report, 'KI315');
  if (arn.service === '') {
    report.error('KI315', s, `ARN '${s.value}' has no service (the third part, e.g. arn:${p}:s3:::my-bucket)`);
    ok = false;
  }
  return ok;
}

/** Condition: a map of operator to a map of condition key to a value or a non-empty list of values. */
export function readCondition(node: PolicyNode, report: Report): ConditionBlock[] | undefined {
  const shape = 'e.g. {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}';
  if (node.kind !== 'object') {
    report.error('KI316', node, `Condition must be a map of operator to {condition key: value}, ${shape}; found ${describeKind(node)}`);
    return undefined;
  }
  if (node.entries.length === 0) report.error('KI316', node, 'Condition must not be empty; remove it or add an operator');
  const seen = new Set<string>();
  const blocks: ConditionBlock[] = [];
  for (const op of node.entries) {
    if (seen.has(op.key))
      report.error(
        'KI316',
        { pos: op.keyPos, path: op.value.path },
        `duplicate condition operator '${op.key}'; JSON parsers would keep only the last one — merge their keys`,
      );
    seen.add(op.key);
    if (!isConditionOperator(op.key)) {
      const guess = suggestConditionOperator(op.key);
      const hint = guess !== undefined ? `did you mean '${guess}'?` : 'see "IAM JSON policy elements: Condition operators"';
      report.error('KI316', { pos: op.keyPos, path: op.value.path }, `unknown condition operator '${op.key}'; ${hint}`);
    }
    const entries = conditionEntries(op, report);
    if (entries !== undefined) blocks.push({ operator: op.key, entries });
  }
  return blocks;
}

function conditionEntries(op: PolicyEntry, report: Report): ConditionEntry[] | undefined {
  const v = op.value;
  if (v.kind !== 'object' || v.entries.length === 0) {
    const found = v.kind === 'object' ? 'an empty object' : describeKind(v);
    report.error(
      'KI316',
      v,
      `condition operator '${op.key}' must map condition keys to values, e.g. {"aws:RequestedRegion": "eu-central-1"}; found ${found}`,
    );
    return undefined;
  }
  const keys = new Set<string>();
  const out: ConditionEntry[] = [];
  for (const key of v.entries) {
    const at = { pos: key.keyPos, path: key.value.path };
    if (key.key.trim() === '') report.error('KI316', at, 'a condition key must not be empty; write e.g. "aws:RequestedRegion"');
    if (keys.has(key.key))
      report.error(
        'KI316',
        at,
        `duplicate condition key '${key.key}' under '${op.key}'; JSON parsers would keep only the last one — merge their values into one ` +
          `list`,
      );
    keys.add(key.key);
    const values = conditionValues(key.value, report);
    if (values !== undefined) out.push({ key: key.key, values, list: key.value.kind === 'array' });
  }
  return out;
}

function conditionValues(value: PolicyNode, report: Report): ConditionValue[] | undefined {
  const one = (n: PolicyNode): ConditionValue | undefined =>
    n.kind === 'string' || n.kind === 'boolean' ? n.value : n.kind === 'number' ? { number: n.raw } : undefined;
  const items = value.kind === 'array' ? value.items : [value];
  const values = items.map(one);
  if (items.length > 0 && values.every((x) => x !== undefined)) return values as ConditionValue[];
  const found =
    value.kind === 'array' && value.items.length === 0
      ? 'an empty list'
      : value.kind === 'array'
        ? 'a list holding something else'
        : describeKind(value);
  report.error('KI316', value, `condition values must be a string, number, boolean or a non-empty list of them, found ${found}`);
  return undefined;
}
