import type { Diagnostics } from './diagnostics';
import { closest } from './edit-distance';
import type { YamlNode } from './yaml-node';

/** The Cluster spec fields kops-iam reads; kops' field names are case-sensitive. */
export const READ_SPEC_FIELDS = [
  'cloudProvider', 'subnets', 'zones', 'dnsZone', 'topology', 'etcdClusters',
  'configBase', 'keyStore', 'secretStore', 'configStore', 'additionalPolicies', 'customPolicies',
] as const;

/** Fields whose misspelling would silently drop permissions, so near misses are caught too, not only case. */
const NEAR_MISS_FIELDS = ['additionalPolicies', 'customPolicies'] as const;

/**
 * Reports spec keys that are a misspelling of a field kops-iam reads (`additionalpolicies`,
 * `additionalPolicy`). Unknown fields are otherwise accepted, as kops accepts them, but a
 * misspelt one would be ignored by both and the policy it holds silently lost.
 */
export function checkSpecFieldNames(spec: YamlNode, diagnostics: Diagnostics): void {
  for (const { key, keyPos, value } of spec.entries()) {
    if ((READ_SPEC_FIELDS as readonly string[]).includes(key)) continue;
    const sameLetters = READ_SPEC_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    const meant = sameLetters ?? closest(key, NEAR_MISS_FIELDS);
    if (meant === undefined) continue;
    const why = sameLetters !== undefined ? 'field names are case-sensitive, and kops' : 'kops';
    diagnostics.error(keyPos, value.path, `unknown field '${key}'; did you mean '${meant}'? ${why} and kops-iam ignore unknown fields, so this one would be lost`);
  }
}
