import { describe, expect, it } from 'vitest';
import {
  additionalPolicyName,
  fnv1a32,
  instanceRoleName,
  kopsTruncate,
  MAX_ROLE_NAME,
  serviceAccountRoleName,
} from '../../src/plan/iam-names';

// The names of kops' minimal-longclustername reference case (its kubernetes.tf), cut by kops' pkg/truncate.
const LONG = 'this.is.truly.a.really.really.really.really.really.long.cluster-name.minimal.example.com';

describe('fnv1a32', () => {
  it("gives FNV-1a's published 32-bit values", () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives the suffix kops puts on attachment labels (irsa reference case: …-3197825879)', () => {
    expect(fnv1a32('arn:aws-test:iam::123456789012:policy/UsersManageOwnCredentials')).toBe(3197825879);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is the two bytes c3 a9: FNV-1a over them, not over the code unit 0xe9.
    const overBytes = Math.imul(Math.imul(0x811c9dc5 ^ 0xc3, 0x01000193) ^ 0xa9, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(overBytes);
  });
});

describe('kopsTruncate', () => {
  it('cuts names longer than 64 bytes as kops does (minimal-longclustername reference case)', () => {
    expect(kopsTruncate(`masters.${LONG}`)).toBe('masters.this.is.truly.a.really.really.really.really.reall-g6fsnu');
    expect(kopsTruncate(`nodes.${LONG}`)).toBe('nodes.this.is.truly.a.really.really.really.really.really.-d86ibl');
  });

  it('keeps a name of exactly 64 bytes, and cuts one of 65 to 64', () => {
    const exact = `nodes.${'a'.repeat(58)}`;
    expect(exact).toHaveLength(MAX_ROLE_NAME);
    expect(kopsTruncate(exact)).toBe(exact);
    const over = `${exact}b`;
    const cut = kopsTruncate(over);
    expect(cut).toHaveLength(64);
    expect(cut.slice(0, 58)).toBe(over.slice(0, 57) + '-');
    expect(cut.slice(57)).toMatch(/^-[0-9a-v]{6}$/);
  });

  it('takes another limit', () => {
    expect(kopsTruncate('abcdefghij', 10)).toBe('abcdefghij');
    expect(kopsTruncate('abcdefghijk', 10)).toMatch(/^abc-[0-9a-v]{6}$/);
  });

  it('gives two long names that differ only at the end different names', () => {
    expect(kopsTruncate(`nodes.${LONG}.one`)).not.toBe(kopsTruncate(`nodes.${LONG}.two`));
  });
});

describe('kops names', () => {
  it('names instance roles <plural>.<cluster>, cut to 64', () => {
    expect(instanceRoleName('master', 'minimal.example.com')).toBe('masters.minimal.example.com');
    expect(instanceRoleName('apiserver', 'minimal.example.com')).toBe('apiservers.minimal.example.com');
    expect(instanceRoleName('bastion', 'minimal.example.com')).toBe('bastions.minimal.example.com');
    expect(instanceRoleName('node', LONG)).toBe('nodes.this.is.truly.a.really.really.really.really.really.-d86ibl');
  });

  it('names service-account roles <name>.<namespace>.sa.<cluster>, * written wildcard (irsa reference case)', () => {
    expect(serviceAccountRoleName('test-*', 'myserviceaccount', 'minimal.example.com')).toBe(
      'myserviceaccount.test-wildcard.sa.minimal.example.com',
    );
    expect(serviceAccountRoleName('kube-system', 'dns-controller', 'minimal.example.com')).toBe(
      'dns-controller.kube-system.sa.minimal.example.com',
    );
    expect(serviceAccountRoleName('kube-system', 'aws-load-balancer-controller', LONG)).toHaveLength(64);
  });

  it('names the additional policy additional.<role name>, not cut again', () => {
    expect(additionalPolicyName('masters.this.is.truly.a.really.really.really.really.reall-g6fsnu')).toBe(
      'additional.masters.this.is.truly.a.really.really.really.really.reall-g6fsnu',
    );
  });
});
