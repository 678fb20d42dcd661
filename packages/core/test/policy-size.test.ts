import { describe, expect, it } from 'vitest';
import { fitIamName, IAM_NAME_LIMITS } from '../src/iam-names';
import { INLINE_POLICIES_LIMIT, policySize } from '../src/policy-size';
import { clusterYaml, errorsOf, load, loadOne } from './helpers';

describe('policySize', () => {
  it('counts every character but spaces, tabs and line breaks, as AWS does', () => {
    expect(policySize('{"a": [1, 2]}')).toBe(11);
    expect(policySize(' \t\r\n')).toBe(0);
    expect(policySize('{\n  "Version": "2012-10-17"\n}')).toBe(policySize('{"Version":"2012-10-17"}'));
  });
});

/** An additionalPolicies.node list of `count` statements, each with `resources` long ARNs. */
function bigPolicy(count: number, resources: number): string {
  const stmts = Array.from({ length: count }, (_, i) => {
    const arns = Array.from({ length: resources }, (_, j) => `"arn:aws:s3:::bucket-${String(i).padStart(3, '0')}/prefix-${String(j).padStart(3, '0')}/*"`);
    return `        {"Sid": "S${String(i).padStart(3, '0')}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": [${arns.join(', ')}]}`;
  });
  return ['  additionalPolicies:', '    node: |', '      [', stmts.join(',\n'), '      ]'].join('\n');
}

describe("the 10,240-character quota on a role's inline policies", () => {
  it('passes a role whose policies fit', async () => {
    const { plan } = await loadOne(clusterYaml('q.example.com', bigPolicy(5, 5)));
    expect(plan.roles.map((r) => r.role)).toEqual(['master', 'node']);
  });

  it('names the role, its policies and sizes, and the biggest statements with their lines', async () => {
    const extra = bigPolicy(40, 6).replace('"Sid": "S007", "Effect": "Allow", "Action": "s3:GetObject"', '"Sid": "S007", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]');
    const text = clusterYaml('q.example.com', extra);
    const r = await load(text);
    const errors = errorsOf(r.diagnostics);
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect(e).toMatchObject({ path: 'spec.additionalPolicies.node', line: text.split('\n').indexOf('    node: |') + 1, col: 11 });
    const m = /^role nodes\.q\.example\.com: its inline policies total ([\d,]+) characters without whitespace \(nodes\.q\.example\.com ([\d,]+) \+ additional\.nodes\.q\.example\.com ([\d,]+)\); AWS allows 10,240 per role, ([\d,]+) too many; biggest statements: (.*); shrink them/.exec(e.message);
    expect(m, e.message).not.toBeNull();
    const [total, own, additional, over] = [m![1], m![2], m![3], m![4]].map((s) => Number(s!.replace(/,/g, '')));
    expect(total).toBe(own! + additional!);
    expect(over).toBe(total! - INLINE_POLICIES_LIMIT);
    // S007 has the most actions, so it is the biggest; then the first ones, in order.
    const s7Line = text.split('\n').findIndex((l) => l.includes('"S007"')) + 1;
    expect(m![5]).toMatch(new RegExp(`^spec\\.additionalPolicies\\.node\\[7\\] \\(line ${s7Line}, [\\d,]+ characters\\), spec\\.additionalPolicies\\.node\\[0\\] \\(line \\d+, [\\d,]+ characters\\), spec\\.additionalPolicies\\.node\\[1\\]`));
  });

  it('does not count whitespace, so a pretty-printed policy is measured like a compact one', async () => {
    const compact = bigPolicy(20, 6);
    const pretty = compact.replace(/, /g, ',\n          ');
    const a = await load(clusterYaml('q.example.com', compact));
    const b = await load(clusterYaml('q.example.com', pretty));
    expect(a.ok).toBe(b.ok);
    expect(errorsOf(a.diagnostics).map((e) => e.message.split(';')[0])).toEqual(errorsOf(b.diagnostics).map((e) => e.message.split(';')[0]));
  });
});

describe("IAM's name limits", () => {
  it('keeps names that fit and shortens others to the limit, deterministically', () => {
    expect(fitIamName('nodes.short.example.com', IAM_NAME_LIMITS.role)).toBe('nodes.short.example.com');
    const long = `masters.${'a'.repeat(70)}.example.com`;
    const once = fitIamName(long, IAM_NAME_LIMITS.role);
    expect(once.length).toBeLessThanOrEqual(IAM_NAME_LIMITS.role);
    expect(fitIamName(long, IAM_NAME_LIMITS.role)).toBe(once);
    expect(once).toMatch(/^masters\.a+-[0-9a-f]{8}$/);
  });

  it('never gives two different long names the same short name, even with a long common prefix', () => {
    for (const [limit, prefix] of [
      [IAM_NAME_LIMITS.role, `nodes.${'x'.repeat(80)}`],
      [IAM_NAME_LIMITS.instanceProfile, `nodes.${'y'.repeat(150)}`],
      [IAM_NAME_LIMITS.policy, `additional.nodes.${'z'.repeat(140)}`],
    ] as const) {
      const names = Array.from({ length: 5000 }, (_, i) => `${prefix}.c${i}.example.com`);
      const fitted = names.map((n) => fitIamName(n, limit));
      expect(new Set(fitted).size, `limit ${limit}`).toBe(names.length);
      expect(fitted.every((f) => f.length <= limit)).toBe(true);
      // A shortened name never equals a name that fitted as it was.
      const short = `${prefix.slice(0, limit - 20)}.example.com`;
      expect(fitted).not.toContain(fitIamName(short, limit));
    }
  });

  it('gives the roles of two long cluster names that differ only at the end different names', async () => {
    const base = `${'long-'.repeat(11)}cluster`;
    const a = await loadOne(clusterYaml(`${base}.one.example.com`));
    const b = await loadOne(clusterYaml(`${base}.two.example.com`));
    for (const kind of ['master', 'node'] as const) {
      const ra = a.plan.roles.find((r) => r.role === kind)!;
      const rb = b.plan.roles.find((r) => r.role === kind)!;
      expect(ra.roleName.length).toBeLessThanOrEqual(64);
      expect(ra.roleName).not.toBe(rb.roleName);
    }
  });
});
