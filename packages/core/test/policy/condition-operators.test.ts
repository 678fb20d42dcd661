import { describe, expect, it } from 'vitest';
import { isConditionOperator, suggestConditionOperator } from '../../src/policy/condition-operators';

describe('isConditionOperator', () => {
  it.each([
    'StringEquals',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'NumericLessThanEquals',
    'DateGreaterThan',
    'Bool',
    'BinaryEquals',
    'IpAddress',
    'NotIpAddress',
    'ArnLike',
    'ArnNotEquals',
    'Null',
    'StringEqualsIfExists',
    'ArnLikeIfExists',
    'ForAllValues:StringEquals',
    'ForAnyValue:StringLikeIfExists',
  ])('accepts %s', (op) => {
    expect(isConditionOperator(op)).toBe(true);
  });

  it.each([
    'StringEqual',
    'stringequals',
    'STRINGEQUALS',
    'StringEqualsIfexists',
    'ForAllValue:StringEquals',
    'ForAllValues:',
    'NullIfExists',
    'ForAnyValue:Null',
    'IfExists',
    '',
    'Equals',
  ])('rejects %j', (op) => {
    expect(isConditionOperator(op)).toBe(false);
  });
});

describe('suggestConditionOperator', () => {
  it.each([
    ['StringEqual', 'StringEquals'],
    ['stringlike', 'StringLike'],
    ['STRINGEQUALSIFEXISTS', 'StringEqualsIfExists'],
    ['NumericLessThen', 'NumericLessThan'],
    ['IPAddress', 'IpAddress'],
    ['null', 'Null'],
    ['ForAllValue:StringEquals', 'ForAllValues:StringEquals'],
    ['forAnyValue:stringlike', 'ForAnyValue:StringLike'],
  ])('suggests %s → %s', (typo, fix) => {
    expect(suggestConditionOperator(typo)).toBe(fix);
    expect(isConditionOperator(fix)).toBe(true);
  });

  it('suggests nothing for words that are not near any operator', () => {
    expect(suggestConditionOperator('Whatever')).toBeUndefined();
    expect(suggestConditionOperator('Foo:StringEquals')).toBeUndefined();
  });

  it('never suggests Null behind a set operator, which IAM does not allow', () => {
    expect(suggestConditionOperator('ForAllValues:Nul')).toBeUndefined();
  });
});
