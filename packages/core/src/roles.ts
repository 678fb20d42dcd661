/** The kops instance roles kops-iam builds IAM for. */
export type RoleKind = 'master' | 'node' | 'bastion';

/** Every role kind, in the order kops lists them. */
export const ROLE_KINDS: readonly RoleKind[] = ['master', 'node', 'bastion'];

/** The plural kops uses in IAM names: `masters.<cluster>`, `nodes.<cluster>`, `bastions.<cluster>`. */
export function rolePlural(role: RoleKind): 'masters' | 'nodes' | 'bastions' {
  return role === 'master' ? 'masters' : role === 'node' ? 'nodes' : 'bastions';
}

/** True for the keys `additionalPolicies` and `customPolicies` accept. */
export function isRoleKind(key: string): key is RoleKind {
  return (ROLE_KINDS as readonly string[]).includes(key);
}

/** InstanceGroup `spec.role` values and the role each one runs as (`ControlPlane` is kops 1.26+'s name for Master). */
export const INSTANCE_GROUP_ROLES: Readonly<Record<string, RoleKind>> = {
  Master: 'master',
  ControlPlane: 'master',
  Node: 'node',
  Bastion: 'bastion',
};

/** A hint for a mistyped role key, e.g. `nodes` → `node`. */
export function unknownRoleMessage(key: string): string {
  const guess = ROLE_KINDS.find((r) => key.toLowerCase() === r || key.toLowerCase() === `${r}s` || (r === 'master' && /^control-?plane$/i.test(key)));
  const hint = guess !== undefined ? `did you mean '${guess}'? ` : '';
  return `unknown role '${key}'; ${hint}use master, node or bastion`;
}
