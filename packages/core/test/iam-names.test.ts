import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fitIamName, IAM_NAME_LIMITS, terraformId } from '../src/iam-names';

describe('fitIamName', () => {
  it('keeps a name that fits, up to the limit exactly', () => {
    expect(fitIamName('masters.example.com', 64)).toBe('masters.example.com');
    const exact = 'm'.repeat(64);
    expect(fitIamName(exact, 64)).toBe(exact);
  });

  it('shortens a longer name to the limit, keeping a hash of the whole name', () => {
    const name = `bastions.${'a'.repeat(60)}.example.com`;
    const fitted = fitIamName(name, IAM_NAME_LIMITS.role);
    expect(fitted.length).toBe(64);
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    expect(fitted.endsWith(`-${hash}`)).toBe(true);
    expect(name.startsWith(fitted.slice(0, -9))).toBe(true);
  });

  it('gives different names to long names that share their first characters', () => {
    const a = `nodes.${'x'.repeat(70)}.one.example.com`;
    const b = `nodes.${'x'.repeat(70)}.two.example.com`;
    expect(fitIamName(a, 64)).not.toBe(fitIamName(b, 64));
  });

  it('is deterministic', () => {
    const n = 'n'.repeat(200);
    expect(fitIamName(n, 128)).toBe(fitIamName(n, 128));
  });

  it('does not leave a dot or hyphen before the hash', () => {
    const name = `${'ab.'.repeat(40)}`;
    const fitted = fitIamName(name, 64);
    expect(fitted.length).toBeLessThanOrEqual(64);
    expect(fitted).toMatch(/[a-z0-9]-[0-9a-f]{8}$/);
  });

  it('uses IAM limits: role 64, instance profile and policy 128', () => {
    expect(IAM_NAME_LIMITS).toEqual({ role: 64, instanceProfile: 128, policy: 128 });
  });
});

describe('terraformId', () => {
  it('replaces dots (and other characters Terraform names cannot hold) with hyphens, as kops does', () => {
    expect(terraformId('minimal.example.com')).toBe('minimal-example-com');
    expect(terraformId('a_b-c.d/e*f')).toBe('a_b-c-d-e-f');
  });
});
