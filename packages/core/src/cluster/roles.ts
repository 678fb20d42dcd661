/** The instance roles of a kops cluster, each an IAM role shared by its InstanceGroups. */
export type InstanceRoleKind = 'master' | 'apiserver' | 'node' | 'bastion';

/** Every instance role, in the order kops-iam writes them. */
export const INSTANCE_ROLES: readonly InstanceRoleKind[] = ['master', 'apiserver', 'node', 'bastion'];

/** The plural kops uses in IAM names: `masters.<cluster>`, `apiservers.<cluster>`, `nodes.<cluster>`, `bastions.<cluster>`. */
export function rolePlural(role: InstanceRoleKind): 'masters' | 'apiservers' | 'nodes' | 'bastions' {
  return `${role}s` as 'masters' | 'apiservers' | 'nodes' | 'bastions';
}

/**
 * InstanceGroup `spec.role` values and the role each runs as. `ControlPlane` is kops
 * 1.26+'s name for Master; `APIServer` groups run only kube-apiserver.
 */
export const INSTANCE_GROUP_ROLES: ReadonlyMap<string, InstanceRoleKind> = new Map([
  ['Master', 'master'],
  ['ControlPlane', 'master'],
  ['APIServer', 'apiserver'],
  ['Node', 'node'],
  ['Bastion', 'bastion'],
]);

/**
 * The keys of `additionalPolicies`, `externalPolicies` and `customPolicies`: v1alpha2's
 * `master` is kops' `control-plane`, and both are accepted.
 */
export const POLICY_ROLE_KEYS: ReadonlyMap<string, InstanceRoleKind> = new Map([
  ['master', 'master'],
  ['control-plane', 'master'],
  ['apiserver', 'apiserver'],
  ['node', 'node'],
  ['bastion', 'bastion'],
]);

/** Keys kops accepts in policy maps that name no IAM role (its etcd, scheduler and controller-manager components). */
export const ROLELESS_KEYS: readonly string[] = ['etcd', 'scheduler', 'kubecontrollermanager'];

/** The role a policy key names; undefined for anything else (Map lookups never reach Object.prototype). */
export function roleOfPolicyKey(key: string): InstanceRoleKind | undefined {
  return POLICY_ROLE_KEYS.get(key);
}

/** A hint for a mistyped role key, e.g. `nodes` → `node`. */
export function unknownRoleMessage(key: string, keys: readonly string[] = [...POLICY_ROLE_KEYS.keys()]): string {
  const k = key.toLowerCase();
  const guess = keys.find(
    (r) => k === r || k === `${r}s` || k.replace(/[-_ ]/g, '') === r.replace(/-/g, '') || (r === 'master' && k === 'masters'),
  );
  const hint = guess !== undefined ? `did you mean '${guess}'? ` : '';
  return `unknown role '${key}'; ${hint}use ${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}`;
}
