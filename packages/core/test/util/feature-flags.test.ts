import { describe, expect, it } from 'vitest';
import { CUSTOM_POLICIES_FLAG, parseFeatureFlags } from '../../src/util/feature-flags';

describe('parseFeatureFlags (kops syntax)', () => {
  it('is empty for no value', () => {
    expect(parseFeatureFlags(undefined).size).toBe(0);
    expect(parseFeatureFlags('').size).toBe(0);
  });

  it('turns a flag on with +Name or a bare Name', () => {
    expect(parseFeatureFlags('+CustomPoliciesSupport').get(CUSTOM_POLICIES_FLAG)).toBe(true);
    expect(parseFeatureFlags('CustomPoliciesSupport').get(CUSTOM_POLICIES_FLAG)).toBe(true);
  });

  it('turns a flag off with -Name', () => {
    expect(parseFeatureFlags('-CustomPoliciesSupport').get(CUSTOM_POLICIES_FLAG)).toBe(false);
  });

  it('lets the last word for a flag win', () => {
    expect(parseFeatureFlags('+CustomPoliciesSupport,-CustomPoliciesSupport').get(CUSTOM_POLICIES_FLAG)).toBe(false);
    expect(parseFeatureFlags('-CustomPoliciesSupport,CustomPoliciesSupport').get(CUSTOM_POLICIES_FLAG)).toBe(true);
  });

  it('reads comma-separated words, trimming spaces and skipping empty ones', () => {
    const flags = parseFeatureFlags(' +A , ,-B,C,,+, - ');
    expect([...flags]).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
    ]);
  });

  it('is case-sensitive, as kops is', () => {
    expect(parseFeatureFlags('+custompoliciessupport').get(CUSTOM_POLICIES_FLAG)).toBeUndefined();
  });
});

describe('parseFeatureFlags: odd words', () => {
  it('keeps the extra + of ++Name in the name (kops strips one), so the flag is not the one meant', () => {
    expect([...parseFeatureFlags('++CustomPoliciesSupport')]).toEqual([['+CustomPoliciesSupport', true]]);
  });
});
