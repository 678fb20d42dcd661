import { createHash } from 'node:crypto';

/** IAM's length limits for the names kops-iam writes. */
export const IAM_NAME_LIMITS = { role: 64, instanceProfile: 128, policy: 128 } as const;

/**
 * The name itself when it fits, else its first characters, `-`, and the first 8 hex
 * digits of the SHA-256 of the whole name. Two long names that share a prefix differ in
 * the hash, and the same name always gives the same result.
 */
export function fitIamName(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, limit - hash.length - 1).replace(/[.-]+$/, '')}-${hash}`;
}

/** A Terraform identifier from a name: dots become hyphens, as kops does (`masters-minimal-example-com`). */
export function terraformId(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}
