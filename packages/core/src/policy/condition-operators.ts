import { closest } from '../util/edit-distance';

/** IAM's condition operators, without the `IfExists` suffix and set-operator prefixes. */
const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
] as const;

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

/** The set-operator prefixes for multivalued condition keys. */
const SET_PREFIXES = ['ForAllValues', 'ForAnyValue'] as const;

/** Every operator name without a prefix: each operator, its `IfExists` form, and `Null` (which takes no `IfExists`). */
const BASE_NAMES: readonly string[] = [...OPERATORS, ...OPERATORS.map((op) => `${op}IfExists`), 'Null'];

/**
 * True for an operator IAM accepts: one of its operators, optionally with `IfExists`,
 * optionally after `ForAllValues:` or `ForAnyValue:`; `Null` stands alone.
 */
export function isConditionOperator(name: string): boolean {
  if (name === 'Null') return true;
  const base = name.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  return OPERATOR_SET.has(base);
}

/**
 * The operator a mistyped one most likely meant (case, a letter or two, a wrong
 * set-operator prefix), or undefined when nothing is close.
 */
export function suggestConditionOperator(name: string): string | undefined {
  const colon = name.indexOf(':');
  if (colon === -1) return closestBase(name);
  const prefix = closest(name.slice(0, colon), SET_PREFIXES);
  const base = closestBase(name.slice(colon + 1));
  if (prefix === undefined || base === undefined || base === 'Null') return undefined;
  return `${prefix}:${base}`;
}

function closestBase(name: string): string | undefined {
  const exact = BASE_NAMES.find((op) => op.toLowerCase() === name.toLowerCase());
  return exact ?? closest(name, BASE_NAMES);
}
