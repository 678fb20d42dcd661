import type { ApiVersion } from '../manifest/classify';

/**
 * Which IAM kops-iam writes for a cluster: `legacy`, the broad lists of kops' 2017 "IAM
 * Roles" page, or `strict`, the scoped policies kops has written since 1.8 (and only
 * those since 1.19). `reason` says why, for explain.
 */
export interface Generation {
  readonly kind: 'legacy' | 'strict';
  readonly reason: string;
}

/**
 * The generation of a manifest: its apiVersion decides (kops.k8s.io/v1alpha2 is what
 * today's kops prints; kops/v1alpha1, kops/v1alpha2 and the bare form are the seed's
 * era), and `spec.iam.legacy` written either way overrides it.
 */
export function generationOf(apiVersion: ApiVersion, legacy: boolean | undefined): Generation {
  if (legacy === true) return { kind: 'legacy', reason: 'spec.iam.legacy: true asks for the broad policies' };
  if (legacy === false) return { kind: 'strict', reason: "spec.iam.legacy: false asks for kops' scoped policies" };
  if (apiVersion === 'kops.k8s.io/v1alpha2')
    return { kind: 'strict', reason: 'the manifest is kops.k8s.io/v1alpha2, as kops 1.8 and ' + 'later print them' };
  const form = apiVersion === 'bare' ? 'in the bare metadata + spec form of kops\' "IAM Roles" page' : apiVersion;
  return {
    kind: 'legacy',
    reason: `the manifest is ${form}, from before kops scoped its policies (spec.iam.legacy: false asks for scoped ` + `` + `` + `ones)`,
  };
}
