import { rolePlural, type InstanceRoleKind } from '../cluster/roles';

/** IAM's limit for role names, and the length kops cuts every IAM name it makes to. */
export const MAX_ROLE_NAME = 64;

/** 32-bit FNV-1a of a string's UTF-8 bytes, as Go's hash/fnv New32a. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const BASE32_HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * kops' `truncate.TruncateString` with its IAM options (pkg/truncate): a name longer than
 * `max` bytes keeps its first `max - 7` bytes, then `-` and 6 characters of the name's
 * hash (FNV-1a 32, its 4 bytes big-endian in lower-case base32hex). kops and its
 * controllers find roles by these names, so the rule must be kops' to the byte.
 */
export function kopsTruncate(name: string, max = MAX_ROLE_NAME): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= max) return name;
  // Six base32 digits are the top 30 bits of the hash.
  const top = fnv1a32(name) >>> 2;
  let hash = '';
  for (let shift = 25; shift >= 0; shift -= 5) hash += BASE32_HEX[(top >>> shift) & 31];
  return `${bytes.subarray(0, max - hash.length - 1).toString('utf8')}-${hash}`;
}

/** The name kops gives an instance role, its instance profile and its inline policy: `masters.<cluster>`, cut to 64. */
export function instanceRoleName(role: InstanceRoleKind, cluster: string): string {
  return kopsTruncate(`${rolePlural(role)}.${cluster}`);
}

/** The name kops gives a service account's role: `<name>.<namespace>.sa.<cluster>`, `*` written `wildcard`, cut to 64. */
export function serviceAccountRoleName(namespace: string, name: string, cluster: string): string {
  return kopsTruncate(`${name}.${namespace.replace(/\*/g, 'wildcard')}.sa.${cluster}`);
}

/** The name of a role's additionalPolicies policy: `additional.<role name>` (kops does not cut it; it stays under 128). */
export function additionalPolicyName(roleName: string): string {
  return `additional.${roleName}`;
}
