import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { closest } from '../util/edit-distance';

/** The Cluster spec fields kops-iam reads; kops' field names are case-sensitive. */
export const READ_SPEC_FIELDS = [
  'cloudProvider',
  'subnets',
  'zones',
  'dnsZone',
  'topology',
  'etcdClusters',
  'configBase',
  'keyStore',
  'secretStore',
  'configStore',
  'additionalPolicies',
  'customPolicies',
  'externalPolicies',
  'iam',
  'cloudLabels',
  'serviceAccountIssuerDiscovery',
  'kubeAPIServer',
  'networking',
  'nonMasqueradeCIDR',
  'containerd',
  'cloudConfig',
  'nodeTerminationHandler',
  'awsLoadBalancerController',
  'clusterAutoscaler',
  'karpenter',
  'snapshotController',
  'certManager',
  'externalDns',
  'warmPool',
  'encryptionConfig',
] as const;

/** Fields whose misspelling would silently drop or widen permissions, so near misses are caught too, not only case. */
const NEAR_MISS_FIELDS = ['additionalPolicies', 'customPolicies', 'externalPolicies', 'serviceAccountIssuerDiscovery'] as const;

/**
 * Reports spec keys that are a misspelling of a field kops-iam reads (`additionalpolicies`,
 * `additionalPolicy`). Unknown fields are otherwise accepted, as kops accepts them, but a
 * misspelt one would be ignored by both and the policy it holds silently lost.
 */
export function checkSpecFieldNames(spec: YamlNode, report: Report): void {
  for (const { key, keyPos, value } of spec.entries()) {
    const { meant, sameLetters } = meantField(key);
    if (meant === undefined) continue;
    const why = sameLetters ? 'field names are case-sensitive, and kops' : 'kops';
    const message = `unknown field '${key}'; did you mean '${meant}'? ${why} and kops-iam ignore unknown fields, so this one would be lost`;
    report.error('KI212', { pos: keyPos, path: value.path }, message);
  }
}

/** Reports that a spec's `cloudProvider` is not AWS. */
export function checkCloudProvider(spec: YamlNode, report: Report): void {
  const node = spec.get('cloudProvider');
  // kops 1.27+ may write `cloudProvider: {aws: {}}`; older versions the string.
  const name =
    node.kind === 'map'
      ? node
          .entries()
          .map((e) => e.key)
          .join(', ')
      : node.string();
  if (node.unset) report.error('KI201', node, 'missing cloudProvider; kops-iam builds IAM for cloudProvider: aws');
  else if (name !== 'aws')
    report.error(
      'KI201',
      node,
      `cloudProvider is '${name ?? node.text()}'; kops-iam builds IAM for AWS clusters only (cloudProvider: aws)`,
    );
}

const READ = new Set<string>(READ_SPEC_FIELDS);
const BY_LOWER_CASE = new Map(READ_SPEC_FIELDS.map((f) => [f.toLowerCase(), f]));

/**
 * What a spec key may be a misspelling of, remembered per key: every cluster of an input
 * has the same dozen keys kops-iam does not read (kubernetesVersion, networkCIDR, …), and
 * comparing each with the near-miss fields again was a fifth of reading a spec (cpu
 * profile, 1,000 clusters). Bounded, so that an input of random keys cannot grow it.
 */
const meantByKey = new Map<string, { meant?: string; sameLetters: boolean }>();

function meantField(key: string): { meant?: string; sameLetters: boolean } {
  if (READ.has(key)) return { sameLetters: false };
  let found = meantByKey.get(key);
  if (found === undefined) {
    const sameLetters = BY_LOWER_CASE.get(key.toLowerCase());
    const meant = sameLetters ?? closest(key, NEAR_MISS_FIELDS);
    found = meant === undefined ? { sameLetters: false } : { meant, sameLetters: sameLetters !== undefined };
    if (meantByKey.size < 1000) meantByKey.set(key, found);
  }
  return found;
}
