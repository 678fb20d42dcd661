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
    if ((READ_SPEC_FIELDS as readonly string[]).includes(key)) continue;
    const sameLetters = READ_SPEC_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    const meant = sameLetters ?? closest(key, NEAR_MISS_FIELDS);
    if (meant === undefined) continue;
    const why = sameLetters !== undefined ? 'field names are case-sensitive, and kops' : 'kops';
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
