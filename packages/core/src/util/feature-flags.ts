/**
 * Parses `KOPS_FEATURE_FLAGS` the way kops does: comma-separated words, `+Name` or
 * `Name` turns a flag on, `-Name` turns it off, and the last word for a flag wins.
 */
export function parseFeatureFlags(value: string | undefined): ReadonlyMap<string, boolean> {
  const flags = new Map<string, boolean>();
  for (const raw of (value ?? '').split(',')) {
    const word = raw.trim();
    if (word === '' || word === '+' || word === '-') continue;
    if (word.startsWith('-')) flags.set(word.slice(1), false);
    else flags.set(word.startsWith('+') ? word.slice(1) : word, true);
  }
  return flags;
}

/** The feature flag that allows `customPolicies`. */
export const CUSTOM_POLICIES_FLAG = 'CustomPoliciesSupport';
