import { describe, expect, it } from 'vitest';
import { checkCloudProvider, checkSpecFieldNames } from '../../src/cluster/field-names';
import { specLines } from '../helpers';

function fieldProblems(...lines: string[]) {
  const { spec, report } = specLines(...lines);
  checkSpecFieldNames(spec, report);
  return report.diagnostics.map((d) => [d.code, d.line, d.col, d.path, d.message]);
}

function providerProblems(...lines: string[]) {
  const { spec, report } = specLines(...lines);
  checkCloudProvider(spec, report);
  return report.diagnostics.map((d) => [d.code, d.path, d.message]);
}

describe('checkSpecFieldNames (KI212)', () => {
  it('catches a field kops-iam reads written in another case', () => {
    expect(fieldProblems('  additionalpolicies: {}')).toEqual([
      [
        'KI212',
        2,
        3,
        'spec.additionalpolicies',
        "unknown field 'additionalpolicies'; did you mean 'additionalPolicies'? field names are case-sensitive, and kops and kops-iam " +
          'ignore unknown fields, so this one would be lost',
      ],
    ]);
    expect(fieldProblems('  CloudLabels: {}').map((p) => p[4])).toEqual([
      expect.stringMatching(/^unknown field 'CloudLabels'; did you mean 'cloudLabels'\?/),
    ]);
  });

  it('answers the same for a key seen before (answers are remembered per key), and for thousands of keys', () => {
    const first = fieldProblems('  kubernetesVersion: 1.30.0', '  additionalPolicy: {}', '  AdditionalPolicies: {}');
    expect(first.map((p) => p[3])).toEqual(['spec.additionalPolicy', 'spec.AdditionalPolicies']);
    expect(fieldProblems('  kubernetesVersion: 1.30.0', '  additionalPolicy: {}', '  AdditionalPolicies: {}')).toEqual(first);
    // More keys than are remembered: the ones past the bound are still checked.
    const many = Array.from({ length: 1500 }, (_, i) => `  field${i}: x`);
    expect(fieldProblems(...many, '  externalPolicy: {}').map((p) => p[3])).toEqual(['spec.externalPolicy']);
    expect(fieldProblems('  customPolicy: {}').map((p) => p[3])).toEqual(['spec.customPolicy']);
  });

  it('catches near misses of the fields whose loss would drop or widen permissions', () => {
    expect(fieldProblems('  additionalPolicy: {}', '  externalPolicy: {}', '  serviceAccountIssuerDiscover: {}').map((p) => p[4])).toEqual([
      "unknown field 'additionalPolicy'; did you mean 'additionalPolicies'? kops and kops-iam ignore unknown fields, so this one would " +
        'be lost',
      "unknown field 'externalPolicy'; did you mean 'externalPolicies'? kops and kops-iam ignore unknown fields, so this one would be lost",
      "unknown field 'serviceAccountIssuerDiscover'; did you mean 'serviceAccountIssuerDiscovery'? kops and kops-iam ignore unknown " +
        'fields, so this one would be lost',
    ]);
  });

  it("accepts kops' other fields, which kops-iam does not read", () => {
    expect(
      fieldProblems('  kubernetesVersion: v1.32.0', '  channel: stable', '  kubelet: {anonymousAuth: false}', '  sshAccess: [0.0.0.0/0]'),
    ).toEqual([]);
  });
});

describe('checkCloudProvider (KI201)', () => {
  it('accepts aws, as a string or in the map form of newer kops', () => {
    expect(providerProblems('  cloudProvider: aws')).toEqual([]);
    expect(providerProblems('  cloudProvider:', '    aws: {}')).toEqual([]);
  });

  it('refuses another provider or none', () => {
    expect(providerProblems('  cloudProvider: gce')).toEqual([
      ['KI201', 'spec.cloudProvider', "cloudProvider is 'gce'; kops-iam builds IAM for AWS clusters only (cloudProvider: aws)"],
    ]);
    expect(providerProblems('  cloudProvider:', '    gce: {}')).toEqual([
      ['KI201', 'spec.cloudProvider', "cloudProvider is 'gce'; kops-iam builds IAM for AWS clusters only (cloudProvider: aws)"],
    ]);
    expect(providerProblems('  subnets: []')).toEqual([
      ['KI201', 'spec.cloudProvider', 'missing cloudProvider; kops-iam builds IAM for cloudProvider: aws'],
    ]);
  });
});
