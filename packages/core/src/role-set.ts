import { ROLE_KINDS, type RoleKind } from './roles';

/**
 * A set of roles as bits (master 1, node 2, bastion 4): what is kept of a cluster's roles
 * for every cluster of a large input, where a Set each would cost far more.
 */
export type RoleSet = number;

/** The bit of one role. */
export function roleBit(role: RoleKind): RoleSet {
  return 1 << ROLE_KINDS.indexOf(role);
}

/** The set holding `roles`. */
export function roleSet(roles: Iterable<RoleKind>): RoleSet {
  let bits = 0;
  for (const r of roles) bits |= roleBit(r);
  return bits;
}

/** The roles of a set, in kops' order. */
export function rolesOf(set: RoleSet): RoleKind[] {
  return ROLE_KINDS.filter((r) => (set & roleBit(r)) !== 0);
}
