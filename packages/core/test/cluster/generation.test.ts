import { describe, expect, it } from 'vitest';
import { generationOf } from '../../src/cluster/generation';
import { clusterYaml, legacyClusterYaml, loadOne } from '../helpers';

describe('generationOf', () => {
  it("is strict for kops.k8s.io/v1alpha2, what today's kops prints", () => {
    expect(generationOf('kops.k8s.io/v1alpha2', undefined)).toEqual({
      kind: 'strict',
      reason: 'the manifest is kops.k8s.io/v1alpha2, as kops 1.8 and later print them',
    });
  });

  it.each(['kops/v1alpha1', 'kops/v1alpha2'] as const)('is legacy for the seed era apiVersion %s', (apiVersion) => {
    expect(generationOf(apiVersion, undefined)).toEqual({
      kind: 'legacy',
      reason: `the manifest is ${apiVersion}, from before kops scoped its policies (spec.iam.legacy: false asks for scoped ones)`,
    });
  });

  it('is legacy for the bare metadata + spec form', () => {
    expect(generationOf('bare', undefined)).toEqual({
      kind: 'legacy',
      reason:
        'the manifest is in the bare metadata + spec form of kops\' "IAM Roles" page, from before kops scoped its policies ' +
        '(spec.iam.legacy: false asks for scoped ones)',
    });
  });

  it('follows spec.iam.legacy when written, whatever the apiVersion', () => {
    expect(generationOf('kops.k8s.io/v1alpha2', true)).toEqual({
      kind: 'legacy',
      reason: 'spec.iam.legacy: true asks for the broad policies',
    });
    expect(generationOf('kops/v1alpha1', false)).toEqual({
      kind: 'strict',
      reason: "spec.iam.legacy: false asks for kops' scoped policies",
    });
    expect(generationOf('bare', false).kind).toBe('strict');
  });
});

describe('the generation of a loaded cluster', () => {
  it('is in the plan, and decides the policies', async () => {
    const strict = await loadOne(clusterYaml('s.example.com'));
    expect(strict.plan.generation.kind).toBe('strict');
    const legacy = await loadOne(legacyClusterYaml('l.example.com'));
    expect(legacy.plan.generation.kind).toBe('legacy');
    const asked = await loadOne(clusterYaml('a.example.com', '  iam:\n    legacy: true'));
    expect(asked.plan.generation).toEqual({ kind: 'legacy', reason: 'spec.iam.legacy: true asks for the broad policies' });
    const scoped = await loadOne(legacyClusterYaml('b.example.com', '  iam:\n    legacy: false'));
    expect(scoped.plan.generation.kind).toBe('strict');
  });
});
