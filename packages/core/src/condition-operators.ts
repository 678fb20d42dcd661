/** IAM's condition operators, without the `IfExists` suffix and set-operator prefixes. */
const OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
]);

/**
 * True for an operator IAM accepts: one of its operators, optionally with `IfExists`,
 * optionally after `ForAllValues:` or `ForAnyValue:`; `Null` stands alone.
 */
export function isConditionOperator(name: string): boolean {
  if (name === 'Null') return true;
  const base = name.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  return OPERATORS.has(base);
}

/** The operator a mistyped one most likely meant, compared case-insensitively. */
export function suggestConditionOperator(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const op of [...OPERATORS, 'Null']) {
    if (op.toLowerCase() === lower || `${op}IfExists`.toLowerCase() === lower) return lower.endsWith('ifexists') ? `${op}IfExists` : op;
  }
  return undefined;
}
