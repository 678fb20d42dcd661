import { describe, expect, it } from 'vitest';
import { INLINE_POLICIES_LIMIT } from '../../src/plan/policy-size';
import { policySize } from '../../src/policy/render';
import { kopsTruncate } from '../../src/plan/iam-names';
import { errorsOf, instanceRole, legacyClusterYaml, load, loadOne } from '../helpers';

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
    const arns = Array.from(
      { length: resources },
      (_, j) => `"arn:aws:s3:::bucket-${String(i).padStart(3, '0')}/prefix-${String(j).padStart(3, '0')}/*"`,
    );
    const sid = `S${String(i).padStart(3, '0')}`;
    return `        {"Sid": "${sid}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": [${arns.join(', ')}]}`;
  });
  return ['  additionalPolicies:', '    node: |', '      [', stmts.join(',\n'), '      ]'].join('\n');
}

describe("the 10,240-character quota on a role's inline policies (KI317)", () => {
  it('passes a role whose policies fit', async () => {
    const { plan } = await loadOne(legacyClusterYaml('q.example.com', bigPolicy(5, 5)));
    expect(instanceRole(plan, 'node').policies.map((p) => p.kind)).toEqual(['role', 'additional']);
  });

  it('names the role, its policies and sizes, and the biggest statements with their lines', async () => {
    const extra = bigPolicy(40, 6).replace(
      '"Sid": "S007", "Effect": "Allow", "Action": "s3:GetObject"',
      '"Sid": "S007", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]',
    );
    const text = legacyClusterYaml('q.example.com', extra);
    const r = await load(text);
    const errors = errorsOf(r.diagnostics);
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect(e).toMatchObject({
      code: 'KI317',
      path: 'spec.additionalPolicies.node',
      line: text.split('\n').indexOf('    node: |') + 1,
      col: 11,
    });
    const m =
      /^role nodes\.q\.example\.com: its inline policies total ([\d,]+) characters without whitespace \(nodes\.q\.example\.com ([\d,]+) \+ additional\.nodes\.q\.example\.com ([\d,]+)\); AWS allows 10,240 per role, ([\d,]+) too many; biggest statements: (.*); shrink them/.exec(
        e.message,
      );
    expect(m, e.message).not.toBeNull();
    const [total, own, additional, over] = [m![1], m![2], m![3], m![4]].map((s) => Number(s!.replace(/,/g, '')));
    expect(total).toBe(own! + additional!);
    expect(over).toBe(total! - INLINE_POLICIES_LIMIT);
    // S007 has the most actions, so it is the biggest; then the first ones, in order.
    const s7Line = text.split('\n').findIndex((l) => l.includes('"S007"')) + 1;
    expect(m![5]).toMatch(
      new RegExp(
        `^spec\\.additionalPolicies\\.node\\[7\\] \\(line ${s7Line}, [\\d,]+ characters\\), spec\\.additionalPolicies\\.node\\[0\\] ` +
          `\\(line \\d+, [\\d,]+ characters\\), spec\\.additionalPolicies\\.node\\[1\\]`,
      ),
    );
  });

  it('does not count whitespace, so a pretty-printed policy is measured like a compact one', async () => {
    for (const [count, fits] of [
      [20, true],
      [40, false],
    ] as const) {
      const compact = bigPolicy(count, 6);
      const pretty = compact.replace(/, /g, ',\n          ');
      const a = await load(legacyClusterYaml('q.example.com', compact));
      const b = await load(legacyClusterYaml('q.example.com', pretty));
      expect([a.ok, b.ok]).toEqual([fits, fits]);
      expect(errorsOf(a.diagnostics).map((e) => e.message.split(';')[0])).toEqual(
        errorsOf(b.diagnostics).map((e) => e.message.split(';')[0]),
      );
    }
  });
});

describe("IAM's name limit, by kops' rule", () => {
  it('never gives two different long names of one prefix the same short name', () => {
    const prefix = `nodes.${'x'.repeat(80)}`;
    const names = Array.from({ length: 5000 }, (_, i) => `${prefix}.c${i}.example.com`);
    const cut = names.map((n) => kopsTruncate(n));
    expect(new Set(cut).size).toBe(names.length);
    expect(cut.every((c) => c.length === 64)).toBe(true);
  });

  it('gives the roles of two long cluster names that differ only at the end different names', async () => {
    const base = `${'long-'.repeat(11)}cluster`;
    const a = await loadOne(legacyClusterYaml(`${base}.one.example.com`));
    const b = await loadOne(legacyClusterYaml(`${base}.two.example.com`));
    for (const kind of ['master', 'node'] as const) {
      const ra = instanceRole(a.plan, kind);
      const rb = instanceRole(b.plan, kind);
      expect(ra.roleName).toHaveLength(64);
      expect(ra.roleName).not.toBe(rb.roleName);
    }
  });
});
